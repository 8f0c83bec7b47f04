package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.caption4j.vision.tfjs.TfjsLayersModel;
import java.nio.file.Path;
import java.util.List;

/**
 * A pretrained image encoder used as is (never trained here), with the files it was loaded from so that a model
 * directory can carry its own copy.
 */
public record FrozenBackbone(ImageEncoder encoder, List<Path> files) implements AutoCloseable {

    /** MobileNetV2 from a TensorFlow.js layers export ({@code model.json} + weight shards). */
    public static FrozenBackbone mobileNetV2(Path modelJson) {
        TfjsLayersModel model = TfjsLayersModel.load(modelJson);
        return new FrozenBackbone(MobileNetV2.load(model, NDManager.newBaseManager()), model.files());
    }

    /** Pixel inputs seen through the backbone: each batch becomes its region features [B, R, C]. */
    public ImageInputs regionsOf(ImageInputs pixels) {
        return new ImageInputs() {
            @Override
            public int size() {
                return pixels.size();
            }

            @Override
            public NDArray batch(NDManager manager, int[] indices) {
                NDArray images = pixels.batch(manager, indices);
                NDArray regions = encoder.encode(images).get(0);
                regions.attach(manager);
                return regions;
            }
        };
    }

    @Override
    public void close() {
        if (encoder instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

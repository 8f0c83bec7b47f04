package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.caption4j.model.clip.ClipImageEncoder;
import io.caption4j.model.clip.ClipModel;
import io.caption4j.util.InputException;
import io.caption4j.vision.tfjs.TfjsLayersModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A pretrained image encoder used as is (never trained here), with the files it was loaded from so that a model
 * directory can carry its own copy.
 */
public record FrozenBackbone(ImageEncoder encoder, List<Path> files) implements AutoCloseable {

    /** The input side the backbone was exported for. */
    public static final int AS_EXPORTED = MobileNetV2.AS_EXPORTED;

    /** MobileNetV2 from a TensorFlow.js layers export ({@code model.json} + weight shards), at its exported size. */
    public static FrozenBackbone mobileNetV2(Path modelJson) {
        return mobileNetV2(modelJson, AS_EXPORTED);
    }

    /** MobileNetV2 reading images of {@code inputSize} pixels (see {@link MobileNetV2#load}). */
    public static FrozenBackbone mobileNetV2(Path modelJson, int inputSize) {
        return mobileNetV2(modelJson, inputSize, MobileNetV2.Output.OUT_RELU);
    }

    /** MobileNetV2 reading images of {@code inputSize} pixels, its regions taken at {@code output}. */
    public static FrozenBackbone mobileNetV2(Path modelJson, int inputSize, MobileNetV2.Output output) {
        TfjsLayersModel model = TfjsLayersModel.load(modelJson);
        return new FrozenBackbone(MobileNetV2.load(model, NDManager.newBaseManager(), inputSize, output),
                model.files());
    }

    /**
     * A TensorFlow.js layers export: Keras' MobileNetV2 (recognised by its {@code out_relu} layer; read at
     * {@code inputSize}, regions at {@code output}) or any other convolutional backbone, run as its Keras graph at its
     * exported size ({@link KerasGraphEncoder}).
     */
    public static FrozenBackbone tfjs(Path modelJson, int inputSize, MobileNetV2.Output output) {
        TfjsLayersModel model = TfjsLayersModel.load(modelJson);
        if (model.findLayer("out_relu").isPresent()) {
            return new FrozenBackbone(MobileNetV2.load(model, NDManager.newBaseManager(), inputSize, output),
                    model.files());
        }
        if (output != MobileNetV2.Output.OUT_RELU) {
            throw InputException.at(modelJson, "is not a MobileNetV2: only MobileNetV2's top can be fine-tuned");
        }
        KerasGraphEncoder encoder = KerasGraphEncoder.load(model, NDManager.newBaseManager());
        if (inputSize != AS_EXPORTED && inputSize != encoder.inputSize()) {
            encoder.close();
            throw InputException.at(modelJson, "is a generic Keras backbone, read at its exported side of "
                    + encoder.inputSize() + " pixels only, not " + inputSize);
        }
        return new FrozenBackbone(encoder, model.files());
    }

    /**
     * CLIP's vision tower from a Hugging Face {@code CLIPModel} folder ({@code config.json},
     * {@code model.safetensors}, optionally {@code preprocessor_config.json}): pooled = the image embedding,
     * regions = the projected patch tokens ({@link ClipImageEncoder}).
     */
    public static FrozenBackbone clip(Path folder) {
        return new FrozenBackbone(ClipImageEncoder.load(folder), ClipImageEncoder.files(folder));
    }

    /**
     * A TensorFlow.js {@code model.json} ({@link #tfjs}), or a folder holding one or a Hugging Face CLIP folder (as a
     * model directory's {@code backbone/} does), reading images of {@code inputSize} pixels ({@link #AS_EXPORTED}:
     * the size it was exported for; CLIP takes no other, its position embeddings are learnt for it).
     */
    public static FrozenBackbone open(Path path, int inputSize) {
        return open(path, inputSize, MobileNetV2.Output.OUT_RELU);
    }

    /** As {@link #open(Path, int)}, a MobileNetV2 giving its regions at {@code output}. */
    public static FrozenBackbone open(Path path, int inputSize, MobileNetV2.Output output) {
        if (!Files.isDirectory(path)) {
            return tfjs(path, inputSize, output);
        }
        if (Files.exists(path.resolve("model.json"))) {
            return tfjs(path.resolve("model.json"), inputSize, output);
        }
        if (!Files.exists(path.resolve(ClipModel.CONFIG))) {
            throw InputException.at(path, "holds neither a TensorFlow.js model.json nor a Hugging Face CLIP"
                    + " config.json + model.safetensors");
        }
        if (output != MobileNetV2.Output.OUT_RELU) {
            throw InputException.at(path, "is a CLIP vision tower: only MobileNetV2's top can be fine-tuned");
        }
        FrozenBackbone clip = clip(path);
        if (inputSize != AS_EXPORTED && inputSize != clip.encoder().inputSize()) {
            clip.close();
            throw InputException.at(path, "is a CLIP vision tower for " + clip.encoder().inputSize()
                    + "-pixel images only (its position embeddings are learnt for that size), not " + inputSize);
        }
        return clip;
    }

    /** Pixel inputs seen through the backbone: each batch becomes its region features [B, R, C]. */
    public ImageInputs regionsOf(ImageInputs pixels) {
        return featuresOf(pixels, 0);
    }

    /** Pixel inputs seen through the backbone: each batch becomes its pooled vectors [B, C]. */
    public ImageInputs pooledOf(ImageInputs pixels) {
        return featuresOf(pixels, 1);
    }

    private ImageInputs featuresOf(ImageInputs pixels, int output) {
        return new ImageInputs() {
            @Override
            public int size() {
                return pixels.size();
            }

            @Override
            public NDArray batch(NDManager manager, int[] indices) {
                NDArray images = pixels.batch(manager, indices);
                NDArray features = encoder.encode(images).get(output);
                features.attach(manager);
                return features;
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

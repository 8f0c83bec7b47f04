package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.function.UnaryOperator;

/**
 * A backbone that turns a batch of images into what the decoders attend over: a grid of region feature vectors and
 * one pooled vector per image.
 */
public interface ImageEncoder {
    /**
     * @param images [B, H, W, 3] float32, already made by {@link #preprocessor()}
     * @return regions [B, R, C] (R = grid height × width, row-major) and pooled [B, C]
     */
    NDList encode(NDArray images);

    /** Number of channels C of each region and of the pooled vector. */
    int featureSize();

    /** Side of the square input image, in pixels. */
    int inputSize();

    /** How decoded images become this encoder's input. */
    ImagePreprocessor preprocessor();

    /** A stable description of model + preprocessing; feature caches are keyed by it. */
    String identity();

    /**
     * The regions and pooled vector of a convolutional backbone: {@code featureMap} turns NCHW images into an NCHW map
     * [B, C, H, W], which becomes regions [B, H·W, C] (row-major over the grid) and their mean [B, C], in the images'
     * manager; every intermediate tensor is freed.
     *
     * @param images [B, S, S, 3] NHWC, S = {@code inputSize}
     */
    static NDList encodeFeatureMap(NDArray images, int inputSize, UnaryOperator<NDArray> featureMap) {
        long[] shape = images.getShape().getShape();
        if (shape.length != 4 || shape[1] != inputSize || shape[2] != inputSize || shape[3] != 3) {
            throw new IllegalArgumentException("expected images [B, " + inputSize + ", " + inputSize + ", 3], got "
                    + images.getShape());
        }
        NDManager caller = images.getManager();
        try (NDManager scope = caller.newSubManager()) {
            images.tempAttach(scope);
            NDArray map = featureMap.apply(images.transpose(0, 3, 1, 2));
            NDArray regions = map.transpose(0, 2, 3, 1).reshape(shape[0], -1, map.getShape().get(1));
            NDList out = new NDList(regions, regions.mean(new int[] {1}));
            out.attach(caller);
            return out;
        }
    }
}

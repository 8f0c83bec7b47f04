package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

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

    /** A feature map NCHW [B, C, H, W] as regions [B, H·W, C] (row-major over the grid) and their mean [B, C]. */
    static NDList regionsAndPooled(NDArray map) {
        long[] shape = map.getShape().getShape();
        NDArray regions = map.transpose(0, 2, 3, 1).reshape(shape[0], -1, shape[1]);
        return new NDList(regions, regions.mean(new int[] {1}));
    }
}

package io.caption4j.model.vqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.vision.ImageInputs;
import java.util.List;

/**
 * Region features [R, C] of each image, computed once and held in memory: what a model whose encoder is frozen
 * trains on, so that no epoch runs the encoder again.
 */
final class EncodedRegions implements ImageInputs {
    private final List<float[]> regions;
    private final long regionCount;
    private final long channels;

    EncodedRegions(List<float[]> regions, long regionCount, long channels) {
        this.regions = regions;
        this.regionCount = regionCount;
        this.channels = channels;
    }

    @Override
    public int size() {
        return regions.size();
    }

    @Override
    public NDArray batch(NDManager manager, int[] indices) {
        int length = (int) (regionCount * channels);
        float[] batch = new float[indices.length * length];
        for (int b = 0; b < indices.length; b++) {
            System.arraycopy(regions.get(indices[b]), 0, batch, b * length, length);
        }
        return manager.create(batch, new Shape(indices.length, regionCount, channels));
    }
}

package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** Region features of a split, read from a {@link FeatureCache}: training never runs the frozen backbone again. */
public final class FeatureInputs implements ImageInputs {
    private final FeatureCache cache;
    private final int[] rows;

    private FeatureInputs(FeatureCache cache, int[] rows) {
        this.cache = cache;
        this.rows = rows;
    }

    /** The cached features of {@code ids}, in that order; every id must be in the cache with its features. */
    public static FeatureInputs of(FeatureCache cache, List<String> ids) {
        int[] rows = new int[ids.size()];
        for (int i = 0; i < rows.length; i++) {
            if (cache.missing().contains(ids.get(i))) {
                throw new IllegalArgumentException("no features for " + ids.get(i));
            }
            rows[i] = cache.indexOf(ids.get(i));
        }
        return new FeatureInputs(cache, rows);
    }

    @Override
    public int size() {
        return rows.length;
    }

    @Override
    public NDArray batch(NDManager manager, int[] indices) {
        int[] selected = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            selected[i] = rows[indices[i]];
        }
        return cache.regions(manager, selected);
    }
}

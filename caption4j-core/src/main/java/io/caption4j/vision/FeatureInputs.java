package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;

/** Region features of a split, read from a {@link FeatureCache}: training never runs the frozen backbone again. */
public final class FeatureInputs implements ImageInputs {
    private final FeatureCache cache;
    private final int[] rows;
    private final boolean pooled;

    private FeatureInputs(FeatureCache cache, int[] rows, boolean pooled) {
        this.cache = cache;
        this.rows = rows;
        this.pooled = pooled;
    }

    /** The cached region features [R, C] of {@code ids}, in that order; every id must be in the cache. */
    public static FeatureInputs of(FeatureCache cache, List<String> ids) {
        return new FeatureInputs(cache, rows(cache, ids), false);
    }

    /** The cached pooled vectors [C] of {@code ids}, in that order; every id must be in the cache. */
    public static FeatureInputs pooled(FeatureCache cache, List<String> ids) {
        return new FeatureInputs(cache, rows(cache, ids), true);
    }

    private static int[] rows(FeatureCache cache, List<String> ids) {
        int[] rows = new int[ids.size()];
        for (int i = 0; i < rows.length; i++) {
            if (cache.missing().contains(ids.get(i))) {
                throw new IllegalArgumentException("no features for " + ids.get(i));
            }
            rows[i] = cache.indexOf(ids.get(i));
        }
        return rows;
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
        return pooled ? cache.pooled(manager, selected) : cache.regions(manager, selected);
    }
}

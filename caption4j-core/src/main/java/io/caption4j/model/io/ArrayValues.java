package io.caption4j.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/** Writes loaded values into existing arrays (parameters, optimizer moments) in place. */
public final class ArrayValues {
    private static final NDIndex ALL = new NDIndex("...");

    private ArrayValues() {}

    /**
     * Copies {@code values} (row-major, as many as {@code target} holds) into {@code target}. {@code NDArray.set} with
     * a Java array would do the same, but DJL's PyTorch engine runs it under a guard that libtorch reports as
     * deprecated, and every user of {@code caption} saw that warning on stderr; an indexed copy has no such guard.
     */
    public static void assign(NDArray target, float[] values) {
        if (values.length != target.size()) {
            throw new IllegalArgumentException(values.length + " values for an array of shape " + target.getShape());
        }
        try (NDArray source = target.getManager().create(values, target.getShape())) {
            target.set(ALL, source);
        }
    }
}

package io.caption4j.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with a constant on arrays that take part in training.
 *
 * <p>DJL's PyTorch engine turns the Java number of {@code x.mul(0.5)} into a temporary tensor that aliases a Java
 * direct buffer ({@code from_blob}) and closes it right after the op. Autograd keeps that tensor for the backward
 * pass; once the garbage collector frees the buffer, backward reads freed memory, and training sees NaN gradients at
 * random steps. The constants made here are allocated by libtorch itself, so autograd can keep them safely.
 * Inference-only code does not need this: there the op has finished before the temporary is closed.
 */
public final class Scalars {
    private Scalars() {}

    /** A 0-d float32 tensor owned by libtorch, on {@code like}'s manager. */
    public static NDArray constant(NDArray like, double value) {
        return constant(like.getManager(), value);
    }

    /**
     * A 0-d float32 tensor owned by libtorch, on {@code manager}: a block makes its constants once, on the manager
     * of its parameters, so that a forward pass spends no native call on them.
     */
    public static NDArray constant(NDManager manager, double value) {
        return manager.full(new Shape(), (float) value);
    }

    /** {@code x · factor}, safe under autograd. */
    public static NDArray times(NDArray x, double factor) {
        return x.mul(constant(x, factor));
    }
}

package io.caption4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.caption4j.model.nn.Scalars;

/**
 * Cross-entropy of next-word logits against the target words, averaged over real (non-padding) positions only,
 * with optional label smoothing: the target distribution puts {@code 1 − ε} on the right word and spreads ε
 * uniformly over the vocabulary.
 */
public final class MaskedCrossEntropy {
    private final float smoothing;
    private final int padding;

    public MaskedCrossEntropy(float smoothing, int padding) {
        this.smoothing = smoothing;
        this.padding = padding;
    }

    /** logits [B, T, V], targets [B, T] (int64) → scalar mean loss over the non-padding targets. */
    public NDArray loss(NDArray logits, NDArray targets) {
        return loss(logits, targets, null);
    }

    /**
     * As {@link #loss(NDArray, NDArray)}, each row's token losses weighted by {@code rowWeights} [B] (null: all 1);
     * the sum is still divided by the number of non-padding targets.
     */
    public NDArray loss(NDArray logits, NDArray targets, NDArray rowWeights) {
        long vocab = logits.getShape().get(2);
        // the PyTorch engine wants [B·T, V] for the class axis
        NDArray logProbs = logits.reshape(-1, vocab).logSoftmax(1);
        NDArray flatTargets = targets.reshape(-1, 1);
        // a padding id outside the vocabulary (say -1, for tokenizers without a pad token) is gathered at 0, then masked
        NDArray nll = logProbs.gather(flatTargets.maximum(0), 1).reshape(-1).neg();
        if (smoothing > 0) {
            NDArray uniform = logProbs.mean(new int[] {1}).neg();
            nll = Scalars.times(nll, 1 - smoothing).add(Scalars.times(uniform, smoothing));
        }
        NDArray mask = flatTargets.reshape(-1).neq(padding).toType(DataType.FLOAT32, false);
        if (rowWeights != null) {
            long steps = targets.getShape().get(1);
            nll = nll.mul(rowWeights.reshape(-1, 1).repeat(1, steps).reshape(-1));
        }
        return nll.mul(mask).sum().div(mask.sum().maximum(1f));
    }
}

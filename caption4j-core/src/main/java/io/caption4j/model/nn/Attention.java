package io.caption4j.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/** Scaled dot-product attention, the one formula every attention block here shares. */
public final class Attention {
    private Attention() {}

    /**
     * softmax(QKᵀ/√d)V over the last two axes: queries [..., T, d], keys [..., R, d], values [..., R, e] → context
     * [..., T, e] and weights [..., T, R] (each row sums to 1).
     */
    public static NDList scaledDotProduct(NDArray queries, NDArray keys, NDArray values) {
        int last = keys.getShape().dimension() - 1;
        NDArray scores = Scalars.times(queries.matMul(keys.swapAxes(last - 1, last)),
                1 / Math.sqrt(keys.getShape().get(last)));
        NDArray weights = scores.softmax(-1);
        return new NDList(weights.matMul(values), weights);
    }
}

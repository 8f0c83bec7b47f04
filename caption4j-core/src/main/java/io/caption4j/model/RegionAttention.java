package io.caption4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.nn.Attention;

/**
 * Single-head scaled dot-product attention of decoder states over image regions:
 * {@code context = softmax(q·kᵀ/√d)·v}, projected back to the decoder width. One head keeps one weight per region
 * per word, which is what a user sees drawn over the image.
 *
 * <p>Keys and values depend only on the image, so {@link #keysAndValues} is computed once per image and reused for
 * every generated word.
 */
public final class RegionAttention extends AbstractBlock {
    private final int attentionSize;
    private final int outputSize;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    public RegionAttention(int attentionSize, int outputSize) {
        this.attentionSize = attentionSize;
        this.outputSize = outputSize;
        query = addChildBlock("query", Linear.builder().setUnits(attentionSize).optBias(false).build());
        key = addChildBlock("key", Linear.builder().setUnits(attentionSize).optBias(false).build());
        value = addChildBlock("value", Linear.builder().setUnits(attentionSize).optBias(false).build());
        output = addChildBlock("output", Linear.builder().setUnits(outputSize).build());
    }

    /** regions [B, R, D] → keys [B, R, A], values [B, R, A]. */
    public NDList keysAndValues(ParameterStore ps, NDArray regions, boolean training) {
        NDList in = new NDList(regions);
        return new NDList(key.forward(ps, in, training).head(), value.forward(ps, in, training).head());
    }

    /** queries [B, T, H], keys/values [B, R, A] → context [B, T, H] and weights [B, T, R]. */
    public NDList attend(ParameterStore ps, NDArray queries, NDArray keys, NDArray values, boolean training) {
        NDArray q = query.forward(ps, new NDList(queries), training).head();
        NDList attended = Attention.scaledDotProduct(q, keys, values);
        return new NDList(output.forward(ps, new NDList(attended.get(0)), training).head(), attended.get(1));
    }

    /** inputs: queries [B, T, H], regions [B, R, D]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList kv = keysAndValues(ps, inputs.get(1), training);
        return attend(ps, inputs.get(0), kv.get(0), kv.get(1), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape q = inputs[0];
        return new Shape[] {new Shape(q.get(0), q.get(1), outputSize), new Shape(q.get(0), q.get(1), inputs[1].get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        query.initialize(manager, dataType, inputShapes[0]);
        key.initialize(manager, dataType, inputShapes[1]);
        value.initialize(manager, dataType, inputShapes[1]);
        Shape q = inputShapes[0];
        output.initialize(manager, dataType, new Shape(q.get(0), q.get(1), attentionSize));
    }
}

package io.caption4j.model.joint;

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
 * Text tokens attend over image regions: {@code context = softmax(Q·Kᵀ/√d)·V}, with queries from the tokens and keys
 * and values from the regions, each through a learned projection, split into heads; the heads' contexts are joined
 * and projected to the token width. Each token gets the part of the image its words are about.
 *
 * <p>Several heads (the captioner's {@link io.caption4j.model.RegionAttention} keeps one, to draw one map per word)
 * let one token look at several places at once, e.g. at both objects of "the red circle left of the star".
 *
 * <p>Inputs: tokens [B, T, H], regions [B, R, C]. Outputs: context [B, T, outputSize], weights [B, heads, T, R].
 */
public final class CrossModalAttention extends AbstractBlock {
    private final int heads;
    private final int attentionSize;
    private final int outputSize;
    private final Linear query;
    private final Linear key;
    private final Linear value;
    private final Linear output;

    public CrossModalAttention(int heads, int attentionSize, int outputSize) {
        if (heads < 1 || attentionSize % heads != 0) {
            throw new IllegalArgumentException("attention size " + attentionSize + " must split into " + heads
                    + " heads");
        }
        this.heads = heads;
        this.attentionSize = attentionSize;
        this.outputSize = outputSize;
        query = addChildBlock("query", Linear.builder().setUnits(attentionSize).optBias(false).build());
        key = addChildBlock("key", Linear.builder().setUnits(attentionSize).optBias(false).build());
        value = addChildBlock("value", Linear.builder().setUnits(attentionSize).optBias(false).build());
        output = addChildBlock("output", Linear.builder().setUnits(outputSize).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray q = splitHeads(query.forward(ps, new NDList(inputs.get(0)), training).head());
        NDList regions = new NDList(inputs.get(1));
        NDArray k = splitHeads(key.forward(ps, regions, training).head());
        NDArray v = splitHeads(value.forward(ps, regions, training).head());
        NDList attended = Attention.scaledDotProduct(q, k, v);
        NDArray joined = joinHeads(attended.get(0));
        return new NDList(output.forward(ps, new NDList(joined), training).head(), attended.get(1));
    }

    /** [B, N, A] → [B, heads, N, A/heads]. */
    private NDArray splitHeads(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), heads, attentionSize / heads).transpose(0, 2, 1, 3);
    }

    /** [B, heads, N, A/heads] → [B, N, A]. */
    private NDArray joinHeads(NDArray x) {
        Shape s = x.getShape();
        return x.transpose(0, 2, 1, 3).reshape(s.get(0), s.get(2), attentionSize);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape t = inputs[0];
        return new Shape[] {new Shape(t.get(0), t.get(1), outputSize),
            new Shape(t.get(0), heads, t.get(1), inputs[1].get(1))};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        query.initialize(manager, dataType, inputShapes[0]);
        key.initialize(manager, dataType, inputShapes[1]);
        value.initialize(manager, dataType, inputShapes[1]);
        Shape t = inputShapes[0];
        output.initialize(manager, dataType, new Shape(t.get(0), t.get(1), attentionSize));
    }
}

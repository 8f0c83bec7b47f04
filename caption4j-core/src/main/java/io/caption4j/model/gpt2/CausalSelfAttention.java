package io.caption4j.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.nn.Scalars;

/**
 * Multi-head causal self-attention: c_attn gives queries, keys and values in one product; each position attends to
 * itself and the positions before it, including the cached keys and values of earlier steps; c_proj mixes the heads.
 *
 * <p>A cached generation step runs this once per layer for a single position, where DJL's per-op cost outweighs the
 * arithmetic, so the op count is kept low: the three projections are split into heads in one reshape, one
 * transpose and one split, the scale is a constant made once, and a single new position needs neither the
 * transposes nor a mask.
 */
final class CausalSelfAttention extends AbstractBlock {
    private final int heads;
    private final int headSize;
    private final Conv1d cAttn;
    private final Conv1d cProj;
    private final CausalMask causalMask;
    private NDArray scale;

    CausalSelfAttention(Gpt2Config config, CausalMask causalMask) {
        heads = config.heads();
        headSize = config.headSize();
        this.causalMask = causalMask;
        cAttn = addChildBlock("c_attn", new Conv1d(config.embeddingSize(), 3 * config.embeddingSize()));
        cProj = addChildBlock("c_proj", new Conv1d(config.embeddingSize(), config.embeddingSize()));
    }

    /**
     * inputs: x [B, T, C], optionally the cached keys and values [B, H, P, D] of the P earlier positions →
     * y [B, T, C] and the keys and values of all P + T positions.
     */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        Shape shape = x.getShape();
        long batch = shape.get(0);
        long length = shape.get(1);
        // [B, T, 3C] → [B, 3H, T, D] → queries, keys, values [B, H, T, D]
        NDArray projected = cAttn.forward(ps, new NDList(x), training).head();
        NDList qkv = headsFirst(projected, batch, length, 3L * heads).split(new long[] {heads, 2L * heads}, 1);
        NDArray q = qkv.get(0);
        NDArray k = qkv.get(1);
        NDArray v = qkv.get(2);
        if (inputs.size() == 3) {
            k = NDArrays.concat(new NDList(inputs.get(1), k), 2);
            v = NDArrays.concat(new NDList(inputs.get(2), v), 2);
        }
        NDArray scores = q.matMul(k.swapAxes(2, 3)).muli(scale);
        if (length > 1) { // a single new position is the last one and sees every key: no mask (the cached step)
            scores.addi(causalMask.forPositions(k.getShape().get(2) - length, length));
        }
        NDArray y = mergeHeads(scores.softmax(-1).matMul(v), batch, length);
        return new NDList(cProj.forward(ps, new NDList(y), training).head(), k, v);
    }

    /**
     * [B, T, n·D] → [B, n, T, D]. With a single position [B, 1, n, D] and [B, n, 1, D] are the same memory, so the
     * cached step reshapes without a transpose (here and in {@link #mergeHeads}).
     */
    private NDArray headsFirst(NDArray a, long batch, long length, long n) {
        return length == 1 ? a.reshape(batch, n, 1, headSize) : a.reshape(batch, length, n, headSize).swapAxes(1, 2);
    }

    /** [B, H, T, D] → [B, T, H·D]. */
    private NDArray mergeHeads(NDArray a, long batch, long length) {
        return (length == 1 ? a : a.swapAxes(1, 2)).reshape(batch, length, (long) heads * headSize);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape x = inputs[0];
        long past = inputs.length == 3 ? inputs[1].get(2) : 0;
        Shape kv = new Shape(x.get(0), heads, past + x.get(1), headSize);
        return new Shape[] {x, kv, kv};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        cAttn.initialize(manager, dataType, inputs[0]);
        cProj.initialize(manager, dataType, inputs[0]);
        scale = Scalars.constant(manager, 1 / Math.sqrt(headSize));
    }
}

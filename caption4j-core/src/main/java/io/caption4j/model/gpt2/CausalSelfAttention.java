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
 */
final class CausalSelfAttention extends AbstractBlock {
    private final int heads;
    private final int headSize;
    private final Conv1d cAttn;
    private final Conv1d cProj;

    CausalSelfAttention(Gpt2Config config) {
        heads = config.heads();
        headSize = config.headSize();
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
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        NDList qkv = cAttn.forward(ps, new NDList(x), training).head().split(3, 2);
        NDArray q = splitHeads(qkv.get(0));
        NDArray k = splitHeads(qkv.get(1));
        NDArray v = splitHeads(qkv.get(2));
        if (inputs.size() == 3) {
            k = NDArrays.concat(new NDList(inputs.get(1), k), 2);
            v = NDArrays.concat(new NDList(inputs.get(2), v), 2);
        }
        NDArray scores = Scalars.times(q.matMul(k.transpose(0, 1, 3, 2)), 1 / Math.sqrt(headSize));
        // a single new position is the last one and sees every key: no mask needed (the cached step)
        NDArray weights = (length == 1 ? scores : causalMask(scores, length)).softmax(-1);
        NDArray y = weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, (long) heads * headSize);
        return new NDList(cProj.forward(ps, new NDList(y), training).head(), k, v);
    }

    /** [B, T, C] → [B, H, T, D]. */
    private NDArray splitHeads(NDArray a) {
        Shape s = a.getShape();
        return a.reshape(s.get(0), s.get(1), heads, headSize).transpose(0, 2, 1, 3);
    }

    /** scores [B, H, T, S] of the last T of S positions; query i may see key j iff j ≤ its own position. */
    private static NDArray causalMask(NDArray scores, long queries) {
        NDManager m = scores.getManager();
        long keys = scores.getShape().get(3);
        NDArray queryPositions = m.arange(keys - queries, keys, 1, DataType.INT64).reshape(queries, 1);
        NDArray keyPositions = m.arange(0, keys, 1, DataType.INT64).reshape(1, keys);
        // hidden positions get the lowest float, as in Hugging Face (DJL's where does not broadcast)
        NDArray hidden = queryPositions.lt(keyPositions).toType(DataType.FLOAT32, false).mul(-Float.MAX_VALUE);
        return scores.add(hidden);
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
    }
}

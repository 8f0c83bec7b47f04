package io.caption4j.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Multi-head self-attention with separate q/k/v projections and out_proj mixing the heads. In the text tower it is
 * causal (a position sees itself and the positions before it); in the vision tower every patch sees every patch.
 */
final class ClipAttention extends AbstractBlock {
    private final int heads;
    private final int headSize;
    private final boolean causal;
    private final ClipLinear qProj;
    private final ClipLinear kProj;
    private final ClipLinear vProj;
    private final ClipLinear outProj;

    ClipAttention(ClipConfig.Encoder config, boolean causal) {
        heads = config.heads();
        headSize = config.headSize();
        this.causal = causal;
        int size = config.hiddenSize();
        qProj = addChildBlock("q_proj", new ClipLinear(size, size, true));
        kProj = addChildBlock("k_proj", new ClipLinear(size, size, true));
        vProj = addChildBlock("v_proj", new ClipLinear(size, size, true));
        outProj = addChildBlock("out_proj", new ClipLinear(size, size, true));
    }

    /** x [B, T, C] → [B, T, C]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        NDArray q = splitHeads(qProj.forward(ps, inputs, training).head());
        NDArray k = splitHeads(kProj.forward(ps, inputs, training).head());
        NDArray v = splitHeads(vProj.forward(ps, inputs, training).head());
        NDArray scores = q.matMul(k.transpose(0, 1, 3, 2)).div(Math.sqrt(headSize));
        NDArray weights = (causal ? scores.add(causalMask(x, length)) : scores).softmax(-1);
        NDArray y = weights.matMul(v).transpose(0, 2, 1, 3).reshape(batch, length, (long) heads * headSize);
        return outProj.forward(ps, new NDList(y), training);
    }

    /** [B, T, C] → [B, H, T, D]. */
    private NDArray splitHeads(NDArray a) {
        Shape s = a.getShape();
        return a.reshape(s.get(0), s.get(1), heads, headSize).transpose(0, 2, 1, 3);
    }

    /** [T, T]: 0 where query i may see key j (j ≤ i), the lowest float elsewhere, as in Hugging Face. */
    private static NDArray causalMask(NDArray x, long length) {
        NDArray positions = x.getManager().arange(0, length, 1, DataType.INT64);
        NDArray future = positions.reshape(length, 1).lt(positions.reshape(1, length));
        return future.toType(DataType.FLOAT32, false).mul(-Float.MAX_VALUE);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}

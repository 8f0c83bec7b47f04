package io.caption4j.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.nn.LayerNorm;

/** One pre-LayerNorm transformer block: x + attn(ln_1(x)), then x + mlp(ln_2(x)). */
final class TransformerBlock extends AbstractBlock {
    private final LayerNorm ln1;
    private final CausalSelfAttention attn;
    private final LayerNorm ln2;
    private final Mlp mlp;

    private final float dropout;

    TransformerBlock(Gpt2Config config, CausalMask causalMask) {
        dropout = config.dropout();
        ln1 = addChildBlock("ln_1", new LayerNorm(config.embeddingSize(), config.layerNormEpsilon()));
        attn = addChildBlock("attn", new CausalSelfAttention(config, causalMask));
        ln2 = addChildBlock("ln_2", new LayerNorm(config.embeddingSize(), config.layerNormEpsilon()));
        mlp = addChildBlock("mlp", new Mlp(config));
    }

    /** inputs: x [B, T, C], optionally cached keys and values → x [B, T, C], keys and values (as attention). */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.get(0);
        NDList attnInputs = new NDList(ln1.forward(ps, new NDList(x), training).head());
        attnInputs.addAll(inputs.subNDList(1));
        NDList attended = attn.forward(ps, attnInputs, training);
        x = dropout(attended.get(0), dropout, training).addi(x); // in place on the block's output, never on x
        NDArray mlpOut = mlp.forward(ps, ln2.forward(ps, new NDList(x), training), training).head();
        x = dropout(mlpOut, dropout, training).addi(x);
        return new NDList(x, attended.get(1), attended.get(2));
    }

    /** Dropout in training; in generation no call at all, since every op of a cached step costs a native call. */
    static NDArray dropout(NDArray x, float rate, boolean training) {
        return training && rate > 0 ? Dropout.dropout(x, rate, true).head() : x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return attn.getOutputShapes(inputs);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        ln1.initialize(manager, dataType, inputs[0]);
        attn.initialize(manager, dataType, inputs);
        ln2.initialize(manager, dataType, inputs[0]);
        mlp.initialize(manager, dataType, inputs[0]);
    }
}

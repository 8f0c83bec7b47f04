package io.caption4j.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.nn.Scalars;

/** The feed-forward half of a transformer block: c_fc → GELU (tanh approximation) → c_proj. */
final class Mlp extends AbstractBlock {
    /** 2·√(2/π): GELU's tanh argument doubled, since 0.5·(1 + tanh z) = σ(2z). */
    private static final double LINEAR = 2 * Math.sqrt(2 / Math.PI);
    private static final double CUBIC = 0.044715 * LINEAR;

    private final Conv1d cFc;
    private final Conv1d cProj;
    private NDArray linear;
    private NDArray cubic;

    Mlp(Gpt2Config config) {
        cFc = addChildBlock("c_fc", new Conv1d(config.embeddingSize(), config.innerSize()));
        cProj = addChildBlock("c_proj", new Conv1d(config.innerSize(), config.embeddingSize()));
    }

    /**
     * GPT-2's "gelu_new", 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), computed as x·σ(x·(a + b·x²)) with
     * a = 2√(2/π), b = 0.044715·a: six native ops instead of twelve, on constants made once, three of them in
     * place on x², which backward does not keep.
     */
    private NDArray gelu(NDArray x) {
        return x.mul(Activation.sigmoid(x.square().muli(cubic).addi(linear).muli(x)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray hidden = gelu(cFc.forward(ps, inputs, training).head());
        return cProj.forward(ps, new NDList(hidden), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        cFc.initialize(manager, dataType, inputs);
        cProj.initialize(manager, dataType, cFc.getOutputShapes(inputs));
        linear = Scalars.constant(manager, LINEAR);
        cubic = Scalars.constant(manager, CUBIC);
    }
}

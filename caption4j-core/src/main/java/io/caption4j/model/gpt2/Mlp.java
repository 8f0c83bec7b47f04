package io.caption4j.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.nn.Scalars;

/** The feed-forward half of a transformer block: c_fc → GELU (tanh approximation) → c_proj. */
final class Mlp extends AbstractBlock {
    private static final double SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

    private final Conv1d cFc;
    private final Conv1d cProj;

    Mlp(Gpt2Config config) {
        cFc = addChildBlock("c_fc", new Conv1d(config.embeddingSize(), config.innerSize()));
        cProj = addChildBlock("c_proj", new Conv1d(config.innerSize(), config.embeddingSize()));
    }

    /** GPT-2's "gelu_new": 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    static NDArray gelu(NDArray x) {
        NDArray inner = Scalars.times(x.add(Scalars.times(Scalars.cube(x), 0.044715)), SQRT_2_OVER_PI);
        return Scalars.times(x, 0.5).mul(inner.tanh().add(1));
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
    }
}

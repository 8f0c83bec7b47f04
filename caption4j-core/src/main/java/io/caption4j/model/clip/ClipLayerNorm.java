package io.caption4j.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** Layer normalisation over the last axis with Hugging Face's parameter names ({@code weight}, {@code bias}). */
final class ClipLayerNorm extends AbstractBlock {
    private final int size;
    private final float epsilon;
    private final Parameter weight;
    private final Parameter bias;

    ClipLayerNorm(int size, double epsilon) {
        this.size = size;
        this.epsilon = (float) epsilon;
        weight = addParameter(ClipModel.parameter("weight", Parameter.Type.GAMMA, size));
        bias = addParameter(ClipModel.parameter("bias", Parameter.Type.BETA, size));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        return x.getNDArrayInternal().layerNorm(x, new Shape(size), ps.getValue(weight, x.getDevice(), training),
                ps.getValue(bias, x.getDevice(), training), epsilon);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}

package io.caption4j.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * PyTorch's {@code nn.Linear}, {@code y = x·Wᵀ + b}, with the weight [out, in] as the checkpoint stores it. Unlike
 * DJL's {@link Linear} block its shapes are fixed at construction, so a checkpoint can be checked against them
 * before anything is allocated.
 */
final class ClipLinear extends AbstractBlock {
    private final int outputSize;
    private final Parameter weight;
    private final Parameter bias;

    ClipLinear(int inputSize, int outputSize, boolean withBias) {
        this.outputSize = outputSize;
        weight = addParameter(ClipModel.parameter("weight", Parameter.Type.WEIGHT, outputSize, inputSize));
        bias = withBias ? addParameter(ClipModel.parameter("bias", Parameter.Type.BIAS, outputSize)) : null;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        return bias == null ? Linear.linear(x, w) : Linear.linear(x, w, ps.getValue(bias, x.getDevice(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape x = inputs[0];
        return new Shape[] {x.slice(0, x.dimension() - 1).add(outputSize)};
    }
}

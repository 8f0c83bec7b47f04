package io.caption4j.model.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * Layer normalisation over the last axis with Hugging Face's parameter names ({@code weight}, {@code bias}), shaped
 * when built so that checkpoint tensors can be checked before anything is allocated.
 */
public final class LayerNorm extends AbstractBlock {
    private final int size;
    private final float epsilon;
    private final Parameter weight;
    private final Parameter bias;

    public LayerNorm(int size, double epsilon) {
        this.size = size;
        this.epsilon = (float) epsilon;
        weight = addParameter(parameter("weight", Parameter.Type.GAMMA, size));
        bias = addParameter(parameter("bias", Parameter.Type.BETA, size));
    }

    private static Parameter parameter(String name, Parameter.Type type, int size) {
        return Parameter.builder().setName(name).setType(type).optShape(new Shape(size))
                .optInitializer(Initializer.ZEROS).build();
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

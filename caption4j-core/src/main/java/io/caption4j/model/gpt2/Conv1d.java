package io.caption4j.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * GPT-2's "Conv1D": a linear layer whose weight is stored [in, out], {@code y = x·W + b}. Keeping the checkpoint's
 * layout means weights load without a transpose.
 */
final class Conv1d extends AbstractBlock {
    private final int outputSize;
    private final Parameter weight;
    private final Parameter bias;

    Conv1d(int inputSize, int outputSize) {
        this.outputSize = outputSize;
        weight = addParameter(Gpt2Model.parameter("weight", Parameter.Type.WEIGHT, inputSize, outputSize));
        bias = addParameter(Gpt2Model.parameter("bias", Parameter.Type.BIAS, outputSize));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        NDArray b = ps.getValue(bias, x.getDevice(), training);
        return new NDList(x.matMul(w).addi(b)); // in place on the fresh product: autograd keeps nothing of it
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape x = inputs[0];
        return new Shape[] {x.slice(0, x.dimension() - 1).add(outputSize)};
    }
}

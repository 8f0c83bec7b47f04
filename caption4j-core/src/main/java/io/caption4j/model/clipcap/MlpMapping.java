package io.caption4j.model.clipcap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.nn.PyTorchDefaults;

/** ClipCap's MLP mapping: embedding → Linear → tanh → Linear → prefix_length × d_model, as in the paper. */
final class MlpMapping extends AbstractBlock {
    private final int prefixLength;
    private final int width;
    private final Linear hidden;
    private final Linear output;

    /** embeddings of {@code inputSize} → {@code prefixLength} vectors of {@code width}. */
    MlpMapping(int inputSize, int prefixLength, int width) {
        this.prefixLength = prefixLength;
        this.width = width;
        long hiddenSize = (long) width * prefixLength / 2;
        hidden = addChildBlock("hidden", PyTorchDefaults.uniformByFanIn(Linear.builder().setUnits(hiddenSize).build(),
                inputSize));
        output = addChildBlock("output", PyTorchDefaults.uniformByFanIn(
                Linear.builder().setUnits((long) width * prefixLength).build(), hiddenSize));
    }

    /** embedding [B, C] → prefix [B, L, d]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray h = hidden.forward(ps, inputs, training).head().tanh();
        NDArray prefix = output.forward(ps, new NDList(h), training).head();
        return new NDList(prefix.reshape(-1, prefixLength, width));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), prefixLength, width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        hidden.initialize(manager, dataType, inputs);
        output.initialize(manager, dataType, hidden.getOutputShapes(inputs));
    }
}

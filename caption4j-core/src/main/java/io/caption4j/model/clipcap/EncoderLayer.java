package io.caption4j.model.clipcap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.nn.LayerNorm;
import io.caption4j.model.nn.Attention;
import io.caption4j.model.nn.PyTorchDefaults;

/**
 * A pre-LayerNorm transformer encoder layer (every position sees every other), as in ClipCap's mapping network:
 * x + attention(LN(x)), then x + MLP(LN(x)) with a ReLU hidden layer twice as wide.
 */
final class EncoderLayer extends AbstractBlock {
    private final int heads;
    private final int width;
    private final LayerNorm norm1;
    private final Linear qkv;
    private final Linear project;
    private final LayerNorm norm2;
    private final Linear expand;
    private final Linear contract;

    EncoderLayer(int width, int heads) {
        if (width % heads != 0) {
            throw new IllegalArgumentException("width " + width + " is not a multiple of " + heads + " heads");
        }
        this.heads = heads;
        this.width = width;
        norm1 = addChildBlock("norm1", new LayerNorm(width, 1e-5));
        qkv = addChildBlock("qkv", linear(3L * width, width));
        project = addChildBlock("project", linear(width, width));
        norm2 = addChildBlock("norm2", new LayerNorm(width, 1e-5));
        expand = addChildBlock("expand", linear(2L * width, width));
        contract = addChildBlock("contract", linear(width, 2L * width));
    }

    private static Linear linear(long units, long inputSize) {
        return PyTorchDefaults.uniformByFanIn(Linear.builder().setUnits(units).build(), inputSize);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        x = x.add(attention(ps, norm1.forward(ps, new NDList(x), training).head(), training));
        NDArray hidden = Activation.relu(expand.forward(ps, norm2.forward(ps, new NDList(x), training), training)
                .head());
        return new NDList(x.add(contract.forward(ps, new NDList(hidden), training).head()));
    }

    /** softmax(QKᵀ/√d)V over all positions, per head. */
    private NDArray attention(ParameterStore ps, NDArray x, boolean training) {
        long batch = x.getShape().get(0);
        long length = x.getShape().get(1);
        int headSize = width / heads;
        NDList split = qkv.forward(ps, new NDList(x), training).head().reshape(batch, length, 3, heads, headSize)
                .transpose(2, 0, 3, 1, 4).split(3, 0);
        NDArray q = split.get(0).squeeze(0);
        NDArray k = split.get(1).squeeze(0);
        NDArray v = split.get(2).squeeze(0);
        NDArray y = Attention.scaledDotProduct(q, k, v).head().transpose(0, 2, 1, 3).reshape(batch, length, width);
        return project.forward(ps, new NDList(y), training).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        Shape x = inputs[0];
        norm1.initialize(manager, dataType, x);
        qkv.initialize(manager, dataType, x);
        project.initialize(manager, dataType, x);
        norm2.initialize(manager, dataType, x);
        expand.initialize(manager, dataType, x);
        contract.initialize(manager, dataType, new Shape(x.get(0), x.get(1), 2L * width));
    }
}

package io.caption4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.io.ArrayValues;
import io.caption4j.vision.PointwiseConv;

/**
 * The backbone's last layer, taken over by the captioner to be fine-tuned: a 1×1 convolution (batch norm folded in)
 * → ReLU6, applied to each region, regions [B, R, C_in] → [B, R, C_out]. MobileNetV2's {@code Conv_1} → {@code
 * Conv_1_bn} → {@code out_relu}, which learns what to report about each region for captions rather than for ImageNet's
 * classes.
 */
public final class BackboneTop extends AbstractBlock {
    /** Name of this block in its parent, the prefix of its parameters' names. */
    public static final String NAME = "backboneTop";
    private static final float RELU_CAP = 6f;

    private final Linear conv;

    public BackboneTop(int outputChannels) {
        conv = addChildBlock("conv", Linear.builder().setUnits(outputChannels).build());
    }

    /** Whether a parameter of the parent captioner (named as DJL names them, "01backboneTop_...") is this block's. */
    public static boolean owns(String parameterName) {
        return parameterName.replaceFirst("^\\d+", "").startsWith(NAME + "_");
    }

    /** Starts from the pretrained layer (after {@code initialize}). */
    public void load(PointwiseConv pretrained) {
        Shape weight = conv.getParameters().get("weight").getArray().getShape();
        if (weight.get(0) != pretrained.outputs() || weight.get(1) != pretrained.inputs()) {
            throw new IllegalArgumentException("a " + pretrained.inputs() + " → " + pretrained.outputs()
                    + " layer does not fit weights " + weight);
        }
        ArrayValues.assign(conv.getParameters().get("weight").getArray(), pretrained.weight());
        ArrayValues.assign(conv.getParameters().get("bias").getArray(), pretrained.bias());
    }

    /** The layer's current weights. */
    public PointwiseConv weights() {
        NDArray weight = conv.getParameters().get("weight").getArray();
        return new PointwiseConv(weight.toFloatArray(), conv.getParameters().get("bias").getArray().toFloatArray(),
                Math.toIntExact(weight.getShape().get(1)), Math.toIntExact(weight.getShape().get(0)));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(conv.forward(ps, inputs, training).head().clip(0f, RELU_CAP));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return conv.getOutputShapes(inputs);
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, inputShapes);
    }
}

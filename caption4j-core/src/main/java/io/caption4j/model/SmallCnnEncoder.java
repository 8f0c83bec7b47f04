package io.caption4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A small CNN trained from scratch with the decoder: three stages of conv3×3 → BatchNorm → ReLU → max-pool 2×2, then
 * a last conv stage. An image of side S becomes an (S/8)×(S/8) grid of regions.
 *
 * <p>Input [B, S, S, 3] (NHWC, as every image tensor in the project); output regions [B, (S/8)², C].
 */
public final class SmallCnnEncoder extends AbstractBlock {
    private static final int[] STAGE_WIDTHS = {32, 64, 128};

    private final SequentialBlock trunk;
    private final int outputChannels;

    public SmallCnnEncoder(int outputChannels) {
        this.outputChannels = outputChannels;
        SequentialBlock net = new SequentialBlock();
        for (int width : STAGE_WIDTHS) {
            net.add(convBnRelu(width)).add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
        }
        net.add(convBnRelu(outputChannels));
        trunk = addChildBlock("trunk", net);
    }

    private static SequentialBlock convBnRelu(int channels) {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optPadding(new Shape(1, 1))
                        .setFilters(channels).optBias(false).build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray nchw = inputs.singletonOrThrow().transpose(0, 3, 1, 2);
        NDArray grid = trunk.forward(ps, new NDList(nchw), training).singletonOrThrow(); // [B, C, h, w]
        Shape s = grid.getShape();
        NDArray regions = grid.reshape(s.get(0), s.get(1), s.get(2) * s.get(3)).transpose(0, 2, 1);
        return new NDList(regions);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long side = inputs[0].get(1) / 8;
        return new Shape[] {new Shape(inputs[0].get(0), side * side, outputChannels)};
    }

    @Override
    protected void initializeChildBlocks(ai.djl.ndarray.NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape in = inputShapes[0];
        trunk.initialize(manager, dataType, new Shape(in.get(0), in.get(3), in.get(1), in.get(2)));
    }
}

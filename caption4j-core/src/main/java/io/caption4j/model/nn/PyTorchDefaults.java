package io.caption4j.model.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.UniformInitializer;

/**
 * PyTorch's default initialisation of a linear layer, for blocks that follow a PyTorch reference (ClipCap's mapping
 * networks). DJL's initialisers do not depend on the kind of layer, so a block that should start as its reference
 * does says so per layer.
 */
public final class PyTorchDefaults {
    private PyTorchDefaults() {}

    /**
     * nn.Linear (kaiming_uniform with a = √5, and its bias rule): weights and biases U(−1/√n, 1/√n), where n is the
     * layer's input size.
     */
    public static <B extends Block> B uniformByFanIn(B block, long fanIn) {
        Initializer uniform = new UniformInitializer((float) (1 / Math.sqrt(fanIn)));
        block.setInitializer(uniform, Parameter.Type.WEIGHT);
        block.setInitializer(uniform, Parameter.Type.BIAS);
        return block;
    }
}

package io.caption4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import org.junit.jupiter.api.Test;

class AdamWTest {
    /**
     * Adam's first step moves every weight by lr · g/|g| (bias-corrected moments of one gradient): −lr for a positive
     * gradient. A parameter scaled to a tenth moves a tenth as far.
     */
    @Test
    void aScaledParameterMovesByItsShareOfTheLearningRate() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Parameter decoder = parameter(manager, "03gru_weight");
            Parameter top = parameter(manager, "01backboneTop_01conv_weight");
            PairList<String, Parameter> parameters = new PairList<>();
            parameters.add("03gru_weight", decoder);
            parameters.add("01backboneTop_01conv_weight", top);
            AdamW adam = new AdamW(parameters, manager, 0,
                    name -> name.contains("backboneTop") ? 0.1 : 1.0);
            try (GradientCollector gradients = Engine.getInstance().newGradientCollector()) {
                gradients.backward(decoder.getArray().mul(3).sum().add(top.getArray().mul(3).sum()));
            }
            adam.step(0.01);
            assertArrayEquals(new float[] {0.99f, 1.99f}, decoder.getArray().toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.999f, 1.999f}, top.getArray().toFloatArray(), 1e-6f);
            assertEquals(1, adam.steps());
        }
    }

    private static Parameter parameter(NDManager manager, String name) {
        Parameter p = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT).build();
        NDArray values = manager.create(new float[] {1f, 2f});
        values.setRequiresGradient(true);
        p.setArray(values);
        return p;
    }
}

package io.caption4j.model.joint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.caption4j.util.InputException;
import org.junit.jupiter.api.Test;

class FusionTest {
    private static float[] fuse(NDManager m, Fusion fusion) {
        fusion.initialize(m, DataType.FLOAT32, new Shape(1, 2), new Shape(1, 2));
        NDArray text = m.create(new float[] {1, 2}, new Shape(1, 2));
        NDArray image = m.create(new float[] {3, 4}, new Shape(1, 2));
        NDArray out = fusion.forward(new ParameterStore(m, false), new NDList(text, image), false).head();
        assertEquals(new Shape(1, fusion.outputSize()), out.getShape());
        return out.toFloatArray();
    }

    @Test
    void concatenationKeepsBoth() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {1, 2, 3, 4}, fuse(m, new Fusion(Fusion.Mode.CONCAT, 2)));
        }
    }

    @Test
    void productMultipliesFeatureByFeature() {
        try (NDManager m = NDManager.newBaseManager()) {
            assertArrayEquals(new float[] {3, 8}, fuse(m, new Fusion(Fusion.Mode.PRODUCT, 2)));
        }
    }

    @Test
    void weightedSumStartsAtTheMeanAndFollowsItsLearnedWeights() {
        try (NDManager m = NDManager.newBaseManager()) {
            Fusion fusion = new Fusion(Fusion.Mode.WEIGHTED_SUM, 2);
            assertArrayEquals(new float[] {2, 3}, fuse(m, fusion), 1e-6f);
            // sigmoid(ln 3) = 3/4 of the text for the first feature, sigmoid(0) = 1/2 for the second
            fusion.mix().getArray().set(new float[] {(float) Math.log(3), 0});
            assertArrayEquals(new float[] {0.75f * 1 + 0.25f * 3, 3}, fuse(m, fusion), 1e-6f);
        }
    }

    @Test
    void fusesEveryTokenOfASequence() {
        try (NDManager m = NDManager.newBaseManager()) {
            Fusion fusion = new Fusion(Fusion.Mode.CONCAT, 4);
            fusion.initialize(m, DataType.FLOAT32, new Shape(2, 5, 4), new Shape(2, 5, 4));
            NDArray a = m.ones(new Shape(2, 5, 4));
            NDArray out = fusion.forward(new ParameterStore(m, false), new NDList(a, a.mul(2)), false).head();
            assertEquals(new Shape(2, 5, 8), out.getShape());
            assertEquals(new Shape(2, 5, 8), fusion.getOutputShapes(new Shape[] {new Shape(2, 5, 4)})[0]);
            assertEquals(2 * 5 * (4 + 8), out.sum().getFloat(), 1e-4);
        }
    }

    @Test
    void modesAreNamedAsTheFlagNamesThem() {
        assertEquals(Fusion.Mode.WEIGHTED_SUM, Fusion.Mode.parse("weighted-sum"));
        assertEquals("concat", Fusion.Mode.CONCAT.key());
        InputException e = assertThrows(InputException.class, () -> Fusion.Mode.parse("sum"));
        assertEquals("fusion must be concat, product or weighted-sum, got 'sum'", e.getMessage());
    }
}

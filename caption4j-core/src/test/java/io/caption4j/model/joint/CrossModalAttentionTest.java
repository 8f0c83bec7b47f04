package io.caption4j.model.joint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;
import io.caption4j.model.nn.Attention;

class CrossModalAttentionTest {
    private static final float[] KEYS = {1, 0, 0, 1, 0, 0}; // three regions: x, y, nothing
    private static final float[] VALUES = {1, 2, 3, 4, 5, 6};

    @Test
    void scaledDotProductMatchesTheFormulaByHand() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(new float[] {1, 0}, new Shape(1, 1, 2));
            NDList out = Attention.scaledDotProduct(q, m.create(KEYS, new Shape(1, 3, 2)),
                    m.create(VALUES, new Shape(1, 3, 2)));
            // scores q·k/√2 = (1/√2, 0, 0); softmax over them
            double e = Math.exp(1 / Math.sqrt(2));
            float[] expectedWeights = {(float) (e / (e + 2)), (float) (1 / (e + 2)), (float) (1 / (e + 2))};
            float[] weights = out.get(1).toFloatArray();
            assertArrayEquals(expectedWeights, weights, 1e-6f);
            assertEquals(1.0, weights[0] + weights[1] + weights[2], 1e-6);
            float[] expectedContext = {
                expectedWeights[0] * 1 + expectedWeights[1] * 3 + expectedWeights[2] * 5,
                expectedWeights[0] * 2 + expectedWeights[1] * 4 + expectedWeights[2] * 6};
            assertArrayEquals(expectedContext, out.get(0).toFloatArray(), 1e-5f);
            assertEquals(new Shape(1, 1, 2), out.get(0).getShape());
        }
    }

    @Test
    void aQueryEqualToOneKeyAtLargeScaleAttendsAlmostOnlyThere() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray q = m.create(new float[] {0, 10}, new Shape(1, 1, 2)); // 10 × the second key
            float[] weights = Attention.scaledDotProduct(q, m.create(KEYS, new Shape(1, 3, 2)),
                    m.create(VALUES, new Shape(1, 3, 2))).get(1).toFloatArray();
            assertTrue(weights[1] > 0.998, "weight on the matching key: " + weights[1]);
        }
    }

    @Test
    void theBlockGivesEveryTokenAContextAndEveryHeadWeightsThatSumToOne() {
        try (NDManager m = NDManager.newBaseManager()) {
            CrossModalAttention attention = new CrossModalAttention(2, 8, 6);
            attention.initialize(m, DataType.FLOAT32, new Shape(2, 4, 5), new Shape(2, 9, 3));
            NDArray tokens = m.randomNormal(new Shape(2, 4, 5));
            NDArray regions = m.randomNormal(new Shape(2, 9, 3));
            NDList out = attention.forward(new ParameterStore(m, false), new NDList(tokens, regions), false);
            assertEquals(new Shape(2, 4, 6), out.get(0).getShape());
            assertEquals(new Shape(2, 2, 4, 9), out.get(1).getShape());
            float[] sums = out.get(1).sum(new int[] {3}).toFloatArray();
            for (float sum : sums) {
                assertEquals(1.0, sum, 1e-5);
            }
        }
    }
}

package io.caption4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.caption4j.util.InputException;
import org.junit.jupiter.api.Test;

class ContrastiveLossTest {

    /** 2×2 similarities [[0.8, 0.1], [0.3, 0.5]], scale 10: the four softmax cross-entropies written out. */
    @Test
    void infoNceOnATwoByTwoMatchesTheHandComputedValue() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray similarity = manager.create(new float[][] {{0.8f, 0.1f}, {0.3f, 0.5f}});
            float loss = ContrastiveLoss.infoNce(similarity, manager.create(10f)).getFloat();
            double image0 = -Math.log(Math.exp(8) / (Math.exp(8) + Math.exp(1)));
            double image1 = -Math.log(Math.exp(5) / (Math.exp(3) + Math.exp(5)));
            double text0 = -Math.log(Math.exp(8) / (Math.exp(8) + Math.exp(3)));
            double text1 = -Math.log(Math.exp(5) / (Math.exp(1) + Math.exp(5)));
            double expected = ((image0 + image1) / 2 + (text0 + text1) / 2) / 2;
            assertEquals(expected, loss, 1e-5);
            assertEquals(0.03818, expected, 1e-5, "the hand-computed value itself");
        }
    }

    /**
     * 3×3 similarities, margin 0.2. Pair 0: hardest wrong text 0.6 (hinge 0), hardest wrong image 0.7 (hinge 0.1);
     * pair 1: texts 0.3 (0), images 0.4 (0.1); pair 2: texts 0.7 (0), images 0.6 (0). Mean over pairs: 0.2 / 3.
     */
    @Test
    void tripletUsesTheHardestNegativeInEachDirection() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray similarity = manager.create(new float[][] {{0.8f, 0.1f, 0.6f}, {0.3f, 0.5f, 0.2f},
                {0.7f, 0.4f, 0.9f}});
            assertEquals(0.2 / 3, ContrastiveLoss.hardestNegativeTriplet(similarity, 0.2f).getFloat(), 1e-6);
            assertEquals(0.0, ContrastiveLoss.hardestNegativeTriplet(similarity, 0.0f).getFloat(), 1e-6,
                    "no negative beats its positive, so a zero margin costs nothing");
            ContrastiveLoss named = ContrastiveLoss.named("triplet", 0.2f);
            assertEquals(0.2 / 3, named.loss(similarity, manager.create(1f), 2).getFloat(), 1e-6);
        }
    }

    /**
     * The first epoch's triplet loss: hinges against all 6 wrong texts and 6 wrong images, margin 0.2. Texts:
     * row 0 (0.1, 0.6) vs 0.8 → 0, 0; row 1 (0.3, 0.2) vs 0.5 → 0, 0; row 2 (0.7, 0.4) vs 0.9 → 0, 0. Images:
     * column 0 (0.3, 0.7) vs 0.8 → 0, 0.1; column 1 (0.1, 0.4) vs 0.5 → 0, 0.1; column 2 (0.6, 0.2) vs 0.9 → 0, 0.
     * Mean over the 6 negative pairs: 0.2 / 6.
     */
    @Test
    void tripletWarmsUpOverAllNegativesInTheFirstEpoch() {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray similarity = manager.create(new float[][] {{0.8f, 0.1f, 0.6f}, {0.3f, 0.5f, 0.2f},
                {0.7f, 0.4f, 0.9f}});
            assertEquals(0.2 / 6, ContrastiveLoss.named("triplet", 0.2f).loss(similarity, manager.create(1f), 1)
                    .getFloat(), 1e-6);
        }
    }

    @Test
    void unknownLossIsAnInputError() {
        InputException e = assertThrows(InputException.class, () -> ContrastiveLoss.named("hinge", 0.2f));
        assertEquals("--loss must be infonce or triplet, got hinge", e.getMessage());
    }
}

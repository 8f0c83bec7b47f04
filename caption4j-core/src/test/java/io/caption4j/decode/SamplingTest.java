package io.caption4j.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.util.InputException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Draws from one row of log-probabilities [0.1, 0.5, 0.2, 0.2] (after one row of padding, to check offsets). */
class SamplingTest {
    private static final float[] ROWS = logs(0.25, 0.25, 0.25, 0.25, 0.1, 0.5, 0.2, 0.2);
    private static final int DRAWS = 20_000;

    private static float[] logs(double... p) {
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) Math.log(p[i]);
        }
        return out;
    }

    /** Share of each token in DRAWS draws from the second row. */
    private static double[] frequencies(Sampling sampling, float[] rows) {
        double[] counts = new double[4];
        for (int i = 0; i < DRAWS; i++) {
            counts[sampling.draw(rows, 4, 4)] += 1.0 / DRAWS;
        }
        return counts;
    }

    private static double[] frequencies(Sampling sampling) {
        return frequencies(sampling, ROWS);
    }

    /** Within about 4 standard deviations of a share near 0.5 over 20,000 draws. */
    private static void assertShares(double[] expected, double[] actual) {
        for (int v = 0; v < expected.length; v++) {
            assertEquals(expected[v], actual[v], 0.015, "token " + v);
        }
    }

    @Test
    void plainSamplingFollowsTheModel() {
        assertShares(new double[] {0.1, 0.5, 0.2, 0.2}, frequencies(Sampling.plain(new Random(1))));
    }

    @Test
    void temperatureRaisesProbabilitiesToItsInverse() {
        // T = 2: p^½ normalised; 0.316, 0.707, 0.447, 0.447 over 1.918
        assertShares(new double[] {0.165, 0.369, 0.233, 0.233},
                frequencies(new Sampling(2, 0, 1, new Random(2))));
    }

    @Test
    void topKKeepsTheKLikeliestWordsRenormalised() {
        // ties at 0.2 keep the first in the sorted order: token 2
        assertShares(new double[] {0, 0.5 / 0.7, 0.2 / 0.7, 0}, frequencies(new Sampling(1, 2, 1, new Random(3))));
    }

    @Test
    void topPKeepsTheWordsUpToTheOneThatReachesP() {
        // 0.5 < 0.6 so the next word (0.2) is kept too; the mass above the third word, 0.7, already reaches 0.6
        assertShares(new double[] {0, 0.5 / 0.7, 0.2 / 0.7, 0}, frequencies(new Sampling(1, 0, 0.6, new Random(4))));
        assertShares(new double[] {0, 1, 0, 0}, frequencies(new Sampling(1, 0, 0.5, new Random(5))));
    }

    @Test
    void topPIsMeasuredWithinTheTopKAsHuggingFaceDoes() {
        // renormalised within the top 2 the first word has 0.714, which reaches p = 0.7 alone; measured over the
        // whole distribution it would have 0.5, and the second word would stay
        assertShares(new double[] {0, 1, 0, 0}, frequencies(new Sampling(1, 2, 0.7, new Random(6))));
    }

    @Test
    void forbiddenWordsAreNeverDrawnAndTheRestRenormalised() {
        float[] withoutOne = ROWS.clone();
        withoutOne[4 + 1] = Float.NEGATIVE_INFINITY;
        assertShares(new double[] {0.2, 0, 0.4, 0.4}, frequencies(Sampling.plain(new Random(7)), withoutOne));
        float[] noneAllowed = ROWS.clone();
        Arrays.fill(noneAllowed, 4, 8, Float.NEGATIVE_INFINITY);
        assertThrows(IllegalStateException.class, () -> Sampling.plain(new Random(8)).draw(noneAllowed, 4, 4));
    }

    @Test
    void theSameSeedDrawsTheSameWords() {
        Sampling one = Sampling.plain(new Random(9));
        Sampling two = Sampling.plain(new Random(9));
        for (int i = 0; i < 100; i++) {
            assertEquals(one.draw(ROWS, 4, 4), two.draw(ROWS, 4, 4));
        }
    }

    @Test
    void settingsAreCheckedWithTheirOptionNames() {
        Random r = new Random(1);
        assertTrue(assertThrows(InputException.class, () -> new Sampling(0, 0, 1, r)).getMessage()
                .contains("--temperature"));
        assertTrue(assertThrows(InputException.class, () -> new Sampling(1, -1, 1, r)).getMessage().contains("--top-k"));
        assertTrue(assertThrows(InputException.class, () -> new Sampling(1, 0, 0, r)).getMessage().contains("--top-p"));
        assertTrue(assertThrows(InputException.class, () -> new Sampling(1, 0, 1.5, r)).getMessage().contains("--top-p"));
    }
}

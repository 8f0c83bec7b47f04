package io.caption4j.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.util.InputException;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Search on a Markov "language model" whose next-token probabilities depend only on the previous token:
 * start → a 0.6 | b 0.4;  a → a 0.55 | end 0.45;  b → end 1.0. Greedy follows a, a, a...; the most probable whole
 * caption is "b" (0.4 against 0.27 for "a"). The state carries the token fed before, and each step checks that
 * the token fed now can follow it: a beam whose state was not reordered with it is caught.
 */
class CaptionSearchTest {
    private static final int START = 1;
    private static final int END = 2;
    private static final int A = 3;
    private static final int B = 4;
    private static NDManager manager;

    @BeforeAll
    static void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
    }

    private static final class Markov implements StepModel {
        @Override
        public NDList start(NDArray images) {
            long[] starts = new long[(int) images.getShape().get(0)];
            java.util.Arrays.fill(starts, START);
            return new NDList(images.getManager().create(starts));
        }

        @Override
        public Step step(NDArray previous, NDList state) {
            long[] tokens = previous.toLongArray();
            long[] before = state.get(0).toLongArray();
            for (int i = 0; i < tokens.length; i++) {
                boolean possible = before[i] == START ? tokens[i] != END : before[i] == A && tokens[i] == A;
                assertTrue(possible, "row " + i + ": token " + tokens[i] + " cannot follow " + before[i]
                        + ": the state was not reordered with its beam");
            }
            float[] probs = new float[tokens.length * 5];
            for (int i = 0; i < tokens.length; i++) {
                float[] row = switch ((int) tokens[i]) {
                    case START -> new float[] {0, 0, 0, 0.6f, 0.4f};
                    case A -> new float[] {0, 0, 0.45f, 0.55f, 0};
                    default -> new float[] {0, 0, 1, 0, 0};
                };
                System.arraycopy(row, 0, probs, i * 5, 5);
            }
            NDManager m = previous.getManager();
            NDArray logProbs = m.create(probs, new Shape(tokens.length, 5)).add(1e-30f).log();
            NDArray attention = m.full(new Shape(tokens.length, 2), 0.5f);
            return new Step(logProbs, attention, new NDList(previous.duplicate()));
        }

        @Override
        public int startToken() {
            return START;
        }

        @Override
        public int endToken() {
            return END;
        }
    }

    private static List<List<Hypothesis>> search(int images, DecodingOptions options) {
        return CaptionSearch.generate(new Markov(), manager.zeros(new Shape(images, 1)), options);
    }

    @Test
    void greedyTakesTheLikeliestTokenEachStepUntilTheLengthLimit() {
        Hypothesis h = search(1, DecodingOptions.greedy(4)).get(0).get(0);
        assertArrayEquals(new int[] {A, A, A, A}, h.tokens());
        assertArrayEquals(new float[] {0.6f, 0.55f, 0.55f, 0.55f}, h.probabilities(), 1e-5f);
        assertEquals(Math.log(0.6 * Math.pow(0.55, 3)), h.logProbability(), 1e-5);
        assertEquals(4, h.attention().size());
        assertArrayEquals(new float[] {0.5f, 0.5f}, h.attention().get(0), 0f);
    }

    @Test
    void beamSearchFindsTheMostProbableWholeCaptionWithNBestInOrder() {
        List<List<Hypothesis>> out = search(3, new DecodingOptions(2, 6, 0.0, 0, 2));
        assertEquals(3, out.size(), "one result list per image");
        for (List<Hypothesis> nBest : out) {
            assertEquals(2, nBest.size());
            assertArrayEquals(new int[] {B, END}, nBest.get(0).tokens());
            assertEquals(Math.log(0.4), nBest.get(0).score(), 1e-5);
            assertArrayEquals(new int[] {A, END}, nBest.get(1).tokens());
            assertEquals(Math.log(0.6 * 0.45), nBest.get(1).score(), 1e-5);
        }
    }

    @Test
    void lengthPenaltyRanksByMeanLogProbabilityPerToken() {
        Hypothesis best = search(1, new DecodingOptions(2, 6, 1.0, 0, 2)).get(0).get(0);
        // per token: "b <end>" log(0.4)/2 = -0.458 beats "a <end>" log(0.27)/2 = -0.655
        assertArrayEquals(new int[] {B, END}, best.tokens());
        assertEquals(Math.log(0.4) / 2, best.score(), 1e-5);
    }

    @Test
    void noRepeatNgramForbidsRepeatingAToken() {
        Hypothesis h = search(1, new DecodingOptions(1, 6, 0.0, 1, 1)).get(0).get(0);
        assertArrayEquals(new int[] {A, END}, h.tokens(), "after 'a', 'a' again is banned, so it ends");
    }

    @Test
    void aRepetitionPenaltyEndsGreedyRepeatsButReportsTheModelsLogProbability() {
        // after "a": a again scores 1.5 · log 0.55 = −0.897, below the end token's log 0.45 = −0.799
        Hypothesis h = search(1, new DecodingOptions(1, 6, 0.0, 1, new TokenRules(0, 0, 1.5), null)).get(0).get(0);
        assertArrayEquals(new int[] {A, END}, h.tokens());
        assertEquals(Math.log(0.6 * 0.45), h.logProbability(), 1e-5, "the model's own log-probability");
        assertEquals(Math.log(0.6 * 0.45), h.score(), 1e-5, "the end token was not in the caption: no penalty");

        Hypothesis slight = search(1, new DecodingOptions(1, 4, 0.0, 1, new TokenRules(0, 0, 1.2), null)).get(0).get(0);
        assertArrayEquals(new int[] {A, A, A, A}, slight.tokens(), "1.2 · log 0.55 = −0.717 still beats −0.799");
        assertEquals(Math.log(0.6) + 3 * 1.2 * Math.log(0.55), slight.score(), 1e-5, "ranked by the reshaped scores");
    }

    @Test
    void samplingDrawsCaptionsWithTheModelsProbabilities() {
        List<int[]> samples = CaptionSearch.sample(new Markov(), manager.zeros(new Shape(2, 1)), 1000, 30,
                new Random(5));
        assertEquals(2000, samples.size(), "perImage samples for each image");
        int startsWithB = 0;
        int justA = 0;
        for (int[] s : samples) {
            assertEquals(END, s[s.length - 1], "every sample ends (P(no end in 30 tokens) ≈ 1e-8)");
            if (s[0] == B) {
                assertArrayEquals(new int[] {B, END}, s);
                startsWithB++;
            }
            justA += Arrays.equals(s, new int[] {A, END}) ? 1 : 0;
        }
        // P(b…) = 0.4 and P("a <end>") = 0.6 · 0.45 = 0.27; bounds are about ±3.6 standard deviations
        assertEquals(0.40, startsWithB / 2000.0, 0.04);
        assertEquals(0.27, justA / 2000.0, 0.035);
    }

    @Test
    void samplingIsReproducibleFromItsSeed() {
        List<int[]> first = CaptionSearch.sample(new Markov(), manager.zeros(new Shape(3, 1)), 4, 10, new Random(9));
        List<int[]> again = CaptionSearch.sample(new Markov(), manager.zeros(new Shape(3, 1)), 4, 10, new Random(9));
        List<int[]> other = CaptionSearch.sample(new Markov(), manager.zeros(new Shape(3, 1)), 4, 10, new Random(10));
        for (int i = 0; i < first.size(); i++) {
            assertArrayEquals(first.get(i), again.get(i));
        }
        boolean differs = false;
        for (int i = 0; i < first.size(); i++) {
            differs |= !Arrays.equals(first.get(i), other.get(i));
        }
        assertTrue(differs, "another seed draws other captions");
    }

    private static DecodingOptions sampling(int maxLength, int perImage, Sampling sampling) {
        return new DecodingOptions(1, maxLength, 0, perImage, TokenRules.NONE, sampling);
    }

    @Test
    void samplingReturnsTheDrawnCaptionsOfEachImageWithTheirLogProbabilities() {
        List<List<Hypothesis>> out = search(2, sampling(30, 4, Sampling.plain(new Random(2))));
        assertEquals(2, out.size());
        for (List<Hypothesis> drawn : out) {
            assertEquals(4, drawn.size(), "--n-best captions drawn per image");
            for (Hypothesis h : drawn) {
                int[] t = h.tokens();
                assertEquals(END, t[t.length - 1]);
                double expected = t[0] == B ? Math.log(0.4) : Math.log(0.6 * Math.pow(0.55, t.length - 2) * 0.45);
                assertEquals(expected, h.logProbability(), 1e-5, "the model's log-probability of " + Arrays.toString(t));
            }
        }
    }

    @Test
    void samplingAmongTheTopWordOnlyIsGreedy() {
        for (List<Hypothesis> drawn : search(2, sampling(4, 3, new Sampling(1, 1, 1, new Random(3))))) {
            for (Hypothesis h : drawn) {
                assertArrayEquals(new int[] {A, A, A, A}, h.tokens());
            }
        }
    }

    @Test
    void aLowTemperatureSharpensTheDistribution() {
        List<Hypothesis> drawn = search(1, sampling(30, 2000, new Sampling(0.5, 0, 1, new Random(4)))).get(0);
        long startsWithB = drawn.stream().filter(h -> h.tokens()[0] == B).count();
        // first word at temperature 0.5: b with 0.4² / (0.4² + 0.6²) = 0.308 instead of 0.4; ±3.4 standard deviations
        assertEquals(0.308, startsWithB / 2000.0, 0.035);
    }

    @Test
    void optionsAreCheckedWithUserFacingMessages() {
        InputException beam = assertThrows(InputException.class, () -> new DecodingOptions(0, 5, 1, 0, 1));
        assertTrue(beam.getMessage().contains("--beam"));
        assertThrows(InputException.class, () -> new DecodingOptions(2, 5, 1, 0, 3));
        assertThrows(InputException.class, () -> new DecodingOptions(1, 0, 1, 0, 1));
        Sampling plain = Sampling.plain(new Random(1));
        InputException withBeam = assertThrows(InputException.class, () -> new DecodingOptions(2, 5, 1, 1, TokenRules.NONE, plain));
        assertTrue(withBeam.getMessage().contains("--sample") && withBeam.getMessage().contains("--beam"));
        assertEquals(5, new DecodingOptions(1, 5, 1, 5, TokenRules.NONE, plain).nBest(), "sampling draws as many as asked");
        InputException minAboveMax = assertThrows(InputException.class,
                () -> new DecodingOptions(1, 5, 1, 1, new TokenRules(0, 6, 1), null));
        assertTrue(minAboveMax.getMessage().contains("--min-length 6") && minAboveMax.getMessage().contains("--max-length 5"));
    }
}

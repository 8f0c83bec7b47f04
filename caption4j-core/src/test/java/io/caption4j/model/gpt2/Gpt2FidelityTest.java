package io.caption4j.model.gpt2;

import static io.caption4j.testing.ReferenceValues.floats;
import static io.caption4j.testing.ReferenceValues.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.decode.CaptionSearch;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.Hypothesis;
import io.caption4j.decode.StepModel;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tiny random GPT-2 against the logits and greedy continuations of Hugging Face transformers. */
class Gpt2FidelityTest {
    private static final double TOLERANCE = 1e-4;

    private static Gpt2LanguageModel lm;
    private static JsonNode expected;
    private static NDManager manager;

    @BeforeAll
    static void load() throws IOException {
        lm = Gpt2LanguageModel.load(Gpt2Fixtures.tinyGpt2());
        expected = new ObjectMapper().readTree(Gpt2Fixtures.tinyGpt2().resolve("expected.json").toFile());
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void close() {
        manager.close();
        lm.close();
    }

    @Test
    void logitsMatchTheReference() {
        for (JsonNode c : expected.get("logits_cases")) {
            long[] ids = longs(c.get("input_ids"));
            NDArray logits = lm.logits(manager.create(ids).reshape(1, ids.length));
            assertEquals(new Shape(1, ids.length, 101), logits.getShape());
            double diff = maxAbsDiff(floats(c.get("logits")), logits.toFloatArray());
            assertTrue(diff < TOLERANCE, "max |logit diff| " + diff + " for " + ids.length + " tokens");
        }
    }

    @Test
    void greedyContinuationMatchesWithAndWithoutCache() {
        JsonNode greedy = expected.get("greedy");
        NDArray noPrefix = manager.zeros(new Shape(1, 0, 48));
        for (boolean cached : new boolean[] {true, false}) {
            Recorder model = new Recorder(new Gpt2Generator(lm, longs(greedy.get("prompt_ids")), cached));
            int[] tokens = generate(model, noPrefix, greedy.get("max_new_tokens").asInt());
            assertArrayEquals(ints(greedy.get("generated_ids")), tokens, "cache " + cached);
            assertStepLogits(greedy.get("step_last_logits"), model.logProbs);
        }
    }

    @Test
    void prefixLogitsMatchTheReference() {
        JsonNode prefix = expected.get("prefix_greedy");
        long[] prompt = longs(prefix.get("prompt_ids"));
        NDArray inputs = NDArrays.concat(new NDList(prefixEmbeds(prefix),
                lm.embed(manager.create(prompt).reshape(1, prompt.length))), 1);
        NDArray logits = lm.forward(inputs, new NDList()).head();
        double all = maxAbsDiff(floats(prefix.get("logits_all")), logits.toFloatArray());
        assertTrue(all < TOLERANCE, "max |logit diff| over the prefix and prompt " + all);
        double last = maxAbsDiff(floats(prefix.get("logits_last")), logits.get(new NDIndex("0, -1, :")).toFloatArray());
        assertTrue(last < TOLERANCE, "max |logit diff| at the last prompt position " + last);
    }

    @Test
    void prefixGreedyContinuationMatchesWithAndWithoutCache() {
        JsonNode prefix = expected.get("prefix_greedy");
        for (boolean cached : new boolean[] {true, false}) {
            Recorder model = new Recorder(new Gpt2Generator(lm, longs(prefix.get("prompt_ids")), cached));
            int[] tokens = generate(model, prefixEmbeds(prefix), prefix.get("max_new_tokens").asInt());
            assertArrayEquals(ints(prefix.get("generated_ids")), tokens, "cache " + cached);
            assertStepLogits(prefix.get("step_last_logits"), model.logProbs);
        }
    }

    @Test
    void cachedStepsGiveTheLogitsOfAFullRun() {
        long[] ids = longs(expected.get("logits_cases").get(2).get("input_ids"));
        NDArray sequence = lm.embed(manager.create(ids).reshape(1, ids.length));
        float[] full = lm.forward(sequence, new NDList()).head().toFloatArray();
        NDList cache = new NDList();
        List<Float> stepwise = new ArrayList<>();
        for (int t = 0; t < ids.length; t++) {
            NDList out = lm.forward(sequence.get(new NDIndex(":, {}:{}, :", t, t + 1)), cache);
            for (float f : out.head().toFloatArray()) {
                stepwise.add(f);
            }
            cache = out.subNDList(1);
        }
        assertEquals(2 * 2, cache.size());
        assertEquals(new Shape(1, 4, ids.length, 12), cache.get(0).getShape());
        float[] steps = new float[stepwise.size()];
        for (int i = 0; i < steps.length; i++) {
            steps[i] = stepwise.get(i);
        }
        double diff = maxAbsDiff(full, steps);
        assertTrue(diff < 1e-5, "cached vs full run, max |logit diff| " + diff);

        // generation's forward: the full run's last row only, and the same cache
        NDList last = lm.forwardLast(sequence, new NDList());
        int vocab = (int) last.head().getShape().get(2);
        assertEquals(new Shape(1, 1, vocab), last.head().getShape());
        float[] lastRow = java.util.Arrays.copyOfRange(full, full.length - vocab, full.length);
        assertArrayEquals(lastRow, last.head().toFloatArray(), 1e-5f);
        assertEquals(new Shape(1, 4, ids.length, 12), last.get(1).getShape());
    }

    @Test
    void beamSearchReordersTheCacheLikeAFullRun() {
        JsonNode prefix = expected.get("prefix_greedy");
        NDArray twoImages = prefixEmbeds(prefix).repeat(0, 2);
        DecodingOptions beam = new DecodingOptions(3, 10, 1.0, 0, 3);
        List<List<Hypothesis>> cached = CaptionSearch.generate(
                new Gpt2Generator(lm, longs(prefix.get("prompt_ids")), true), twoImages, beam);
        List<List<Hypothesis>> full = CaptionSearch.generate(
                new Gpt2Generator(lm, longs(prefix.get("prompt_ids")), false), twoImages, beam);
        for (int image = 0; image < 2; image++) {
            assertEquals(3, cached.get(image).size());
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(full.get(image).get(k).tokens(), cached.get(image).get(k).tokens());
                assertEquals(full.get(image).get(k).logProbability(), cached.get(image).get(k).logProbability(),
                        1e-4);
                assertArrayEquals(cached.get(0).get(k).tokens(), cached.get(image).get(k).tokens());
            }
        }
        // the best beam scores at least as well as the greedy caption
        double greedyLogProb = CaptionSearch.generate(new Gpt2Generator(lm, longs(prefix.get("prompt_ids")), true),
                prefixEmbeds(prefix), DecodingOptions.greedy(10)).get(0).get(0).logProbability();
        assertTrue(cached.get(0).get(0).logProbability() >= greedyLogProb - 1e-6);
    }

    private NDArray prefixEmbeds(JsonNode prefix) {
        return manager.create(floats(prefix.get("prefix_embeds"))).reshape(1, 4, 48);
    }

    private static int[] generate(StepModel model, NDArray prefix, int tokens) {
        List<List<Hypothesis>> out = CaptionSearch.generate(model, prefix, DecodingOptions.greedy(tokens));
        return out.get(0).get(0).tokens();
    }

    /** Each step's log-probabilities against the log-softmax of the reference's logits before that token. */
    private static void assertStepLogits(JsonNode reference, List<float[]> logProbs) {
        assertEquals(reference.size(), logProbs.size());
        for (int step = 0; step < logProbs.size(); step++) {
            double diff = maxAbsDiff(logSoftmax(floats(reference.get(step))), logProbs.get(step));
            assertTrue(diff < TOLERANCE, "step " + step + ": max |log-prob diff| " + diff);
        }
    }

    /** Keeps every step's log-probabilities (batch of one). */
    private static final class Recorder implements StepModel {
        private final StepModel model;
        private final List<float[]> logProbs = new ArrayList<>();

        Recorder(StepModel model) {
            this.model = model;
        }

        @Override
        public NDList start(NDArray images) {
            return model.start(images);
        }

        @Override
        public Step step(NDArray previousTokens, NDList state) {
            Step step = model.step(previousTokens, state);
            logProbs.add(step.logProbs().toFloatArray());
            return step;
        }

        @Override
        public int startToken() {
            return model.startToken();
        }

        @Override
        public int endToken() {
            return model.endToken();
        }
    }

    static float[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float l : logits) {
            max = Math.max(max, l);
        }
        double sum = 0;
        for (float l : logits) {
            sum += Math.exp(l - max);
        }
        double log = max + Math.log(sum);
        float[] out = new float[logits.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (logits[i] - log);
        }
        return out;
    }

    static long[] longs(JsonNode node) {
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asLong();
        }
        return out;
    }

    private static int[] ints(JsonNode node) {
        int[] out = new int[node.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = node.get(i).asInt();
        }
        return out;
    }
}

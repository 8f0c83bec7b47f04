package io.caption4j.model.gpt2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.caption4j.decode.CaptionSearch;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.Hypothesis;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Gpt2ModelTest {
    private static final Gpt2Config SMALL = new Gpt2Config(50, 16, 32, 2, 4, 128, 1e-5, 49, 49, 0.1f);

    @Test
    void parametersCarryHuggingFaceNamesAndShapes() {
        var named = new Gpt2Model(SMALL).namedParameters();
        assertEquals(2 + 2 * 12 + 2, named.size());
        assertArrayEquals(new long[] {32, 96}, named.get("h.1.attn.c_attn.weight").getShape().getShape());
        assertArrayEquals(new long[] {128, 32}, named.get("h.0.mlp.c_proj.weight").getShape().getShape());
        assertArrayEquals(new long[] {16, 32}, named.get("wpe.weight").getShape().getShape());
        assertArrayEquals(new long[] {32}, named.get("ln_f.bias").getShape().getShape());
    }

    @Test
    void newModelIsDeterministicPerSeed() {
        float[] a = logits(7);
        assertArrayEquals(a, logits(7));
        assertFalse(Arrays.equals(a, logits(8)));
    }

    @Test
    void sequenceLongerThanThePositionTableIsRefused() {
        try (Gpt2LanguageModel lm = Gpt2LanguageModel.create(SMALL, 1); NDManager m = NDManager.newBaseManager()) {
            NDArray ids = m.zeros(new Shape(1, 17), DataType.INT64);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> lm.logits(ids));
            assertTrue(e.getMessage().contains("exceeds n_positions 16"), e.getMessage());
        }
    }

    @Test
    void searchLeavesTheCallersPrefixUsable() {
        try (Gpt2LanguageModel lm = Gpt2LanguageModel.create(SMALL, 1); NDManager m = NDManager.newBaseManager()) {
            NDArray prefix = m.randomNormal(new Shape(2, 3, 32));
            for (boolean cached : new boolean[] {true, false}) {
                Gpt2Generator model = new Gpt2Generator(lm, new long[0], cached);
                var first = CaptionSearch.generate(model, prefix, DecodingOptions.greedy(5));
                var again = CaptionSearch.generate(model, prefix, DecodingOptions.greedy(5));
                assertArrayEquals(first.get(1).get(0).tokens(), again.get(1).get(0).tokens());
                assertFalse(prefix.isReleased(), "cache " + cached);
            }
        }
    }

    /** suppress_tokens: the tokens greedy search would pick are never generated, with or without the cache. */
    @Test
    void suppressedTokensAreNeverGenerated() {
        try (Gpt2LanguageModel lm = Gpt2LanguageModel.create(SMALL, 1); NDManager m = NDManager.newBaseManager()) {
            NDArray prefix = m.randomNormal(new Shape(2, 3, 32));
            int[] free = CaptionSearch.generate(new Gpt2Generator(lm, new long[0], true), prefix,
                    DecodingOptions.greedy(8)).get(0).get(0).tokens();
            int[] banned = Arrays.stream(free).distinct().toArray();
            for (boolean cached : new boolean[] {true, false}) {
                Gpt2Generator model = new Gpt2Generator(lm, new long[0], cached, banned);
                for (List<Hypothesis> image : CaptionSearch.generate(model, prefix, DecodingOptions.greedy(8))) {
                    int[] tokens = image.get(0).tokens();
                    assertEquals(8, tokens.length, "the caption goes on with other tokens");
                    assertTrue(Arrays.stream(tokens).noneMatch(t -> Arrays.stream(banned).anyMatch(b -> b == t)),
                            Arrays.toString(tokens) + " uses one of " + Arrays.toString(banned));
                }
            }
        }
    }

    /**
     * The blocks add and scale in place where autograd keeps nothing of the array: the gradients of training must be
     * those of the function, checked against central differences on parameters behind each in-place op.
     */
    @Test
    void gradientsMatchFiniteDifferences() {
        Gpt2Config noDropout = new Gpt2Config(50, 16, 32, 2, 4, 128, 1e-5, 49, 49, 0f);
        try (Gpt2LanguageModel lm = Gpt2LanguageModel.create(noDropout, 3); NDManager m = NDManager.newBaseManager()) {
            NDArray ids = m.create(new long[] {1, 2, 3, 4, 5}).reshape(1, 5);
            NDArray direction = m.randomNormal(new Shape(1, 5, 50));
            ParameterStore ps = new ParameterStore(m, false);
            Map<String, Parameter> named = lm.network().namedParameters();
            // element 70 of c_attn's weight is a value column: the query and key columns barely move at initialisation
            Map<String, Integer> checked = Map.of("h.0.mlp.c_fc.bias", 7, "h.0.attn.c_attn.weight", 70,
                    "h.1.attn.c_proj.bias", 7, "h.1.ln_1.weight", 7, "wte.weight", 7);
            Map<String, Float> analytic = new HashMap<>();
            try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
                collector.backward(loss(lm, ps, ids, direction, true));
                checked.forEach((name, i) -> analytic.put(name, named.get(name).getArray().getGradient().toFloatArray()[i]));
            }
            double epsilon = 1e-2;
            for (Map.Entry<String, Integer> p : checked.entrySet()) {
                String name = p.getKey();
                int i = p.getValue();
                NDArray value = named.get(name).getArray();
                float[] original = value.toFloatArray();
                float[] shifted = original.clone();
                shifted[i] = (float) (original[i] + epsilon);
                value.set(shifted);
                double up = loss(lm, ps, ids, direction, false).getFloat();
                shifted[i] = (float) (original[i] - epsilon);
                value.set(shifted);
                double down = loss(lm, ps, ids, direction, false).getFloat();
                value.set(original);
                double numeric = (up - down) / (2 * epsilon);
                assertTrue(Math.abs(numeric) > 1e-2, name + ": a gradient worth checking, " + numeric);
                assertEquals(numeric, analytic.get(name), 2e-3 + 2e-2 * Math.abs(numeric), name);
            }
        }
    }

    /** Σ logits · direction: a scalar whose gradient reaches every parameter. */
    private static NDArray loss(Gpt2LanguageModel lm, ParameterStore ps, NDArray ids, NDArray direction,
            boolean training) {
        Gpt2Model net = lm.network();
        NDArray logits = net.forward(ps, new NDList(net.embed(ps, ids)), training).head();
        return logits.mul(direction).sum();
    }

    private static float[] logits(long seed) {
        try (Gpt2LanguageModel lm = Gpt2LanguageModel.create(SMALL, seed); NDManager m = NDManager.newBaseManager()) {
            float[] logits = lm.logits(m.create(new long[] {1, 2, 3}).reshape(1, 3)).toFloatArray();
            assertEquals(3 * 50, logits.length);
            return logits;
        }
    }
}

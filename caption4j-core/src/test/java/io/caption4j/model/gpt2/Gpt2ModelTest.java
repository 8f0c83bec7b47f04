package io.caption4j.model.gpt2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.caption4j.decode.CaptionSearch;
import io.caption4j.decode.DecodingOptions;
import java.util.Arrays;
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

    private static float[] logits(long seed) {
        try (Gpt2LanguageModel lm = Gpt2LanguageModel.create(SMALL, seed); NDManager m = NDManager.newBaseManager()) {
            float[] logits = lm.logits(m.create(new long[] {1, 2, 3}).reshape(1, 3)).toFloatArray();
            assertEquals(3 * 50, logits.length);
            return logits;
        }
    }
}

package io.caption4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.text.Vocabulary;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionerTest {

    @Test
    void neverGeneratesPaddingStartOrUnknownEvenWhenTheyAreLikeliest() {
        Vocabulary vocabulary = Vocabulary.build(List.of(List.of("a", "red", "circle")), 1);
        CaptionerConfig config = new CaptionerConfig(CaptionerConfig.SMALL_CNN, "pixels", 16, 8, vocabulary.size(),
                8, 16, 8, 0f, "zero", 6, false);
        try (Captioner captioner = Captioner.create(config, vocabulary, 1)) {
            Parameter bias = captioner.network().getParameters().stream()
                    .filter(p -> p.getKey().endsWith("vocabulary_bias")).findFirst().orElseThrow().getValue();
            float[] values = new float[vocabulary.size()];
            values[Vocabulary.PAD] = values[Vocabulary.START] = values[Vocabulary.UNK] = 50f;
            values[vocabulary.id("red")] = 10f;
            bias.getArray().set(values);
            try (NDManager m = captioner.manager().newSubManager()) {
                NDArray images = m.randomUniform(-1, 1, new Shape(3, 16, 16, 3));
                for (DecodingOptions options : List.of(DecodingOptions.greedy(6), DecodingOptions.beam(3, 6))) {
                    for (List<GeneratedCaption> nBest : captioner.caption(images, options)) {
                        GeneratedCaption best = nBest.get(0);
                        assertFalse(best.words().isEmpty());
                        assertTrue(best.words().stream().allMatch(w -> w.equals("red")), best.text());
                        assertEquals(best.words().size(), best.wordProbabilities().length);
                    }
                }
            }
        }
    }
}

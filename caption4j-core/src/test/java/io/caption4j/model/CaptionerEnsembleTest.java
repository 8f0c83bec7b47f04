package io.caption4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.decode.StepModel;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.InputException;
import io.caption4j.vision.ImageInputs;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionerEnsembleTest {
    private static final Vocabulary VOCABULARY = Vocabulary.build(
            List.of(List.of("a", "red", "circle"), List.of("a", "blue", "square", "on", "grass")), 1);

    private static Captioner captioner(Vocabulary vocabulary, long seed) {
        return Captioner.create(new CaptionerConfig(CaptionerConfig.SMALL_CNN, "pixels", 16, 8, vocabulary.size(), 8,
                16, 8, 0f, "pooled", 6, false), vocabulary, seed);
    }

    private static ImageInputs images(NDManager manager) {
        return ImageInputs.of(manager.randomUniform(-1, 1, new Shape(3, 16, 16, 3)));
    }

    @Test
    void eachStepPredictsTheMeanOfTheMembersProbabilities() {
        try (CaptionerEnsemble ensemble = new CaptionerEnsemble(List.of(captioner(VOCABULARY, 1),
                captioner(VOCABULARY, 2)), List.of("one", "two"));
                Captioner one = captioner(VOCABULARY, 1);
                Captioner two = captioner(VOCABULARY, 2);
                NDManager m = NDManager.newBaseManager()) {
            NDArray pixels = m.randomUniform(-1, 1, new Shape(2, 16, 16, 3));
            NDArray tokens = m.create(new long[] {Vocabulary.START, Vocabulary.START});
            StepModel.Step joint = ensemble.step(tokens, ensemble.start(pixels));
            NDArray p1 = one.step(tokens, one.start(pixels)).logProbs().exp();
            NDArray p2 = two.step(tokens, two.start(pixels)).logProbs().exp();
            float[] expected = p1.add(p2).div(2).toFloatArray();
            float[] actual = joint.logProbs().exp().toFloatArray();
            assertArrayEquals(expected, actual, 1e-6f);
            assertEquals(6, joint.state().size(), "both members' states, side by side");
        }
    }

    @Test
    void anEnsembleOfOneModelTwiceCaptionsLikeTheModel() {
        try (CaptionerEnsemble twice = new CaptionerEnsemble(List.of(captioner(VOCABULARY, 3),
                captioner(VOCABULARY, 3)), List.of("a", "b"));
                Captioner single = captioner(VOCABULARY, 3);
                NDManager m = NDManager.newBaseManager()) {
            ImageInputs images = images(m);
            for (DecodingOptions options : List.of(DecodingOptions.greedy(6), DecodingOptions.beam(3, 6))) {
                List<List<GeneratedCaption>> expected = single.caption(images, options, 2);
                List<List<GeneratedCaption>> actual = twice.caption(images, options, 2);
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i).get(0).text(), actual.get(i).get(0).text());
                    assertArrayEquals(expected.get(i).get(0).wordProbabilities(),
                            actual.get(i).get(0).wordProbabilities(), 1e-5f);
                }
            }
        }
    }

    @Test
    void membersWithAnotherVocabularyAreRefusedByName() {
        Vocabulary other = Vocabulary.build(List.of(List.of("a", "green", "triangle")), 1);
        Captioner first = captioner(VOCABULARY, 1);
        Captioner second = captioner(other, 1);
        try {
            InputException e = assertThrows(InputException.class,
                    () -> new CaptionerEnsemble(List.of(first, second), List.of("runs/a", "runs/b")));
            assertTrue(e.getMessage().contains("runs/b") && e.getMessage().contains("vocabulary"), e.getMessage());
        } finally {
            first.close();
            second.close();
        }
    }
}

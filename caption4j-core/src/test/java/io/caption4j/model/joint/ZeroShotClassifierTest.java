package io.caption4j.model.joint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.caption4j.util.InputException;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ZeroShotClassifierTest {

    /** Texts about "red" point along x, about "blue" along y; every prompt word "photo" tilts towards z. */
    private static final class WordAxes implements JointEmbedder {
        final List<String> embedded = new ArrayList<>();

        @Override
        public float[][] embedTexts(List<String> texts) {
            embedded.addAll(texts);
            return texts.stream().map(t -> JointVectors.normalized(new float[] {t.contains("red") ? 1 : 0,
                t.contains("blue") ? 1 : 0, t.contains("photo") ? 1 : 0})).toArray(float[][]::new);
        }

        @Override
        public String identity() {
            return "axes";
        }

        @Override
        public int dimension() {
            return 3;
        }

        @Override
        public ImagePreprocessor preprocessor() {
            throw new UnsupportedOperationException();
        }

        @Override
        public float[][] embedImages(ImageInputs pixels) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int maxTextTokens() {
            return 10;
        }

        @Override
        public int countTextTokens(String text) {
            return text.split(" ").length;
        }

        @Override
        public void close() {}
    }

    @Test
    void classEmbeddingsAverageTheTemplatesAndProbabilitiesAreAScaledSoftmax() {
        WordAxes model = new WordAxes();
        ZeroShotClassifier classifier = ZeroShotClassifier.of(model, List.of("red", "blue"),
                List.of("a photo of a {}", "a {}"));
        assertEquals(List.of("a photo of a red", "a red", "a photo of a blue", "a blue"), model.embedded);
        // red: mean of (1,0,1)/√2 and (1,0,0), renormalised
        double x = (1 / Math.sqrt(2) + 1) / 2;
        double z = 1 / Math.sqrt(2) / 2;
        double norm = Math.hypot(x, z);
        assertArrayEquals(new float[] {(float) (x / norm), 0, (float) (z / norm)}, classifier.classEmbeddings()[0],
                1e-6f);
        float[][] p = classifier.probabilities(new float[][] {{1, 0, 0}, {0, 0, 1}});
        double red = x / norm;
        double expectedRed = 1 / (1 + Math.exp(-100 * red));
        assertEquals(expectedRed, p[0][0], 1e-6);
        assertEquals(1.0, p[0][0] + p[0][1], 1e-6);
        assertEquals(0.5, p[1][0], 1e-6, "an image as close to both labels is a coin toss");
    }

    @Test
    void labelsAreParsedTrimmedAndChecked() {
        assertEquals(List.of("dog", "cat", "red bicycle"), ZeroShotClassifier.parseLabels(" dog,cat , red bicycle"));
        assertEquals("the labels list is empty: give labels separated by commas, e.g. \"dog,cat\"",
                assertThrows(InputException.class, () -> ZeroShotClassifier.parseLabels(" ")).getMessage());
        assertEquals("label \"dog\" is given twice",
                assertThrows(InputException.class, () -> ZeroShotClassifier.parseLabels("dog,cat,dog")).getMessage());
        assertEquals("label 2 of 3 is empty",
                assertThrows(InputException.class, () -> ZeroShotClassifier.parseLabels("dog,,cat")).getMessage());
        assertEquals("prompt template \"a photo\" has no {} where the label goes",
                assertThrows(InputException.class, () -> ZeroShotClassifier.of(new WordAxes(), List.of("dog"),
                        List.of("a photo"))).getMessage());
    }
}

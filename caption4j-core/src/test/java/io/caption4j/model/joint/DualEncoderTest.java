package io.caption4j.model.joint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.text.PtbTokenizer;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.InputException;
import io.caption4j.vision.ImageInputs;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A dual encoder on region features made up here (no backbone): shapes, unit norms, the text limits it reports. */
class DualEncoderTest {
    private static final int REGIONS = 4;
    private static final int CHANNELS = 8;

    private static ImageInputs randomRegions(int count, long seed) {
        Random random = new Random(seed);
        float[] values = new float[count * REGIONS * CHANNELS];
        for (int i = 0; i < values.length; i++) {
            values[i] = random.nextFloat() * 6;
        }
        return new ImageInputs() {
            @Override
            public int size() {
                return count;
            }

            @Override
            public NDArray batch(NDManager manager, int[] indices) {
                float[] batch = new float[indices.length * REGIONS * CHANNELS];
                for (int b = 0; b < indices.length; b++) {
                    System.arraycopy(values, indices[b] * REGIONS * CHANNELS, batch, b * REGIONS * CHANNELS,
                            REGIONS * CHANNELS);
                }
                return manager.create(batch, new Shape(indices.length, REGIONS, CHANNELS));
            }
        };
    }

    private static DualEncoderConfig config(String textTower, String pooling, int dimension, int vocabulary) {
        return new DualEncoderConfig(textTower, pooling, CHANNELS, 16, dimension, vocabulary, 8, 8, 5, 0f, "test", "");
    }

    @Test
    void trainedTowerEmbeddingsAreUnitLengthAndCutAtMaxWords() {
        Vocabulary vocabulary = Vocabulary.build(List.of(PtbTokenizer.instance().tokenize("a red circle on grey")), 1);
        for (String pooling : List.of(DualEncoderConfig.MEAN, DualEncoderConfig.ATTENTION)) {
            try (DualEncoder model = DualEncoder.create(config(DualEncoderConfig.TRAINED, pooling, 6,
                    vocabulary.size()), vocabulary, 1, null)) {
                float[][] images = model.embedRegions(randomRegions(70, 2));
                assertEquals(70, images.length, "more than one batch of images");
                for (float[] e : images) {
                    assertEquals(6, e.length);
                    assertEquals(1.0, JointVectors.norm(e), 1e-5);
                }
                float[][] texts = model.embedTexts(List.of("a red circle", "A red circle, on grey!",
                        "a red circle on grey and more words past the limit"));
                assertEquals(1.0, JointVectors.norm(texts[0]), 1e-5);
                assertArrayEquals(texts[1], model.embedTexts(List.of("a red circle on grey"))[0], 1e-6f,
                        "punctuation and case are tokenised away");
                assertArrayEquals(texts[1], texts[2], 1e-6f, "only the first 5 words are read");
                assertEquals(5, model.maxTextTokens());
                assertEquals(11, model.countTextTokens("a red circle on grey and more words past the limit"));
                assertEquals(1 / 0.07, model.similarityScale(), 1e-3);
            }
        }
    }

    @Test
    void lockedMiniLmTowerPassesMiniLmEmbeddingsThrough() {
        try (DualEncoder model = DualEncoder.create(config(DualEncoderConfig.MINILM, DualEncoderConfig.MEAN,
                MiniLmTextEncoder.DIMENSION, 0), null, 1, null);
                MiniLmTextEncoder miniLm = new MiniLmTextEncoder()) {
            List<String> texts = List.of("a dog runs on the beach");
            assertArrayEquals(miniLm.embed(texts)[0], model.embedTexts(texts)[0], 1e-6f);
            assertEquals(MiniLmTextEncoder.DIMENSION, model.embedRegions(randomRegions(3, 4))[0].length);
            assertEquals(MiniLmTextEncoder.MAX_TOKENS, model.maxTextTokens());
            assertEquals(8, model.countTextTokens("a dog runs on the beach"));
            assertEquals(miniLm.identity(), model.config().textEncoder());
        }
    }

    @Test
    void emptyTextIsRefused() {
        Vocabulary vocabulary = Vocabulary.build(List.of(List.of("red")), 1);
        try (DualEncoder model = DualEncoder.create(config(DualEncoderConfig.TRAINED, DualEncoderConfig.MEAN, 4,
                vocabulary.size()), vocabulary, 1, null)) {
            InputException e = assertThrows(InputException.class, () -> model.embedTexts(List.of("red", "  ")));
            assertEquals("cannot embed an empty text", e.getMessage());
        }
    }
}

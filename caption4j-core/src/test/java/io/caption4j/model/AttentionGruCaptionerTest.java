package io.caption4j.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.text.Vocabulary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttentionGruCaptionerTest {
    private static final int EMBEDDING = 8;
    private static final int HIDDEN = 16;

    private static Captioner captioner(boolean feedContext) {
        Vocabulary vocabulary = Vocabulary.build(List.of(List.of("a", "red", "circle", "on", "blue")), 1);
        return Captioner.create(new CaptionerConfig(CaptionerConfig.SMALL_CNN, "pixels", 16, 8, vocabulary.size(),
                EMBEDDING, HIDDEN, 8, 0f, "pooled", 6, feedContext), vocabulary, 3);
    }

    /** Training reads a whole caption in one call; generation one word per call. Both must compute the same. */
    @ParameterizedTest(name = "context fed back: {0}")
    @ValueSource(booleans = {false, true})
    void teacherForcedLogitsEqualThoseOfOneWordAtATime(boolean feedContext) {
        try (Captioner captioner = captioner(feedContext); NDManager m = captioner.manager().newSubManager()) {
            AttentionGruCaptioner network = captioner.network();
            ParameterStore ps = new ParameterStore(m, false);
            NDArray images = m.randomUniform(-1, 1, new Shape(2, 16, 16, 3));
            NDArray tokens = m.create(new long[] {Vocabulary.START, 4, 5, 6, Vocabulary.START, 7, 4, 5}, new Shape(2, 4));
            NDList start = network.encode(ps, images, false);
            assertEquals(feedContext ? 4 : 3, start.size(), "keys, values, GRU state (and the last attended vector)");
            NDArray whole = network.decode(ps, tokens, start, false).get(0);

            NDList state = start;
            for (int t = 0; t < 4; t++) {
                NDList out = network.decode(ps, tokens.get(":, {}:{}", t, t + 1), state, false);
                NDArray expected = whole.get(":, {}:{}, :", t, t + 1);
                float gap = out.get(0).sub(expected).abs().max().getFloat();
                assertTrue(gap < 1e-5f, "step " + t + ": logits differ by " + gap);
                state = new NDList(start.get(0), start.get(1));
                state.addAll(out.subNDList(2));
            }
        }
    }

    @ParameterizedTest(name = "context fed back: {0}")
    @ValueSource(booleans = {false, true})
    void theGruReadsTheContextBesideTheWordOnlyWhenItIsFedBack(boolean feedContext) {
        try (Captioner captioner = captioner(feedContext)) {
            Shape inputWeights = captioner.network().getParameters().stream()
                    .filter(p -> p.getKey().endsWith("gru_l_0_i2h_WEIGHT"))
                    .findFirst().orElseThrow().getValue().getArray().getShape();
            assertEquals(new Shape(3L * HIDDEN, EMBEDDING + (feedContext ? HIDDEN : 0)), inputWeights);
        }
    }

    /** Guards against a loop that widens the GRU input but feeds it nothing: the fed-back vector must move the logits. */
    @Test
    void theFedBackVectorChangesTheNextWordsLogits() {
        try (Captioner captioner = captioner(true); NDManager m = captioner.manager().newSubManager()) {
            AttentionGruCaptioner network = captioner.network();
            ParameterStore ps = new ParameterStore(m, false);
            NDList start = network.encode(ps, m.randomUniform(-1, 1, new Shape(2, 16, 16, 3)), false);
            NDArray tokens = m.create(new long[] {4, 5}, new Shape(2, 1));
            NDArray fromZero = network.decode(ps, tokens, start, false).get(0);
            NDList other = new NDList(start.get(0), start.get(1), start.get(2), m.randomNormal(new Shape(2, HIDDEN)));
            NDArray fromOther = network.decode(ps, tokens, other, false).get(0);
            float gap = fromZero.sub(fromOther).abs().max().getFloat();
            assertTrue(gap > 1e-3f, "logits moved by only " + gap);
        }
    }

    /** Model directories saved before the option existed have no such field: they load as the design's model. */
    @Test
    void aConfigWithoutTheFieldDoesNotFeedBack(@TempDir Path dir)
            throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"encoder\":\"features\",\"backbone\":\"b\",\"imageSize\":224,"
                + "\"featureSize\":1280,\"vocabularySize\":10,\"embeddingSize\":8,\"hiddenSize\":16,"
                + "\"attentionSize\":8,\"dropout\":0.5,\"initialState\":\"pooled\",\"maxLength\":20}");
        CaptionerConfig config = ModelDirectory.readJson(file, CaptionerConfig.class);
        assertEquals(16, config.hiddenSize());
        assertFalse(config.feedContext());
    }
}

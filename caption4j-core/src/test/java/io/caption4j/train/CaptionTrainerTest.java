package io.caption4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.eval.CaptionEvaluation;
import io.caption4j.eval.CaptionScores;
import io.caption4j.model.Captioner;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.text.Vocabulary;
import io.caption4j.vision.ImageInputs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Trains on a toy world where the caption names the colour of a flat image: learnable only by looking. */
class CaptionTrainerTest {
    private static final String[] COLOURS = {"red", "green", "blue", "yellow"};
    private static final float[][] RGB = {{1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}, {1, 1, -1}};
    private static final int SIDE = 16;

    private static final class FlatImages implements ImageInputs {
        private final int[] colour;

        FlatImages(int[] colour) {
            this.colour = colour;
        }

        @Override
        public int size() {
            return colour.length;
        }

        @Override
        public NDArray batch(NDManager manager, int[] indices) {
            float[] pixels = new float[indices.length * SIDE * SIDE * 3];
            for (int b = 0; b < indices.length; b++) {
                for (int p = 0; p < SIDE * SIDE; p++) {
                    System.arraycopy(RGB[colour[indices[b]]], 0, pixels, (b * SIDE * SIDE + p) * 3, 3);
                }
            }
            return manager.create(pixels, new Shape(indices.length, SIDE, SIDE, 3));
        }
    }

    private static CaptionSplit split(int images, Vocabulary vocabulary) {
        int[] colour = new int[images];
        List<String> ids = new ArrayList<>();
        List<List<String>> references = new ArrayList<>();
        List<int[][]> encoded = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            colour[i] = i % COLOURS.length;
            ids.add("img" + i);
            String text = "a " + COLOURS[colour[i]] + " picture";
            references.add(List.of(text));
            encoded.add(new int[][] {vocabulary.encode(Arrays.asList(text.split(" ")), 10)});
        }
        return new CaptionSplit(ids, new FlatImages(colour), references, encoded);
    }

    private static Vocabulary vocabulary() {
        List<List<String>> texts = new ArrayList<>();
        for (String c : COLOURS) {
            texts.add(List.of("a", c, "picture"));
        }
        return Vocabulary.build(texts, 1);
    }

    private static CaptionerConfig config(Vocabulary v) {
        return config(v, false);
    }

    private static CaptionerConfig config(Vocabulary v, boolean feedContext) {
        return new CaptionerConfig(CaptionerConfig.SMALL_CNN, "toy", SIDE, 16, v.size(), 16, 32, 16, 0.1f,
                "pooled", 10, feedContext);
    }

    private static TrainingOptions options(int epochs) {
        return new TrainingOptions(epochs, 8, 1e-2, 2, 1e-4, 1.0, 0f, 0, 7);
    }

    private static Map<String, Double> accuracy(Captioner captioner, CaptionSplit split) {
        try (NDManager m = captioner.manager().newSubManager()) {
            int[] all = java.util.stream.IntStream.range(0, split.size()).toArray();
            List<List<GeneratedCaption>> out = captioner.caption(split.images().batch(m, all),
                    DecodingOptions.greedy(10));
            int right = 0;
            for (int i = 0; i < split.size(); i++) {
                right += out.get(i).get(0).text().equals(split.references().get(i).get(0)) ? 1 : 0;
            }
            return Map.of("accuracy", (double) right / split.size());
        }
    }

    @ParameterizedTest(name = "attention context fed back into the GRU: {0}")
    @ValueSource(booleans = {false, true})
    void learnsToNameTheColourItSees(boolean feedContext, @TempDir Path run) throws Exception {
        Vocabulary v = vocabulary();
        CaptionSplit train = split(32, v);
        try (Captioner captioner = Captioner.create(config(v, feedContext), v, 1)) {
            assertTrue(accuracy(captioner, train).get("accuracy") < 0.5, "untrained model should not know");
            List<EpochRecord> log = new CaptionTrainer(captioner, options(8), c -> accuracy((Captioner) c, train), "accuracy",
                    System.out).train(train, run, false);
            assertEquals(1.0, accuracy(captioner, train).get("accuracy"), 1e-9);
            assertTrue(log.get(log.size() - 1).trainLoss() < log.get(0).trainLoss() / 2, "loss should fall");
        }
    }

    @Test
    void selfCriticalBatchesWeightEachSampleByItsAdvantageOverItsSiblings() {
        Vocabulary v = vocabulary();
        CaptionSplit train = split(8, v);
        try (Captioner captioner = Captioner.create(config(v), v, 2);
                NDManager arrays = captioner.manager().newSubManager()) {
            SelfCriticalObjective objective = new SelfCriticalObjective(captioner, train,
                    new SelfCriticalObjective.Settings(SelfCriticalObjective.Baseline.OTHER_SAMPLES, 4), 6, 3);
            assertEquals(8, objective.examples(train).size(), "an epoch visits each image once");
            TrainingObjective.Batch batch = objective.batch(train, List.of(new int[] {0}, new int[] {5}), 0, arrays);
            assertEquals(8, batch.captions().size(), "4 samples for each of 2 images");
            assertEquals(8, batch.images().getShape().get(0), "each sample is paired with its image");
            for (int image = 0; image < 2; image++) {
                double sum = 0;
                for (int s = 0; s < 4; s++) {
                    int[] caption = batch.captions().get(image * 4 + s);
                    assertEquals(Vocabulary.START, caption[0]);
                    assertTrue(caption.length >= 2 && caption.length <= 7, "start + 1..6 sampled tokens");
                    sum += batch.weights()[image * 4 + s];
                }
                assertEquals(0.0, sum, 1e-5, "advantages over the mean of the other samples sum to zero");
            }
        }
    }

    @Test
    void withTheGreedyBaselineASampleThatIsTheGreedyCaptionWeighsNothing(@TempDir Path run) throws Exception {
        Vocabulary v = vocabulary();
        CaptionSplit train = split(16, v);
        try (Captioner captioner = Captioner.create(config(v), v, 1);
                NDManager arrays = captioner.manager().newSubManager()) {
            new CaptionTrainer(captioner, options(8), c -> Map.of(), "none", System.out)
                    .train(train, run, false);
            SelfCriticalObjective objective = new SelfCriticalObjective(captioner, train,
                    new SelfCriticalObjective.Settings(SelfCriticalObjective.Baseline.GREEDY, 4), 6, 3);
            List<int[]> images = List.of(new int[] {0}, new int[] {1}, new int[] {2}, new int[] {3});
            List<List<GeneratedCaption>> greedy = captioner.caption(
                    train.images().batch(arrays, new int[] {0, 1, 2, 3}), DecodingOptions.greedy(6));
            TrainingObjective.Batch batch = objective.batch(train, images, 0, arrays);
            int same = 0;
            for (int row = 0; row < batch.captions().size(); row++) {
                int[] caption = batch.captions().get(row);
                List<String> words = v.decode(Arrays.copyOfRange(caption, 1, caption.length));
                if (words.equals(greedy.get(row / 4).get(0).words())) {
                    assertEquals(0f, batch.weights()[row], 0f, "row " + row + ": " + words);
                    same++;
                }
            }
            assertTrue(same > 0, "a trained model samples its greedy caption now and then");
        }
    }

    /** Self-critical training climbs the metric it is rewarded with, here on the captioner's own training images. */
    @Test
    void selfCriticalTrainingRaisesTheCiderDOfAWeakCaptioner(@TempDir Path run) throws Exception {
        Vocabulary v = vocabulary();
        CaptionSplit train = split(32, v);
        try (Captioner captioner = Captioner.create(config(v), v, 1)) {
            new CaptionTrainer(captioner, options(2), c -> Map.of(), "none", System.out)
                    .train(train, run.resolve("xe"), false);
            double before = greedyCider(captioner, train);
            SelfCriticalObjective objective = new SelfCriticalObjective(captioner, train,
                    new SelfCriticalObjective.Settings(SelfCriticalObjective.Baseline.OTHER_SAMPLES, 4), 6, 3);
            new CaptionTrainer(captioner, objective, new TrainingOptions(8, 8, 2e-3, 0, 1e-4, 1.0, 0f, 0, 7),
                    c -> Map.of(), "none", System.out).train(train, run.resolve("sc"), false);
            double after = greedyCider(captioner, train);
            assertTrue(after > 1.3 * before, "CIDEr-D should rise well above " + before + ", got " + after);
        }
    }

    private static double greedyCider(Captioner captioner, CaptionSplit split) {
        return CaptionEvaluation.evaluate(captioner, split, DecodingOptions.greedy(6)).scores()
                .corpus(CaptionScores.CIDER);
    }

    @Test
    void theAttentionCoveragePenaltyMakesEachRegionSeenAboutOncePerCaption(@TempDir Path run) throws Exception {
        Vocabulary v = vocabulary();
        CaptionSplit train = split(16, v);
        double[] shortfall = new double[2];
        float[] coverage = {0f, 1f};
        for (int k = 0; k < 2; k++) {
            try (Captioner captioner = Captioner.create(config(v), v, 4)) {
                TrainingOptions options = new TrainingOptions(4, 8, 1e-2, 2, 1e-4, 1.0, 0f, 0, 7, coverage[k], 0f);
                new CaptionTrainer(captioner, options, c -> Map.of(), "none", System.out)
                        .train(train, run.resolve("c" + k), false);
                shortfall[k] = coverageShortfall(captioner, train);
            }
        }
        assertTrue(shortfall[1] < shortfall[0] / 2, "Σ_regions (1 − Σ_words α)²: without the penalty "
                + shortfall[0] + ", with it " + shortfall[1]);
    }

    /** Mean over captions of Σ_regions (1 − Σ_words α)², words of the reference caption fed by teacher forcing. */
    private static double coverageShortfall(Captioner captioner, CaptionSplit split) {
        try (NDManager m = captioner.manager().newSubManager()) {
            double total = 0;
            for (int i = 0; i < split.size(); i++) {
                int[] caption = split.encodedCaptions().get(i)[0];
                long[] inputs = Arrays.stream(caption, 0, caption.length - 1).asLongStream().toArray();
                NDArray attention = captioner.network().forward(new ai.djl.training.ParameterStore(m, false),
                        new ai.djl.ndarray.NDList(split.images().batch(m, new int[] {i}), m.create(inputs).reshape(1, -1)),
                        false).get(1);
                float[] perRegion = attention.sum(new int[] {1}).toFloatArray();
                for (float seen : perRegion) {
                    total += (1 - seen) * (1 - seen);
                }
            }
            return total / split.size();
        }
    }

    @Test
    void scheduledSamplingFeedsTheModelsOwnPredictionsBackAsInputs() {
        Vocabulary v = vocabulary();
        CaptionSplit split = split(2, v);
        try (Captioner captioner = Captioner.create(config(v), v, 5);
                NDManager arrays = captioner.manager().newSubManager()) {
            CaptionTrainer trainer = new CaptionTrainer(captioner, options(1), c -> Map.of(), "none", System.out);
            int[] longer = split.encodedCaptions().get(0)[0];               // <start> a red picture <end>
            int[] shorter = Arrays.copyOf(longer, 4);
            shorter[3] = Vocabulary.END;                                      // <start> a red <end>
            long[][] teacher = {{longer[0], longer[1], longer[2], longer[3]},
                                {shorter[0], shorter[1], shorter[2], Vocabulary.PAD}};
            TrainingObjective.Batch batch = new TrainingObjective.Batch(split.images().batch(arrays, new int[] {0, 1}),
                    List.of(longer, shorter), null, null);
            long[] predicted = captioner.network().forward(new ai.djl.training.ParameterStore(arrays, false),
                    new ai.djl.ndarray.NDList(batch.images(), arrays.create(teacher)), false).get(0).argMax(2)
                    .toLongArray();

            long[][] inputs = {teacher[0].clone(), teacher[1].clone()};
            trainer.mixInPredictions(batch, inputs, 1.0, arrays);
            assertArrayEquals(new long[] {Vocabulary.START, predicted[0], predicted[1], predicted[2]}, inputs[0]);
            assertArrayEquals(new long[] {Vocabulary.START, predicted[4], predicted[5], Vocabulary.PAD}, inputs[1],
                    "the start token and padding are never replaced");

            long[][] kept = {teacher[0].clone(), teacher[1].clone()};
            trainer.mixInPredictions(batch, kept, 0.0, arrays);
            assertArrayEquals(teacher, kept);
        }
    }

    @Test
    void trainingWithScheduledSamplingStillLearnsTheColours(@TempDir Path run) throws Exception {
        Vocabulary v = vocabulary();
        CaptionSplit train = split(32, v);
        try (Captioner captioner = Captioner.create(config(v), v, 1)) {
            TrainingOptions options = new TrainingOptions(8, 8, 1e-2, 2, 1e-4, 1.0, 0f, 0, 7, 0f, 0.5f);
            new CaptionTrainer(captioner, options, c -> Map.of(), "none", System.out).train(train, run, false);
            assertEquals(1.0, accuracy(captioner, train).get("accuracy"), 1e-9);
        }
    }

    @Test
    void resumedTrainingEndsInTheSameStateAsUninterrupted(@TempDir Path dir) throws Exception {
        Vocabulary v = vocabulary();
        CaptionSplit train = split(16, v);
        float[] uninterrupted;
        try (Captioner captioner = Captioner.create(config(v), v, 3)) {
            new CaptionTrainer(captioner, options(2), c -> Map.of("accuracy", 0.0), "accuracy", System.out)
                    .train(train, dir.resolve("a"), false);
            uninterrupted = weights(captioner);
        }
        try (Captioner captioner = Captioner.create(config(v), v, 3)) {
            new CaptionTrainer(captioner, options(1), c -> Map.of("accuracy", 0.0), "accuracy", System.out)
                    .train(train, dir.resolve("b"), false);
        }
        try (Captioner captioner = Captioner.create(config(v), v, 99)) {
            List<EpochRecord> log = new CaptionTrainer(captioner, options(2), c -> Map.of("accuracy", 0.0),
                    "accuracy", System.out).train(train, dir.resolve("b"), true);
            assertEquals(1, log.size(), "only the second epoch runs after resuming");
            assertEquals(2, log.get(0).epoch());
            assertArrayEquals(uninterrupted, weights(captioner), 1e-6f);
        }
    }

    private static float[] weights(Captioner captioner) {
        List<Float> all = new ArrayList<>();
        captioner.network().getParameters().forEach(p -> {
            for (float f : p.getValue().getArray().toFloatArray()) {
                all.add(f);
            }
        });
        float[] out = new float[all.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = all.get(i);
        }
        return out;
    }
}

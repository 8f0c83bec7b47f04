package io.caption4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.caption4j.eval.RetrievalMetrics;
import io.caption4j.model.joint.DualEncoder;
import io.caption4j.model.joint.JointVectors;
import io.caption4j.util.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Trains a dual encoder contrastively. An epoch visits every training image once, in batches of distinct images,
 * each paired with one of its captions drawn at random: so every other caption in a batch is a true negative.
 * AdamW, gradient clipping, warm-up + cosine learning rate; after each epoch cross-modal retrieval on the
 * validation split picks the best model ({@value #SELECTION}: R@1 + R@5 + R@10 in both directions) and stops early
 * when it no longer improves.
 *
 * <p>A run directory holds {@code model/} (the best model) and {@code train-log.jsonl}. Every epoch's randomness
 * is seeded from (seed, epoch).
 */
public final class DualEncoderTrainer {
    public static final String SELECTION = "rsum";

    private final DualEncoder model;
    private final TrainingOptions options;
    private final ContrastiveLoss loss;
    private final PrintStream out;
    private final AdamW optimizer;
    private final ParameterStore parameters;

    public DualEncoderTrainer(DualEncoder model, TrainingOptions options, ContrastiveLoss loss, PrintStream out) {
        this.model = model;
        this.options = options;
        this.loss = loss;
        this.out = out;
        this.optimizer = new AdamW(model.network().getParameters(), model.manager(), options.weightDecay());
        this.parameters = new ParameterStore(model.manager(), false);
    }

    /** Trains into {@code runDirectory} and returns the log; the best model is in {@code runDirectory/model}. */
    public List<EpochRecord> train(ContrastiveSplit train, ContrastiveSplit val, Path runDirectory)
            throws IOException {
        Files.createDirectories(runDirectory);
        Files.deleteIfExists(runDirectory.resolve(CaptionTrainer.LOG));
        int[][] captionsOfImage = train.captionsOfImage();
        long stepsPerEpoch = (train.images().size() + options.batchSize() - 1) / options.batchSize();
        LearningRateSchedule schedule = new LearningRateSchedule(options.learningRate(), options.warmupSteps(),
                stepsPerEpoch * options.epochs(), 0.05);
        double bestScore = Double.NEGATIVE_INFINITY;
        int sinceBest = 0;
        List<EpochRecord> log = new ArrayList<>();
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            long started = System.nanoTime();
            double trainLoss = runEpoch(train, captionsOfImage, epoch, schedule);
            Map<String, Double> scores = validate(model, val);
            double score = scores.get(SELECTION);
            boolean best = score > bestScore;
            if (best) {
                bestScore = score;
                sinceBest = 0;
                model.save(runDirectory.resolve(CaptionTrainer.MODEL));
            } else {
                sinceBest++;
            }
            EpochRecord record = new EpochRecord(epoch, optimizer.steps(), trainLoss,
                    schedule.at(optimizer.steps() - 1), (System.nanoTime() - started) / 1e9, scores, best);
            CaptionTrainer.appendLog(runDirectory.resolve(CaptionTrainer.LOG), record);
            log.add(record);
            out.printf(Locale.ROOT, "epoch %d: loss %.4f, scale %.1f, validation %s%s (%.0f s)%n", epoch, trainLoss,
                    model.similarityScale(), format(scores), best ? " *best*" : "", record.seconds());
            if (options.patience() > 0 && sinceBest >= options.patience() && epoch < options.epochs()) {
                out.printf("early stop: no better validation %s for %d epochs%n", SELECTION, options.patience());
                break;
            }
        }
        return log;
    }

    private double runEpoch(ContrastiveSplit split, int[][] captionsOfImage, int epoch,
            LearningRateSchedule schedule) {
        long epochSeed = options.seed() * 1_000_003L + epoch;
        Random random = new Random(epochSeed);
        List<Integer> order = new ArrayList<>(IntStream.range(0, split.images().size()).boxed().toList());
        Collections.shuffle(order, random);
        Engine.getInstance().setRandomSeed((int) epochSeed);
        double lossSum = 0;
        int batches = 0;
        int batchSize = options.batchSize();
        try (ProgressBar bar = new ProgressBar(out, "epoch " + epoch, order.size())) {
            // a last batch of one image has no negative to learn from
            for (int from = 0; from + 1 < order.size(); from += batchSize) {
                int[] images = order.subList(from, Math.min(order.size(), from + batchSize)).stream()
                        .mapToInt(Integer::intValue).toArray();
                int[] captions = new int[images.length];
                for (int b = 0; b < images.length; b++) {
                    int[] own = captionsOfImage[images[b]];
                    captions[b] = own[random.nextInt(own.length)];
                }
                lossSum += step(split, images, captions, schedule.at(optimizer.steps()), epoch);
                batches++;
                bar.step(images.length, String.format(Locale.ROOT, "loss %.3f", lossSum / batches));
            }
        }
        return lossSum / batches;
    }

    /** One optimisation step on distinct images paired with one caption each; returns the batch loss. */
    public double step(ContrastiveSplit split, int[] images, int[] captions, double learningRate, int epoch) {
        // op results attach to their receiver's manager (often a long-lived parameter): the scope frees them all
        try (NDScope scope = new NDScope(); NDManager arrays = model.manager().newSubManager()) {
            NDArray regions = split.images().batch(arrays, images);
            NDArray texts = split.captions().batch(arrays, captions);
            float value;
            try (GradientCollector gradients = Engine.getInstance().newGradientCollector()) {
                NDList embeddings = model.network().forward(parameters, new NDList(regions, texts), true);
                NDArray similarity = embeddings.get(0).matMul(embeddings.get(1).transpose());
                NDArray batchLoss = loss.loss(similarity, model.network().scale(parameters, arrays, true), epoch);
                gradients.backward(batchLoss);
                value = batchLoss.getFloat();
            }
            optimizer.clipGradients(options.clipNorm());
            optimizer.step(learningRate);
            return value;
        }
    }

    /** Cross-modal retrieval on {@code split}: Recall@1/5/10 and median rank both ways, and their {@value #SELECTION}. */
    public static Map<String, Double> validate(DualEncoder model, ContrastiveSplit split) {
        RetrievalMetrics metrics = RetrievalMetrics.of(JointVectors.similarities(model.embedRegions(split.images()),
                model.embedPrepared(split.captions())), split.imageOfCaption());
        return scores(metrics);
    }

    /** The metrics as named scores, as the training log and the validation line show them. */
    public static Map<String, Double> scores(RetrievalMetrics metrics) {
        Map<String, Double> scores = new LinkedHashMap<>();
        put(scores, "i2t", metrics.imageToText());
        put(scores, "t2i", metrics.textToImage());
        RetrievalMetrics.Direction a = metrics.imageToText();
        RetrievalMetrics.Direction b = metrics.textToImage();
        scores.put(SELECTION, a.recallAt1() + a.recallAt5() + a.recallAt10() + b.recallAt1() + b.recallAt5()
                + b.recallAt10());
        return scores;
    }

    private static void put(Map<String, Double> scores, String direction, RetrievalMetrics.Direction d) {
        scores.put(direction + "_R@1", d.recallAt1());
        scores.put(direction + "_R@5", d.recallAt5());
        scores.put(direction + "_R@10", d.recallAt10());
        scores.put(direction + "_medr", d.medianRank());
    }

    private static String format(Map<String, Double> scores) {
        StringBuilder s = new StringBuilder();
        scores.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ")
                .append(String.format(Locale.ROOT, "%s %.3f", k, v)));
        return s.toString();
    }
}

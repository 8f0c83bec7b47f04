package io.caption4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.model.BackboneTop;
import io.caption4j.model.CaptionModel;
import io.caption4j.model.CaptionModels;
import io.caption4j.model.io.ArrayValues;
import io.caption4j.model.io.SafeTensors;
import io.caption4j.model.nn.Scalars;
import io.caption4j.util.AtomicFiles;
import io.caption4j.util.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * Trains a captioner (any {@link CaptionModel}) with teacher forcing: masked cross-entropy over padded caption batches, AdamW, gradient
 * clipping, warm-up + cosine learning rate, validation after every epoch, early stopping on the validation metric.
 *
 * <p>A run directory holds {@code model/} (the best model so far, a model directory), {@code checkpoint/} (the
 * state after the last epoch: weights, optimizer moments, progress) and {@code train-log.jsonl}. Every epoch's
 * randomness (data order, dropout) is seeded from (seed, epoch), so a run resumed from a checkpoint continues
 * exactly as if it had never stopped.
 */
public final class CaptionTrainer {
    public static final String MODEL = "model";
    public static final String CHECKPOINT = "checkpoint";
    public static final String LOG = "train-log.jsonl";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CaptionModel captioner;
    private final TrainingObjective objective;
    private final TrainingOptions options;
    private final Function<CaptionModel, Map<String, Double>> validation;
    private final String selectionMetric;
    private final PrintStream out;
    private final MaskedCrossEntropy loss;
    private final AdamW optimizer;
    private final ParameterStore parameters;

    /**
     * @param validation      captions the validation split and scores it (higher is better)
     * @param selectionMetric the key of {@code validation}'s result that picks the best epoch
     */
    public CaptionTrainer(CaptionModel captioner, TrainingOptions options,
            Function<CaptionModel, Map<String, Double>> validation, String selectionMetric, PrintStream out) {
        this(captioner, TrainingObjective.crossEntropy(), options, validation, selectionMetric, out);
    }

    public CaptionTrainer(CaptionModel captioner, TrainingObjective objective, TrainingOptions options,
            Function<CaptionModel, Map<String, Double>> validation, String selectionMetric, PrintStream out) {
        this.captioner = captioner;
        this.objective = objective;
        this.options = options;
        this.validation = validation;
        this.selectionMetric = selectionMetric;
        this.out = out;
        this.loss = new MaskedCrossEntropy(options.labelSmoothing(), captioner.paddingToken());
        this.optimizer = new AdamW(captioner.network().getParameters(), captioner.manager(), options.weightDecay(),
                name -> BackboneTop.owns(name) ? options.backboneTopLearningRate() : 1.0);
        this.parameters = new ParameterStore(captioner.manager(), false);
    }

    /** Progress saved in a checkpoint. */
    record Progress(int epochsDone, long steps, double bestScore, int epochsSinceBest) {}

    /** Trains into {@code runDirectory}; with {@code resume}, continues from its checkpoint. Returns the log. */
    public List<EpochRecord> train(CaptionSplit train, Path runDirectory, boolean resume) throws IOException {
        Progress progress = new Progress(0, 0, Double.NEGATIVE_INFINITY, 0);
        Path checkpoint = runDirectory.resolve(CHECKPOINT);
        if (resume && Files.isDirectory(checkpoint)) {
            progress = restore(checkpoint);
            out.printf(Locale.ROOT, "resuming after epoch %d (best %s %.4f)%n", progress.epochsDone(),
                    selectionMetric, progress.bestScore());
        } else {
            Files.deleteIfExists(runDirectory.resolve(LOG));
        }
        List<int[]> examples = objective.examples(train);
        long stepsPerEpoch = (examples.size() + options.batchSize() - 1) / options.batchSize();
        LearningRateSchedule schedule = new LearningRateSchedule(options.learningRate(), options.warmupSteps(),
                stepsPerEpoch * options.epochs(), 0.05);
        List<EpochRecord> log = new ArrayList<>();
        long totalSteps = stepsPerEpoch * options.epochs();
        for (int epoch = progress.epochsDone() + 1; epoch <= options.epochs(); epoch++) {
            long started = System.nanoTime();
            double trainLoss = runEpoch(train, examples, epoch, schedule, totalSteps);
            Map<String, Double> scores = validation.apply(captioner);
            double score = scores.getOrDefault(selectionMetric, Double.NaN);
            boolean best = score > progress.bestScore();
            progress = new Progress(epoch, optimizer.steps(), best ? score : progress.bestScore(),
                    best ? 0 : progress.epochsSinceBest() + 1);
            if (best) {
                captioner.save(runDirectory.resolve(MODEL));
            }
            saveCheckpoint(checkpoint, progress);
            EpochRecord record = new EpochRecord(epoch, optimizer.steps(), trainLoss,
                    schedule.at(optimizer.steps() - 1), (System.nanoTime() - started) / 1e9, scores, best);
            appendLog(runDirectory.resolve(LOG), record);
            log.add(record);
            out.printf(Locale.ROOT, "epoch %d: loss %.4f, validation %s%s (%.0f s)%n", epoch, trainLoss,
                    format(scores), best ? " *best*" : "", record.seconds());
            if (options.patience() > 0 && progress.epochsSinceBest() >= options.patience()) {
                out.printf("early stop: no better validation %s for %d epochs%n", selectionMetric, options.patience());
                break;
            }
        }
        return log;
    }

    private double runEpoch(CaptionSplit split, List<int[]> examples, int epoch, LearningRateSchedule schedule,
            long totalSteps) {
        long epochSeed = options.seed() * 1_000_003L + epoch;
        List<int[]> order = new ArrayList<>(examples);
        Collections.shuffle(order, new Random(epochSeed));
        Engine.getInstance().setRandomSeed((int) epochSeed);
        double lossSum = 0;
        int batches = 0;
        int batchSize = options.batchSize();
        try (ProgressBar bar = new ProgressBar(out, "epoch " + epoch, order.size())) {
            for (int from = 0; from < order.size(); from += batchSize) {
                List<int[]> batch = order.subList(from, Math.min(order.size(), from + batchSize));
                double sampling = options.scheduledSampling() * Math.min(1.0, (double) optimizer.steps() / totalSteps);
                lossSum += step(split, batch, schedule.at(optimizer.steps()), sampling);
                batches++;
                bar.step(batch.size(), String.format(Locale.ROOT, "loss %.3f", lossSum / batches) + objective.progress());
            }
        }
        return lossSum / batches;
    }

    /** One optimisation step on a batch of the objective's examples; returns the batch loss. */
    public double step(CaptionSplit split, List<int[]> examples, double learningRate) {
        return step(split, examples, learningRate, 0);
    }

    /**
     * One optimisation step in which each teacher-forced input word after the start token is, with probability
     * {@code sampling}, replaced by the model's own prediction at that position; returns the batch loss.
     */
    double step(CaptionSplit split, List<int[]> examples, double learningRate, double sampling) {
        // An op's result belongs to its receiver's manager, and many receivers here are long-lived parameters:
        // the scope closes every array this step creates, wherever it is attached.
        try (NDScope scope = new NDScope(); NDManager arrays = captioner.manager().newSubManager()) {
            TrainingObjective.Batch batch = objective.batch(split, examples, optimizer.steps(), arrays);
            int rows = batch.captions().size();
            int longest = batch.captions().stream().mapToInt(c -> c.length).max().orElse(2);
            long[][] inputs = new long[rows][longest - 1];
            long[][] targets = new long[rows][longest - 1];
            for (long[] row : targets) {
                Arrays.fill(row, captioner.paddingToken());
            }
            for (int b = 0; b < rows; b++) {
                int[] caption = batch.captions().get(b);
                for (int t = 0; t + 1 < caption.length; t++) {
                    inputs[b][t] = caption[t];
                    targets[b][t] = caption[t + 1];
                }
            }
            if (sampling > 0) {
                mixInPredictions(batch, inputs, sampling, arrays);
            }
            float value;
            try (GradientCollector gradients = Engine.getInstance().newGradientCollector()) {
                NDList outputs = captioner.network().forward(parameters,
                        new NDList(batch.images(), arrays.create(inputs)), objective.dropout());
                NDArray weights = batch.weights() == null ? null : arrays.create(batch.weights());
                NDArray targetIds = arrays.create(targets);
                NDArray logits = batch.logitBias() == null ? outputs.get(0) : outputs.get(0).add(batch.logitBias());
                NDArray batchLoss = loss.loss(logits, targetIds, weights);
                if (options.attentionCoverage() > 0 && captioner.attendsToRegions()) {
                    batchLoss = batchLoss.add(Scalars.times(attentionPenalty(outputs.get(1), targetIds),
                            options.attentionCoverage()));
                }
                gradients.backward(batchLoss);
                value = batchLoss.getFloat();
            }
            optimizer.clipGradients(options.clipNorm());
            optimizer.step(learningRate);
            return value;
        }
    }

    /**
     * Scheduled sampling in its parallel form (Duckworth et al. 2019): one pass without gradients over the
     * teacher-forced inputs gives the model's most likely word at every position; each input word after the start
     * token is then replaced by the prediction made one position earlier, with probability {@code sampling}. The
     * targets stay the reference words, so the model learns to recover from its own mistakes. The coin flips are
     * seeded by (seed, step), so a resumed run flips the same coins.
     */
    void mixInPredictions(TrainingObjective.Batch batch, long[][] inputs, double sampling, NDManager arrays) {
        NDArray logits = captioner.network().forward(parameters, new NDList(batch.images(), arrays.create(inputs)),
                false).get(0);
        if (batch.logitBias() != null) {
            logits = logits.add(batch.logitBias());
        }
        long[] predicted = logits.argMax(2).toLongArray();
        int positions = inputs[0].length;
        Random coins = new Random(options.seed() * 1_000_003L + optimizer.steps() * 31L + 17);
        for (int b = 0; b < inputs.length; b++) {
            int words = batch.captions().get(b).length - 1;
            for (int t = 1; t < words; t++) {
                if (coins.nextDouble() < sampling) {
                    inputs[b][t] = predicted[b * positions + t - 1];
                }
            }
        }
    }

    /**
     * Show, Attend and Tell's doubly stochastic penalty: each region's attention summed over the caption's words
     * (padding excluded) should be near 1; the squared shortfall summed over regions, averaged over captions.
     *
     * @param attention [B, T, R] attention weights of each word over the regions
     */
    private NDArray attentionPenalty(NDArray attention, NDArray targets) {
        NDArray words = targets.neq(captioner.paddingToken()).toType(DataType.FLOAT32, false).expandDims(2);
        NDArray coverage = attention.mul(words).sum(new int[] {1});
        return Scalars.constant(coverage, 1).sub(coverage).square().sum(new int[] {1}).mean();
    }

    private void saveCheckpoint(Path checkpoint, Progress progress) throws IOException {
        AtomicFiles.writeDirectory(checkpoint, dir -> {
            captioner.save(dir.resolve(MODEL));
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, float[]> values = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> e : optimizer.state().entrySet()) {
                shapes.put(e.getKey(), e.getValue().getShape().getShape());
                values.put(e.getKey(), e.getValue().toFloatArray());
            }
            SafeTensors.write(dir.resolve("optimizer.safetensors"), shapes, values, Map.of());
            JSON.writeValue(dir.resolve("progress.json").toFile(), progress);
        });
    }

    private Progress restore(Path checkpoint) throws IOException {
        try (CaptionModel saved = CaptionModels.load(checkpoint.resolve(MODEL))) {
            for (Pair<String, Parameter> p : captioner.network().getParameters()) {
                ArrayValues.assign(p.getValue().getArray(),
                        saved.network().getParameters().get(p.getKey()).getArray().toFloatArray());
            }
        }
        SafeTensors state = SafeTensors.open(checkpoint.resolve("optimizer.safetensors"));
        Map<String, float[]> values = new LinkedHashMap<>();
        for (String name : state.entries().keySet()) {
            values.put(name, state.floats(name));
        }
        Progress progress = JSON.readValue(checkpoint.resolve("progress.json").toFile(), Progress.class);
        optimizer.restore(values, progress.steps());
        return progress;
    }

    static void appendLog(Path log, EpochRecord record) throws IOException {
        Files.createDirectories(log.getParent());
        Files.writeString(log, JSON.writeValueAsString(record) + "\n", StandardOpenOption.CREATE,
                StandardOpenOption.APPEND);
    }

    private static String format(Map<String, Double> scores) {
        StringBuilder s = new StringBuilder();
        scores.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s %.4f", k, v)));
        return s.toString();
    }
}

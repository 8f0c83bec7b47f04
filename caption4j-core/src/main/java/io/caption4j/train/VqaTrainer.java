package io.caption4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.eval.VqaAccuracy;
import io.caption4j.model.vqa.VqaBatch;
import io.caption4j.model.vqa.VqaModel;
import io.caption4j.util.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Trains a VQA model: softmax cross-entropy over the answers, AdamW, gradient clipping, warm-up + cosine learning
 * rate, validation accuracy after every epoch; the best epoch on validation is saved to {@code RUN/model}, and every
 * epoch is a line of {@code RUN/train-log.jsonl}. Every epoch's data order and dropout are seeded from (seed, epoch).
 */
public final class VqaTrainer {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VqaModel model;
    private final TrainingOptions options;
    private final PrintStream out;
    private final AdamW optimizer;
    private final ParameterStore parameters;
    private int skippedSteps;

    public VqaTrainer(VqaModel model, TrainingOptions options, PrintStream out) {
        this.model = model;
        this.options = options;
        this.out = out;
        this.optimizer = new AdamW(model.network().getParameters(), model.manager(), options.weightDecay());
        this.parameters = new ParameterStore(model.manager(), false);
    }

    /** Trains into {@code runDirectory} and returns the log. */
    public List<EpochRecord> train(VqaSplit train, VqaSplit val, Path runDirectory) throws IOException {
        Path logFile = runDirectory.resolve(CaptionTrainer.LOG);
        Files.createDirectories(runDirectory);
        Files.deleteIfExists(logFile);
        out.println("model: " + model.config().describe());
        long stepsPerEpoch = train.batches(options.batchSize(), null).size();
        LearningRateSchedule schedule = new LearningRateSchedule(options.learningRate(), options.warmupSteps(),
                stepsPerEpoch * options.epochs(), 0.05);
        List<EpochRecord> log = new ArrayList<>();
        double bestScore = Double.NEGATIVE_INFINITY;
        int epochsSinceBest = 0;
        for (int epoch = 1; epoch <= options.epochs(); epoch++) {
            long started = System.nanoTime();
            double trainLoss = runEpoch(train, epoch, schedule);
            VqaAccuracy accuracy = VqaAccuracy.evaluate(model, val, options.batchSize());
            boolean best = accuracy.overall() > bestScore;
            if (best) {
                bestScore = accuracy.overall();
                epochsSinceBest = 0;
                model.save(runDirectory.resolve(CaptionTrainer.MODEL));
            } else {
                epochsSinceBest++;
            }
            EpochRecord record = new EpochRecord(epoch, optimizer.steps(), trainLoss,
                    schedule.at(optimizer.steps() - 1), (System.nanoTime() - started) / 1e9, accuracy.scores(), best);
            Files.writeString(logFile, JSON.writeValueAsString(record) + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            log.add(record);
            out.printf(Locale.ROOT, "epoch %d: loss %.4f, validation accuracy %.4f%s (%.0f s)%n", epoch, trainLoss,
                    accuracy.overall(), best ? " *best*" : "", record.seconds());
            if (options.patience() > 0 && epochsSinceBest >= options.patience()) {
                out.printf("early stop: no better validation accuracy for %d epochs%n", options.patience());
                break;
            }
        }
        return log;
    }

    private double runEpoch(VqaSplit split, int epoch, LearningRateSchedule schedule) {
        long epochSeed = options.seed() * 1_000_003L + epoch;
        Engine.getInstance().setRandomSeed((int) epochSeed);
        List<int[]> batches = split.batches(options.batchSize(), new Random(epochSeed));
        double lossSum = 0;
        int counted = 0;
        try (ProgressBar bar = new ProgressBar(out, "epoch " + epoch, split.examples().size())) {
            for (int[] batch : batches) {
                double loss = step(split, batch, schedule.at(optimizer.steps()));
                if (Double.isFinite(loss)) {
                    lossSum += loss;
                    counted++;
                }
                bar.step(batch.length, String.format(Locale.ROOT, "loss %.3f", lossSum / Math.max(1, counted)));
            }
        }
        if (skippedSteps > 0) {
            out.printf("warning: %d step(s) so far skipped for a loss or gradient that is not finite%n", skippedSteps);
        }
        return lossSum / Math.max(1, counted);
    }

    /**
     * One optimisation step on a batch of example indices; returns the mean loss of the batch. A step whose loss or
     * gradient is not finite is skipped (and counted), so that one bad step cannot turn every weight into NaN.
     */
    public double step(VqaSplit split, int[] batch, double learningRate) {
        // op results attach to their receiver's manager, often a long-lived parameter's: the scope closes them all
        try (NDScope scope = new NDScope(); NDManager arrays = model.manager().newSubManager()) {
            VqaBatch inputs = split.batch(arrays, batch);
            long[] answers = split.answers(batch);
            float value;
            try (GradientCollector gradients = Engine.getInstance().newGradientCollector()) {
                List<NDArray> logits = model.network().logits(parameters, inputs, true);
                NDArray loss = null;
                for (int g = 0; g < logits.size(); g++) {
                    long[] groupAnswers = IntStream.of(inputs.groups().get(g).rows()).mapToLong(r -> answers[r])
                            .toArray();
                    NDArray groupLoss = crossEntropySum(logits.get(g), arrays.create(groupAnswers));
                    loss = loss == null ? groupLoss : loss.add(groupLoss);
                }
                loss = loss.div(batch.length);
                value = loss.getFloat();
                if (!Float.isFinite(value)) {
                    skippedSteps++;
                    return value;
                }
                gradients.backward(loss);
            }
            if (!Double.isFinite(optimizer.clipGradients(options.clipNorm()))) {
                clearGradients();
                skippedSteps++;
                return Double.NaN;
            }
            optimizer.step(learningRate);
            return value;
        }
    }

    private void clearGradients() {
        for (Pair<String, Parameter> p : model.network().getParameters()) {
            if (p.getValue().requiresGradient()) {
                NDArray gradient = p.getValue().getArray().getGradient();
                gradient.set(new NDIndex("..."), 0f); // in place; NaN × 0 would stay NaN
                gradient.close();
            }
        }
    }

    /** Summed cross-entropy of logits [B,A] against answer indices [B], label smoothing ε spread over all answers. */
    private NDArray crossEntropySum(NDArray logits, NDArray answers) {
        int classes = (int) logits.getShape().get(1);
        float epsilon = options.labelSmoothing();
        NDArray target = answers.oneHot(classes).mul(1 - epsilon).add(epsilon / classes);
        return logits.logSoftmax(1).mul(target).sum().neg();
    }
}

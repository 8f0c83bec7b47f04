package io.caption4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.eval.VqaAccuracy;
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
        try (ProgressBar bar = new ProgressBar(out, "epoch " + epoch, split.examples().size())) {
            for (int i = 0; i < batches.size(); i++) {
                lossSum += step(split, batches.get(i), schedule.at(optimizer.steps()));
                bar.step(batches.get(i).length, String.format(Locale.ROOT, "loss %.3f", lossSum / (i + 1)));
            }
        }
        return lossSum / batches.size();
    }

    /** One optimisation step on a batch of example indices (questions of one length); returns the batch loss. */
    public double step(VqaSplit split, int[] batch, double learningRate) {
        // op results attach to their receiver's manager, often a long-lived parameter's: the scope closes them all
        try (NDScope scope = new NDScope(); NDManager arrays = model.manager().newSubManager()) {
            float value;
            try (GradientCollector gradients = Engine.getInstance().newGradientCollector()) {
                NDArray logits = model.network().forward(parameters, split.inputs(arrays, batch), true).head();
                NDArray loss = crossEntropy(logits, arrays.create(split.answers(batch)));
                gradients.backward(loss);
                value = loss.getFloat();
            }
            optimizer.clipGradients(options.clipNorm());
            optimizer.step(learningRate);
            return value;
        }
    }

    /** Mean cross-entropy of logits [B,A] against answer indices [B], with label smoothing ε spread over all answers. */
    private NDArray crossEntropy(NDArray logits, NDArray answers) {
        int classes = (int) logits.getShape().get(1);
        float epsilon = options.labelSmoothing();
        NDArray target = answers.oneHot(classes).mul(1 - epsilon).add(epsilon / classes);
        return logits.logSoftmax(1).mul(target).sum(new int[] {1}).mean().neg();
    }
}

package io.caption4j.cli;

import io.caption4j.data.synthetic.QuestionAnswer;
import io.caption4j.model.joint.Fusion;
import io.caption4j.model.vqa.VqaConfig;
import io.caption4j.train.CaptionTrainer;
import io.caption4j.train.CaptionerTraining;
import io.caption4j.train.EpochRecord;
import io.caption4j.train.TrainingOptions;
import io.caption4j.train.VqaTraining;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/** The options of {@code train --model-type vqa} beyond the common ones, and that training run. */
final class VqaOptions {
    @Option(names = "--fusion", defaultValue = "concat",
            description = "With --model-type vqa: how each question token meets its image context: concat, product or weighted-sum (default: ${DEFAULT-VALUE}).")
    String fusion;

    @Option(names = "--text-only",
            description = "With --model-type vqa: the image-blind baseline (question encoder and answer head only).")
    boolean textOnly;

    @Option(names = "--heads", defaultValue = "4",
            description = "With --model-type vqa: cross-modal attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    /** Trains a VQA model on the synthetic world's questions with {@code train}'s common options. */
    int train(TrainCommand train) throws Exception {
        if (train.data.synthetic == null) {
            throw new InputException("--model-type vqa trains on the synthetic world's questions: give --synthetic N");
        }
        if (train.resume) {
            throw new InputException("--resume is not supported for --model-type vqa (runs take minutes)");
        }
        Fusion.Mode.parse(fusion);
        CaptionerTraining.Backbone backbone = train.frozenBackbone();
        VqaConfig architecture = VqaConfig.smallCnn(train.smallCnnSize(), train.featureSize, train.embedding,
                train.hidden, train.attention, heads, fusion, textOnly, train.dropout);
        TrainingOptions options = new TrainingOptions(train.epochs, train.batchSize, train.learningRate, train.warmup,
                train.weightDecay, train.clipNorm, train.labelSmoothing, train.patience, train.seed);
        Problems problems = new Problems(System.err);
        DataMixin.Data input = train.data.read(train.out, problems, System.out);
        Map<String, List<QuestionAnswer>> questions = QuestionAnswer.read(
                train.data.syntheticDirectory(train.out).resolve("questions.jsonl"), problems);
        List<EpochRecord> log = VqaTraining.run(input.dataset(), input.splits(), questions, architecture, options,
                backbone, train.out, problems, System.out);
        log.stream().filter(EpochRecord::best).max(Comparator.comparingInt(EpochRecord::epoch)).ifPresent(best ->
                System.out.printf("best epoch %d: validation %s; model in %s%n", best.epoch(), best.validation(),
                        train.out.resolve(CaptionTrainer.MODEL)));
        return problems.count() == 0 ? 0 : 1;
    }
}

package io.caption4j.cli;

import io.caption4j.model.joint.DualEncoderConfig;
import io.caption4j.model.joint.MiniLmTextEncoder;
import io.caption4j.train.CaptionTrainer;
import io.caption4j.train.CaptionerTraining;
import io.caption4j.train.DualEncoderTraining;
import io.caption4j.train.EpochRecord;
import io.caption4j.train.TrainingOptions;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code train --model-type dual-encoder}: the options only a CLIP-style dual encoder has; the common ones (epochs,
 * batch size, learning rate, seed, backbone, feature cache, word embedding and GRU sizes...) are the train command's.
 */
final class DualEncoderOptions {
    @Option(names = "--text-encoder", defaultValue = DualEncoderConfig.TRAINED,
            description = "Dual encoder: trained (word embeddings + GRU, learnt here) or minilm (pretrained all-MiniLM-L6-v2, frozen: only the image side learns) (default: ${DEFAULT-VALUE}).")
    String textEncoder;

    @Option(names = "--loss", defaultValue = "infonce",
            description = "Dual encoder: infonce (symmetric, learnt temperature) or triplet (hardest in-batch negatives) (default: ${DEFAULT-VALUE}).")
    String loss;

    @Option(names = "--margin", defaultValue = "0.2", description = "Dual encoder: margin of the triplet loss (default: ${DEFAULT-VALUE}).")
    float margin;

    @Option(names = "--embed-dim", description = "Dual encoder: joint embedding size (default: 256; 384 with --text-encoder minilm, which fixes it).")
    Integer embedDim;

    @Option(names = "--image-pooling", defaultValue = DualEncoderConfig.MEAN,
            description = "Dual encoder: mean (the backbone's pooled vector) or attention (learnt weights over its 7×7 regions) (default: ${DEFAULT-VALUE}).")
    String imagePooling;

    @Option(names = "--image-hidden", defaultValue = "1024", description = "Dual encoder: hidden width of the image projection (default: ${DEFAULT-VALUE}).")
    int imageHidden;

    int train(TrainCommand command) throws Exception {
        if (command.backbone == null) {
            throw new InputException("--model-type dual-encoder needs --backbone path/to/model.json");
        }
        if (command.resume) {
            throw new InputException("--resume is not supported for --model-type dual-encoder (runs are short)");
        }
        if (command.imageSize != null) {
            throw new InputException("--image-size is not supported for --model-type dual-encoder: it reads the"
                    + " backbone at the size it was exported for");
        }
        boolean miniLm = DualEncoderConfig.MINILM.equals(textEncoder);
        if (miniLm && embedDim != null && embedDim != MiniLmTextEncoder.DIMENSION) {
            throw new InputException("--text-encoder minilm fixes --embed-dim at " + MiniLmTextEncoder.DIMENSION);
        }
        int dimension = embedDim != null ? embedDim : miniLm ? MiniLmTextEncoder.DIMENSION : 256;
        DualEncoderConfig config;
        try {
            config = new DualEncoderConfig(textEncoder, imagePooling, 0, imageHidden, dimension, 0,
                    command.embedding, command.hidden, command.maxWords, command.dropout, "", "");
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage());
        }
        Problems problems = new Problems(System.err);
        DataMixin.Data input = command.data.read(command.out, problems, System.out);
        DualEncoderTraining.Setup setup = new DualEncoderTraining.Setup(config,
                new TrainingOptions(command.epochs, command.batchSize, command.learningRate, command.warmup,
                        command.weightDecay, command.clipNorm, 0f, command.patience, command.seed),
                loss, margin, command.minCount);
        List<EpochRecord> log = DualEncoderTraining.run(input.dataset(), input.splits(), setup,
                command.backbone(command.backbone), command.out, problems,
                System.out);
        log.stream().filter(EpochRecord::best).max(Comparator.comparingInt(EpochRecord::epoch)).ifPresent(best ->
                System.out.printf("best epoch %d: validation %s; model in %s%n", best.epoch(), best.validation(),
                        command.out.resolve(CaptionTrainer.MODEL)));
        return problems.count() == 0 ? 0 : 1;
    }
}

package io.caption4j.cli;

import io.caption4j.model.clipcap.ClipCapConfig;
import io.caption4j.train.CaptionTrainer;
import io.caption4j.train.CaptionerTraining;
import io.caption4j.train.ClipCapTraining;
import io.caption4j.train.EpochRecord;
import io.caption4j.train.TrainingOptions;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of {@code train --model-type clipcap}; the data, run and optimisation options are train's own. */
final class ClipCapOptions {
    @Option(names = "--lm", paramLabel = "LM_DIR",
            description = "clipcap: a Hugging Face GPT-2 folder (config.json, model.safetensors, tokenizer.json), e.g. from pretrain-lm.")
    Path lm;

    @Option(names = "--mapping", defaultValue = ClipCapConfig.TRANSFORMER,
            description = "clipcap: mlp or transformer (default: ${DEFAULT-VALUE}).")
    String mapping;

    @Option(names = "--mapping-input", defaultValue = "pooled", paramLabel = "pooled|regions",
            description = "clipcap: what the mapping reads: the backbone's pooled embedding (the paper) or, with the"
                    + " transformer mapping, its region vectors (MobileNetV2: 7×7) (default: ${DEFAULT-VALUE}).")
    String mappingInput;

    @Option(names = "--prefix-length", defaultValue = "10", description = "clipcap: prefix vectors (default: ${DEFAULT-VALUE}).")
    int prefixLength;

    @Option(names = "--projected-length", defaultValue = "10",
            description = "clipcap transformer mapping: vectors the embedding is projected to (default: ${DEFAULT-VALUE}).")
    int projectedLength;

    @Option(names = "--mapping-layers", defaultValue = "8",
            description = "clipcap transformer mapping: encoder layers (default: ${DEFAULT-VALUE}).")
    int mappingLayers;

    @Option(names = "--mapping-heads", defaultValue = "8",
            description = "clipcap transformer mapping: attention heads (default: ${DEFAULT-VALUE}).")
    int mappingHeads;

    @Option(names = "--fine-tune-lm", description = "clipcap: train the language model too (default: frozen).")
    boolean fineTuneLm;

    int train(TrainCommand common) throws Exception {
        if (lm == null) {
            throw new InputException("--model-type clipcap needs --lm LM_DIR (a GPT-2 folder; see pretrain-lm)");
        }
        if (common.backbone == null) {
            throw new InputException("--model-type clipcap needs --backbone path/to/model.json (the image encoder)");
        }
        if (!mapping.equals(ClipCapConfig.MLP) && !mapping.equals(ClipCapConfig.TRANSFORMER)) {
            throw new InputException("--mapping must be mlp or transformer, got " + mapping);
        }
        if (!mappingInput.equals("pooled") && !mappingInput.equals("regions")) {
            throw new InputException("--mapping-input must be pooled or regions, got " + mappingInput);
        }
        boolean regions = mappingInput.equals("regions");
        if (regions && !mapping.equals(ClipCapConfig.TRANSFORMER)) {
            throw new InputException("--mapping-input regions needs --mapping transformer (the MLP reads one vector)");
        }
        Problems problems = new Problems(System.err);
        DataMixin.Data input = common.data.read(common.out, problems, System.out);
        ClipCapConfig architecture = new ClipCapConfig(mapping, prefixLength, 1, projectedLength, mappingLayers,
                mappingHeads, fineTuneLm, "", 0, common.maxWords, regions ? 1 : 0);
        TrainingOptions options = new TrainingOptions(common.epochs, common.batchSize, common.learningRate,
                common.warmup, common.weightDecay, common.clipNorm, common.labelSmoothing, common.patience,
                common.seed);
        List<EpochRecord> log = ClipCapTraining.run(input.dataset(), input.splits(), architecture, lm, options,
                common.selectionMetric, common.backbone(common.backbone),
                common.out, common.resume, problems, System.out);
        log.stream().filter(EpochRecord::best).max(Comparator.comparingInt(EpochRecord::epoch)).ifPresent(best ->
                System.out.printf("best epoch %d: validation %s; model in %s%n", best.epoch(), best.validation(),
                        common.out.resolve(CaptionTrainer.MODEL)));
        return problems.count() == 0 ? 0 : 1;
    }
}

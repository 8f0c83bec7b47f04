package io.caption4j.train;

import io.caption4j.decode.DecodingOptions;
import io.caption4j.model.CaptionerConfig;
import java.nio.file.Path;

/**
 * Everything that defines a training run besides its data: the architecture (its vocabulary size is filled in from
 * the data), the optimisation, the vocabulary rules, and how the best epoch is chosen.
 *
 * @param minCount           words seen fewer times in the training captions become {@code <unk>}
 * @param maxWords           training captions are cut to this many words
 * @param selectionMetric    validation metric that picks the best epoch, e.g. {@code CIDEr}
 * @param validationDecoding how validation captions are generated
 * @param initialModel       a trained captioner to start from (its architecture and vocabulary are kept), or null
 * @param selfCritical       null for cross-entropy training; otherwise how self-critical training runs
 *                           ({@link SelfCriticalObjective})
 * @param flipAugmentation   whether cross-entropy training also sees the photos mirrored ({@link FlipAugmentation};
 *                           frozen backbones only)
 */
public record TrainingSetup(CaptionerConfig architecture, TrainingOptions options, int minCount, int maxWords,
        String selectionMetric, DecodingOptions validationDecoding, Path initialModel,
        SelfCriticalObjective.Settings selfCritical, boolean flipAugmentation) {

    /** Cross-entropy training of a new captioner. */
    public TrainingSetup(CaptionerConfig architecture, TrainingOptions options, int minCount, int maxWords,
            String selectionMetric, DecodingOptions validationDecoding) {
        this(architecture, options, minCount, maxWords, selectionMetric, validationDecoding, null, null, false);
    }
}

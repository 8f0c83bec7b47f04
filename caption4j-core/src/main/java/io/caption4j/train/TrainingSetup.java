package io.caption4j.train;

import io.caption4j.decode.DecodingOptions;
import io.caption4j.model.CaptionerConfig;

/**
 * Everything that defines a training run besides its data: the architecture (its vocabulary size is filled in from
 * the data), the optimisation, the vocabulary rules, and how the best epoch is chosen.
 *
 * @param minCount           words seen fewer times in the training captions become {@code <unk>}
 * @param maxWords           training captions are cut to this many words
 * @param selectionMetric    validation metric that picks the best epoch, e.g. {@code CIDEr}
 * @param validationDecoding how validation captions are generated
 */
public record TrainingSetup(CaptionerConfig architecture, TrainingOptions options, int minCount, int maxWords,
        String selectionMetric, DecodingOptions validationDecoding) {}

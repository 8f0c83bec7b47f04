package io.caption4j.train;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.Splits;
import io.caption4j.eval.CaptionEvaluation;
import io.caption4j.model.Captioner;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.FeatureCache;
import io.caption4j.vision.FeatureInputs;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.MobileNetV2;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole training run from a dataset: vocabulary from the training captions, images to model inputs (pixels held
 * in memory for a small CNN; region features extracted once into a {@link FeatureCache} for a frozen backbone), a
 * fresh or resumed captioner, and the trainer with validation scoring after every epoch.
 */
public final class CaptionerTraining {
    private CaptionerTraining() {}

    /**
     * A frozen backbone to load: a TensorFlow.js {@code model.json} (MobileNetV2) or a Hugging Face CLIP folder, the
     * side of the images it reads, and where its features are cached.
     *
     * @param path      null when the backbone comes with the initial model
     * @param inputSize {@link FrozenBackbone#AS_EXPORTED} or a side in pixels
     * @param output    {@link MobileNetV2.Output#BEFORE_TOP} for a captioner that fine-tunes MobileNetV2's last layer
     *                  (its features are then cached from below that layer)
     */
    public record Backbone(Path path, int inputSize, Path featureCacheRoot, MobileNetV2.Output output) {
        /** A backbone used whole. */
        public Backbone(Path path, int inputSize, Path featureCacheRoot) {
            this(path, inputSize, featureCacheRoot, MobileNetV2.Output.OUT_RELU);
        }

        public FrozenBackbone open() {
            if (path == null) {
                throw new InputException("a new captioner on backbone features needs --backbone");
            }
            return FrozenBackbone.open(path, inputSize, output);
        }
    }

    /**
     * Trains into {@code runDirectory} and returns the log; the best model is in {@code runDirectory/model}.
     *
     * @param backbone null for a captioner that trains its own encoder ({@code small-cnn})
     */
    public static List<EpochRecord> run(CaptionDataset dataset, Splits splits, TrainingSetup setup, Backbone backbone,
            Path runDirectory, boolean resume, Problems problems, PrintStream out) throws IOException {
        CaptionDataset trainItems = splits.apply(dataset, Splits.Split.TRAIN);
        CaptionDataset valItems = splits.apply(dataset, Splits.Split.VAL);
        if (valItems.isEmpty()) {
            throw new InputException("the validation split is empty: training needs it to choose the best epoch");
        }
        List<FeatureCache> caches = new ArrayList<>();
        try (Captioner captioner = startingCaptioner(trainItems, setup, backbone, runDirectory, resume)) {
            out.printf("data: %d training images (%d captions), %d validation images; vocabulary %d words%n",
                    trainItems.size(), trainItems.captionCount(), valItems.size(), captioner.vocabulary().size());
            FrozenBackbone frozen = captioner.backbone();
            CaptionSplit train;
            CaptionSplit val;
            FlipAugmentation flips = null;
            if (frozen == null) {
                if (setup.flipAugmentation()) {
                    throw new InputException("flip augmentation works on a frozen backbone's features: train with"
                            + " --encoder tfjs, mobilenetv2 or clip");
                }
                CaptionSplits.Encoding encoding = CaptionSplits.words(captioner.vocabulary(),
                        captioner.config().maxLength());
                train = CaptionSplits.fromImages(trainItems, captioner, encoding, problems, out);
                val = CaptionSplits.fromImages(valItems, captioner, encoding, problems, out);
            } else {
                if (backbone == null) {
                    throw new InputException("a captioner that reads backbone features needs a feature cache");
                }
                List<String> ids = new ArrayList<>(trainItems.ids());
                ids.addAll(valItems.ids());
                FeatureCache cache = BackboneFeatures.extract(dataset, ids, frozen, backbone.featureCacheRoot(),
                        problems, out);
                caches.add(cache);
                CaptionSplits.Encoding encoding = CaptionSplits.words(captioner.vocabulary(), setup.maxWords());
                train = CaptionSplits.fromFeatures(trainItems, cache, false, encoding);
                val = CaptionSplits.fromFeatures(valItems, cache, false, encoding);
                if (setup.flipAugmentation()) {
                    FeatureCache mirrored = BackboneFeatures.extract(dataset, train.ids(), frozen, true,
                            backbone.featureCacheRoot(), problems, out);
                    caches.add(mirrored);
                    flips = new FlipAugmentation(FeatureInputs.of(mirrored, train.ids()), captioner.vocabulary(),
                            setup.options().seed());
                }
            }
            TrainingObjective objective = setup.selfCritical() != null
                    ? new SelfCriticalObjective(captioner, train, setup.selfCritical(), setup.maxWords() + 1,
                            setup.options().seed())
                    : TrainingObjective.crossEntropy(flips);
            CaptionTrainer trainer = new CaptionTrainer(captioner, objective, setup.options(),
                    c -> CaptionEvaluation.evaluate(c, val, setup.validationDecoding()).scores().corpus(),
                    setup.selectionMetric(), out);
            return trainer.train(train, runDirectory, resume && Files.isDirectory(checkpointModel(runDirectory)));
        } finally {
            for (FeatureCache cache : caches) {
                cache.close();
            }
        }
    }

    /**
     * The captioner training starts from: the initial model when there is one, else a new one whose vocabulary comes
     * from the training captions (or from the checkpoint being resumed, so that token ids keep their meaning).
     */
    private static Captioner startingCaptioner(CaptionDataset trainItems, TrainingSetup setup, Backbone backbone,
            Path runDirectory, boolean resume) {
        if (setup.initialModel() != null) {
            return Captioner.load(setup.initialModel());
        }
        Vocabulary vocabulary;
        if (resume && Files.isDirectory(checkpointModel(runDirectory))) {
            try (Captioner saved = Captioner.load(checkpointModel(runDirectory))) {
                vocabulary = saved.vocabulary();
            }
        } else {
            vocabulary = Vocabulary.build(CaptionSplits.tokenizedCaptions(trainItems), setup.minCount());
        }
        FrozenBackbone frozen = backbone == null ? null : backbone.open();
        CaptionerConfig config = setup.architecture().withVocabularySize(vocabulary.size());
        if (frozen != null) {
            boolean tunesTop = backbone.output() == MobileNetV2.Output.BEFORE_TOP; // open() gave a MobileNetV2 then
            config = tunesTop ? config.withTunedTop(frozen.encoder(), ((MobileNetV2) frozen.encoder()).top())
                    : config.withBackbone(frozen.encoder());
        }
        return Captioner.create(config, vocabulary, setup.options().seed(), frozen);
    }

    private static Path checkpointModel(Path runDirectory) {
        return runDirectory.resolve(CaptionTrainer.CHECKPOINT).resolve(CaptionTrainer.MODEL);
    }
}

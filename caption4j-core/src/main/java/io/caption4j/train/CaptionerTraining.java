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
import io.caption4j.vision.FrozenBackbone;
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

    /** Where the run reads its images from besides the dataset. */
    /**
     * A frozen backbone to load: a TensorFlow.js {@code model.json} (MobileNetV2) or a Hugging Face CLIP folder, and
     * where its features are cached.
     */
    public record Backbone(Path path, Path featureCacheRoot) {
        public FrozenBackbone open() {
            return FrozenBackbone.open(path);
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
        Path checkpointModel = runDirectory.resolve(CaptionTrainer.CHECKPOINT).resolve(CaptionTrainer.MODEL);
        boolean resuming = resume && Files.isDirectory(checkpointModel);
        Vocabulary vocabulary;
        if (resuming) {
            try (Captioner saved = Captioner.load(checkpointModel)) {
                vocabulary = saved.vocabulary();
            }
        } else {
            vocabulary = Vocabulary.build(CaptionSplits.tokenizedCaptions(trainItems), setup.minCount());
        }
        out.printf("data: %d training images (%d captions), %d validation images; vocabulary %d words%n",
                trainItems.size(), trainItems.captionCount(), valItems.size(), vocabulary.size());
        FrozenBackbone frozen = backbone == null ? null : backbone.open();
        CaptionerConfig config = setup.architecture().withVocabularySize(vocabulary.size());
        if (frozen != null) {
            config = config.withBackbone(frozen.encoder());
        }
        try (Captioner captioner = Captioner.create(config, vocabulary, setup.options().seed(), frozen)) {
            CaptionSplit train;
            CaptionSplit val;
            if (frozen == null) {
                CaptionSplits.Encoding encoding = CaptionSplits.words(vocabulary, config.maxLength());
                train = CaptionSplits.fromImages(trainItems, captioner, encoding, problems, out);
                val = CaptionSplits.fromImages(valItems, captioner, encoding, problems, out);
            } else {
                List<String> ids = new ArrayList<>(trainItems.ids());
                ids.addAll(valItems.ids());
                FeatureCache cache = BackboneFeatures.extract(dataset, ids, frozen, backbone.featureCacheRoot(), problems, out);
                CaptionSplits.Encoding encoding = CaptionSplits.words(vocabulary, setup.maxWords());
                train = CaptionSplits.fromFeatures(trainItems, cache, false, encoding);
                val = CaptionSplits.fromFeatures(valItems, cache, false, encoding);
            }
            CaptionTrainer trainer = new CaptionTrainer(captioner, setup.options(),
                    c -> CaptionEvaluation.evaluate(c, val, setup.validationDecoding()).scores().corpus(),
                    setup.selectionMetric(), out);
            return trainer.train(train, runDirectory, resuming);
        }
    }
}

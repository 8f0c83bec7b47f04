package io.caption4j.train;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.Splits;
import io.caption4j.eval.CaptionEvaluation;
import io.caption4j.model.Captioner;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.ImagePreprocessor;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A whole training run from a dataset: vocabulary from the training captions, images to model inputs, a fresh (or
 * resumed) captioner, and the trainer with validation scoring after every epoch.
 */
public final class CaptionerTraining {
    private CaptionerTraining() {}

    /** Trains into {@code runDirectory} and returns the log; the best model is in {@code runDirectory/model}. */
    public static List<EpochRecord> run(CaptionDataset dataset, Splits splits, TrainingSetup setup,
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
            try (Captioner saved = ModelDirectory.load(checkpointModel)) {
                vocabulary = saved.vocabulary();
            }
        } else {
            vocabulary = Vocabulary.build(CaptionSplits.tokenizedCaptions(trainItems), setup.minCount());
        }
        CaptionerConfig config = setup.architecture().withVocabularySize(vocabulary.size());
        out.printf("data: %d training images (%d captions), %d validation images; vocabulary %d words%n",
                trainItems.size(), trainItems.captionCount(), valItems.size(), vocabulary.size());
        ImageLoader loader = new ImageLoader();
        ImagePreprocessor preprocessor = config.preprocessor();
        CaptionSplit train = CaptionSplits.withPixels(trainItems, loader, preprocessor, vocabulary,
                setup.maxWords(), problems, out);
        CaptionSplit val = CaptionSplits.withPixels(valItems, loader, preprocessor, vocabulary,
                setup.maxWords(), problems, out);
        try (Captioner captioner = Captioner.create(config, vocabulary, setup.options().seed())) {
            CaptionTrainer trainer = new CaptionTrainer(captioner, setup.options(),
                    c -> CaptionEvaluation.evaluate(c, val, setup.validationDecoding()).scores(),
                    setup.selectionMetric(), out);
            return trainer.train(train, runDirectory, resuming);
        }
    }
}

package io.caption4j.train;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.data.Splits;
import io.caption4j.model.joint.DualEncoder;
import io.caption4j.model.joint.DualEncoderConfig;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.FeatureCache;
import io.caption4j.vision.FeatureInputs;
import io.caption4j.vision.FrozenBackbone;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole dual-encoder training run from a dataset: backbone features of the training and validation images
 * extracted once into a {@link FeatureCache} (shared with every other model on the same images), the text side made
 * ready once (a vocabulary for the trained tower, or MiniLM embeddings of every caption for the locked one), then
 * {@link DualEncoderTrainer}.
 */
public final class DualEncoderTraining {
    private DualEncoderTraining() {}

    /**
     * @param architecture the model (vocabulary size and backbone are filled in from the data)
     * @param loss         {@link ContrastiveLoss#INFONCE} or {@link ContrastiveLoss#TRIPLET}
     * @param margin       the triplet loss's margin
     * @param minCount     words seen fewer times in the training captions become {@code <unk>}
     */
    public record Setup(DualEncoderConfig architecture, TrainingOptions options, String loss, float margin,
            int minCount) {}

    /** Trains into {@code runDirectory} and returns the log; the best model is in {@code runDirectory/model}. */
    public static List<EpochRecord> run(CaptionDataset dataset, Splits splits, Setup setup,
            CaptionerTraining.Backbone backbone, Path runDirectory, Problems problems, PrintStream out)
            throws IOException {
        ContrastiveLoss loss = ContrastiveLoss.named(setup.loss(), setup.margin());
        CaptionDataset trainItems = splits.apply(dataset, Splits.Split.TRAIN);
        CaptionDataset valItems = splits.apply(dataset, Splits.Split.VAL);
        if (valItems.isEmpty()) {
            throw new InputException("the validation split is empty: training needs it to choose the best epoch");
        }
        DualEncoderConfig config = setup.architecture();
        Vocabulary vocabulary = null;
        if (config.trainsText()) {
            vocabulary = Vocabulary.build(CaptionSplits.tokenizedCaptions(trainItems), setup.minCount());
            config = config.withVocabularySize(vocabulary.size());
        }
        out.printf("data: %d training images (%d captions), %d validation images%s%n", trainItems.size(),
                trainItems.captionCount(), valItems.size(),
                vocabulary == null ? "; text tower: MiniLM (frozen)" : "; vocabulary " + vocabulary.size() + " words");
        FrozenBackbone frozen = backbone.open();
        List<String> ids = new ArrayList<>(trainItems.ids());
        ids.addAll(valItems.ids());
        FeatureCache cache;
        try {
            cache = BackboneFeatures.extract(dataset, ids, frozen, backbone.featureCacheRoot(), problems, out);
        } catch (IOException | RuntimeException e) {
            frozen.close();
            throw e;
        }
        try (cache; DualEncoder model = DualEncoder.create(config.withBackbone(frozen.encoder()), vocabulary,
                setup.options().seed(), frozen)) {
            ContrastiveSplit train = split(trainItems, cache, model, out);
            ContrastiveSplit val = split(valItems, cache, model, out);
            return new DualEncoderTrainer(model, setup.options(), loss, out).train(train, val, runDirectory);
        }
    }

    /** The items with features in {@code cache}, and all their captions made ready for {@code model}. */
    static ContrastiveSplit split(CaptionDataset items, FeatureCache cache, DualEncoder model, PrintStream out) {
        List<CaptionedImage> kept = items.items().stream().filter(i -> !cache.missing().contains(i.id())).toList();
        List<String> captions = new ArrayList<>();
        List<Integer> imageOfCaption = new ArrayList<>();
        for (int i = 0; i < kept.size(); i++) {
            for (String caption : kept.get(i).captions()) {
                captions.add(caption);
                imageOfCaption.add(i);
            }
        }
        long started = System.nanoTime();
        ContrastiveSplit split = new ContrastiveSplit(
                FeatureInputs.of(cache, kept.stream().map(CaptionedImage::id).toList()), model.prepare(captions),
                imageOfCaption.stream().mapToInt(Integer::intValue).toArray());
        out.printf("prepared %d captions for the text tower in %.1f s%n", captions.size(),
                (System.nanoTime() - started) / 1e9);
        return split;
    }
}

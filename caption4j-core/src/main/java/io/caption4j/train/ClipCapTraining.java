package io.caption4j.train;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.Splits;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.eval.CaptionEvaluation;
import io.caption4j.model.clipcap.ClipCap;
import io.caption4j.model.clipcap.ClipCapConfig;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.FeatureCache;
import io.caption4j.vision.FrozenBackbone;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A whole ClipCap training run: the backbone's features (pooled embeddings and regions) extracted once into the
 * feature cache, a fresh mapping network over a pretrained language model (frozen or fine-tuned), and the project's
 * trainer with validation CIDEr-D after every epoch. Captions are encoded by the language model's own tokenizer.
 */
public final class ClipCapTraining {
    private ClipCapTraining() {}

    /**
     * @param architecture its {@code backbone}, {@code imageSize} and {@code embeddingSize} are filled in from the
     *                     backbone, and {@code regions}, when not 0, becomes the backbone's region count
     */
    public static List<EpochRecord> run(CaptionDataset dataset, Splits splits, ClipCapConfig architecture,
            Path lmDirectory, TrainingOptions options, String selectionMetric, CaptionerTraining.Backbone backbone,
            Path runDirectory, boolean resume, Problems problems, PrintStream out) throws IOException {
        CaptionDataset trainItems = splits.apply(dataset, Splits.Split.TRAIN);
        CaptionDataset valItems = splits.apply(dataset, Splits.Split.VAL);
        if (valItems.isEmpty()) {
            throw new InputException("the validation split is empty: training needs it to choose the best epoch");
        }
        out.printf("data: %d training images (%d captions), %d validation images; ClipCap %s mapping over the %s,"
                + " prefix %d, language model %s (%s)%n", trainItems.size(), trainItems.captionCount(), valItems.size(),
                architecture.mapping(), architecture.readsRegions() ? "region vectors" : "pooled embedding",
                architecture.prefixLength(), lmDirectory, architecture.fineTuneLm() ? "fine-tuned" : "frozen");
        List<String> ids = new ArrayList<>(trainItems.ids());
        ids.addAll(valItems.ids());
        FrozenBackbone frozen = backbone.open();
        FeatureCache cache;
        try {
            cache = BackboneFeatures.extract(dataset, ids, frozen, backbone.featureCacheRoot(), problems, out);
        } catch (IOException | RuntimeException e) {
            frozen.close(); // the ClipCap that would own it is not made yet
            throw e;
        }
        try (cache; ClipCap clipCap = create(architecture, lmDirectory, frozen, cache, options.seed())) {
            boolean pooled = !clipCap.config().readsRegions();
            CaptionSplit train = CaptionSplits.fromFeatures(trainItems, cache, pooled, clipCap::encode);
            CaptionSplit val = CaptionSplits.fromFeatures(valItems, cache, pooled, CaptionSplits.UNENCODED);
            DecodingOptions validationDecoding = DecodingOptions.greedy(architecture.maxLength());
            CaptionTrainer trainer = new CaptionTrainer(clipCap, options,
                    c -> CaptionEvaluation.evaluate(c, val, validationDecoding).scores().corpus(), selectionMetric,
                    out);
            return trainer.train(train, runDirectory, resume);
        }
    }

    /**
     * A fresh ClipCap of the architecture with what the backbone decides (identity, input size, vector size, region
     * count). It owns {@code frozen} from here on; if it cannot be made, the backbone is closed.
     */
    private static ClipCap create(ClipCapConfig architecture, Path lmDirectory, FrozenBackbone frozen,
            FeatureCache cache, long seed) {
        try {
            ClipCapConfig config = new ClipCapConfig(architecture.mapping(), architecture.prefixLength(),
                    frozen.encoder().featureSize(), architecture.projectedLength(), architecture.mappingLayers(),
                    architecture.mappingHeads(), architecture.fineTuneLm(), frozen.encoder().identity(),
                    frozen.encoder().inputSize(), architecture.maxLength(),
                    architecture.readsRegions() ? cache.regionCount() : 0);
            return ClipCap.create(config, lmDirectory, frozen, seed);
        } catch (RuntimeException e) {
            frozen.close();
            throw e;
        }
    }
}

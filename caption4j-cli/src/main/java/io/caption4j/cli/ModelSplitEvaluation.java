package io.caption4j.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.caption4j.eval.CaptionScorer;
import io.caption4j.train.BackboneFeatures;
import io.caption4j.vision.FeatureCache;
import io.caption4j.vision.FrozenBackbone;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.Splits;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.eval.Baselines;
import io.caption4j.eval.CaptionEvaluation;
import io.caption4j.eval.CaptionScores;
import io.caption4j.eval.RetrievalEvaluation;
import io.caption4j.model.ImageCaptioner;
import io.caption4j.model.CaptionModels;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.model.joint.JointEmbedders;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;

/** {@code evaluate --model}: caption one split of a dataset with a trained model and score it. */
final class ModelSplitEvaluation {
    private ModelSplitEvaluation() {}

    record Result(CaptionScores scores, int problems) {}

    record Retrieval(RetrievalEvaluation.Result result, int problems) {}

    /** Scores a baseline that writes no caption of its own on one split. */
    static CaptionScores baseline(EvaluateCommand.BaselineSplit baseline, DataMixin data) throws IOException {
        Problems problems = new Problems(System.err);
        DataMixin.Data input = data.read(Path.of("runs"), problems, System.err);
        CaptionDataset train = input.splits().apply(input.dataset(), Splits.Split.TRAIN);
        CaptionDataset items = input.splits().apply(input.dataset(), Splits.Split.parse(baseline.split));
        switch (baseline.baseline) {
            case "most-frequent" -> {
                String caption = Baselines.mostFrequentCaption(train);
                System.err.println("most frequent training caption: " + caption);
                return CaptionEvaluation.constantCaption(items, caption);
            }
            case "nearest-neighbour" -> {
                if (baseline.backbone == null) {
                    throw new InputException("--baseline nearest-neighbour needs --backbone path/to/model.json");
                }
                return nearestNeighbour(input.dataset(), train, items, baseline, problems);
            }
            default -> throw new InputException("--baseline must be most-frequent or nearest-neighbour, got "
                    + baseline.baseline);
        }
    }

    private static CaptionScores nearestNeighbour(CaptionDataset dataset, CaptionDataset train, CaptionDataset items,
            EvaluateCommand.BaselineSplit baseline, Problems problems) throws IOException {
        Baselines.Consensus consensus = baseline.consensus(); // a wrong name fails before any feature is extracted
        List<String> ids = new ArrayList<>(train.ids());
        ids.addAll(items.ids());
        try (FrozenBackbone backbone = FrozenBackbone.mobileNetV2(baseline.backbone);
                FeatureCache cache = BackboneFeatures.extract(dataset, ids, backbone, baseline.featureCache, problems,
                        System.err);
                NDManager manager = NDManager.newBaseManager()) {
            CaptionDataset usableTrain = train.subset(train.ids().stream().filter(i -> !cache.missing().contains(i))
                    .toList());
            CaptionDataset usableItems = items.subset(items.ids().stream().filter(i -> !cache.missing().contains(i))
                    .toList());
            Map<String, String> chosen = Baselines.nearestNeighbourConsensus(usableTrain,
                    pooled(cache, manager, usableTrain.ids()), usableItems.ids(),
                    pooled(cache, manager, usableItems.ids()), baseline.neighbours, consensus);
            Map<String, List<String>> references = new LinkedHashMap<>();
            usableItems.forEach(item -> references.put(item.id(), item.captions()));
            return CaptionScorer.score(references, chosen);
        }
    }

    private static float[][] pooled(FeatureCache cache, NDManager manager, List<String> ids) {
        int[] rows = ids.stream().mapToInt(cache::indexOf).toArray();
        float[] flat = cache.pooled(manager, rows).toType(DataType.FLOAT32, false).toFloatArray();
        float[][] out = new float[ids.size()][cache.channels()];
        for (int i = 0; i < out.length; i++) {
            System.arraycopy(flat, i * cache.channels(), out[i], 0, cache.channels());
        }
        return out;
    }

    /** Whether {@code model} is a joint image-text model (scored by retrieval) rather than a captioner. */
    static boolean isJoint(Path model) {
        return JointEmbedders.isJoint(ModelDirectory.open(model).format());
    }

    /** Cross-modal retrieval of a joint model on one split: every image against every caption of the split. */
    static Retrieval retrieval(Path model, String split, DataMixin data, PrintWriter err)
            throws IOException {
        Problems problems = new Problems(System.err);
        CaptionDataset items = items(model, split, data, problems);
        try (JointEmbedder embedder = JointEmbedders.load(model)) {
            err.printf("retrieval on %d %s images and their %d captions%n", items.size(), split, items.captionCount());
            err.flush();
            return new Retrieval(RetrievalEvaluation.evaluate(embedder, items, problems, null), problems.count());
        }
    }

    private static CaptionDataset items(Path model, String split, DataMixin data, Problems problems)
            throws IOException {
        Splits.Split which = Splits.Split.parse(split);
        DataMixin.Data input = data.read(model, problems, System.err);
        CaptionDataset items = input.splits().apply(input.dataset(), which);
        if (items.isEmpty()) {
            throw new InputException("the " + split + " split has no images");
        }
        return items;
    }

    static Result run(List<Path> models, String split, DataMixin data, DecodingOptions options, PrintWriter err)
            throws IOException {
        Problems problems = new Problems(System.err);
        CaptionDataset items = items(models.get(0), split, data, problems);
        try (ImageCaptioner captioner = CaptionModels.load(models)) {
            err.printf("captioning %d %s images (%s)%n", items.size(), split, options.describe());
            err.flush();
            CaptionEvaluation evaluation = CaptionEvaluation.evaluate(captioner, items, options, problems, null);
            return new Result(evaluation.scores(), problems.count());
        }
    }
}

package io.caption4j.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.Splits;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.eval.Baselines;
import io.caption4j.eval.CaptionEvaluation;
import io.caption4j.eval.CaptionMemory;
import io.caption4j.eval.CaptionScorer;
import io.caption4j.eval.CaptionScores;
import io.caption4j.eval.RetrievalEvaluation;
import io.caption4j.model.CaptionModels;
import io.caption4j.model.ImageCaptioner;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.model.joint.JointEmbedders;
import io.caption4j.train.BackboneFeatures;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.FeatureCache;
import io.caption4j.vision.FrozenBackbone;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code evaluate --model}: caption one split of a dataset with a trained model and score it. */
final class ModelSplitEvaluation {
    private ModelSplitEvaluation() {}

    record Result(CaptionScores scores, int problems) {}

    record Retrieval(RetrievalEvaluation.Result result, int problems) {}

    /**
     * Consensus reranking of each image's n-best captions against the captions of its nearest training images.
     *
     * @param neighbours  how many nearest training images pool their captions
     * @param modelWeight the weight of the decoder's own ranking score beside the agreement
     */
    record Reranking(int neighbours, double modelWeight) {}

    /** Scores a baseline that writes no caption of its own on one split. */
    static CaptionScores baseline(EvaluateCommand.BaselineSplit baseline, DataMixin data, Path featureCache)
            throws IOException {
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
                Baselines.Consensus consensus = baseline.consensus(); // a wrong name fails before any extraction
                try (FrozenBackbone backbone = FrozenBackbone.open(baseline.backbone, FrozenBackbone.AS_EXPORTED)) {
                    Neighbourhood neighbourhood = Neighbourhood.of(input.dataset(), train, items, backbone,
                            featureCache, problems);
                    Map<String, String> chosen = Baselines.nearestNeighbourConsensus(neighbourhood.memory(),
                            neighbourhood.vectors(), baseline.neighbours, consensus);
                    Map<String, List<String>> references = new LinkedHashMap<>();
                    chosen.keySet().forEach(id -> references.put(id, items.get(id).captions()));
                    return CaptionScorer.score(references, chosen);
                }
            }
            default -> throw new InputException("--baseline must be most-frequent or nearest-neighbour, got "
                    + baseline.baseline);
        }
    }

    /**
     * The training captions with their images' pooled backbone features, and the pooled features of the images to
     * caption, read from the feature cache (extracted first if missing). Images whose features could not be made
     * are left out of both; they were reported as they were met.
     */
    private record Neighbourhood(CaptionMemory memory, Map<String, float[]> vectors) {
        static Neighbourhood of(CaptionDataset dataset, CaptionDataset train, CaptionDataset items,
                FrozenBackbone backbone, Path featureCache, Problems problems) throws IOException {
            List<String> ids = new ArrayList<>(train.ids());
            ids.addAll(items.ids());
            try (FeatureCache cache = BackboneFeatures.extract(dataset, ids, backbone, featureCache, problems,
                    System.err);
                    NDManager manager = NDManager.newBaseManager()) {
                List<String> usableTrain = train.ids().stream().filter(i -> !cache.missing().contains(i)).toList();
                List<String> usableItems = items.ids().stream().filter(i -> !cache.missing().contains(i)).toList();
                float[][] itemVectors = pooled(cache, manager, usableItems);
                Map<String, float[]> vectors = new LinkedHashMap<>();
                for (int i = 0; i < itemVectors.length; i++) {
                    vectors.put(usableItems.get(i), itemVectors[i]);
                }
                return new Neighbourhood(new CaptionMemory(train.subset(usableTrain),
                        pooled(cache, manager, usableTrain)), vectors);
            }
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
        CaptionDataset items = items(data.read(model, problems, System.err), split);
        try (JointEmbedder embedder = JointEmbedders.load(model)) {
            err.printf("retrieval on %d %s images and their %d captions%n", items.size(), split, items.captionCount());
            err.flush();
            return new Retrieval(RetrievalEvaluation.evaluate(embedder, items, problems, null), problems.count());
        }
    }

    private static CaptionDataset items(DataMixin.Data input, String split) {
        CaptionDataset items = input.splits().apply(input.dataset(), Splits.Split.parse(split));
        if (items.isEmpty()) {
            throw new InputException("the " + split + " split has no images");
        }
        return items;
    }

    static Result run(List<Path> models, String split, DataMixin data, DecodingOptions options, Reranking reranking,
            Path featureCache, PrintWriter err) throws IOException {
        if (reranking != null && options.nBest() < 2) {
            throw new InputException("--rerank-neighbours chooses among each image's --n-best captions: give --n-best"
                    + " 2 or more (with --beam at least as large, or --sample)");
        }
        Problems problems = new Problems(System.err);
        DataMixin.Data input = data.read(models.get(0), problems, System.err);
        CaptionDataset items = items(input, split);
        try (ImageCaptioner captioner = CaptionModels.load(models)) {
            CaptionEvaluation.Choice choice = CaptionEvaluation.Choice.FIRST;
            String described = options.describe();
            if (reranking != null) {
                if (captioner.backbone() == null) {
                    throw new InputException("--rerank-neighbours needs a model that reads a frozen backbone's"
                            + " features (this one trains its own encoder)");
                }
                Neighbourhood neighbourhood = Neighbourhood.of(input.dataset(),
                        input.splits().apply(input.dataset(), Splits.Split.TRAIN), items, captioner.backbone(),
                        featureCache, problems);
                choice = (id, nBest) -> {
                    float[] vector = neighbourhood.vectors().get(id);
                    return vector == null ? nBest.get(0) // no features: the image was reported, the decoder decides
                            : neighbourhood.memory().pool(vector, reranking.neighbours()).rerank(nBest,
                                    reranking.modelWeight());
                };
                described += String.format(Locale.ROOT, ", reranked by agreement with the captions of the %d nearest"
                        + " training images + %s × the decoder's score", reranking.neighbours(), reranking.modelWeight());
            }
            err.printf("captioning %d %s images (%s)%n", items.size(), split, described);
            err.flush();
            CaptionEvaluation evaluation = CaptionEvaluation.evaluate(captioner, items, options, choice, problems,
                    null);
            return new Result(evaluation.scores(), problems.count());
        }
    }
}

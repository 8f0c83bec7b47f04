package io.caption4j.cli;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.Splits;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.eval.Baselines;
import io.caption4j.eval.CaptionEvaluation;
import io.caption4j.eval.CaptionScores;
import io.caption4j.eval.RetrievalEvaluation;
import io.caption4j.model.CaptionModel;
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

    /** Scores the most frequent training caption, given for every image of {@code split}. */
    static CaptionScores baseline(String name, String split, DataMixin data) throws IOException {
        if (!name.equals("most-frequent")) {
            throw new InputException("--baseline must be most-frequent, got " + name);
        }
        Problems problems = new Problems(System.err);
        DataMixin.Data input = data.read(Path.of("runs"), problems, System.err);
        String caption = Baselines.mostFrequentCaption(input.splits().apply(input.dataset(), Splits.Split.TRAIN));
        System.err.println("most frequent training caption: " + caption);
        CaptionDataset items = input.splits().apply(input.dataset(), Splits.Split.parse(split));
        return CaptionEvaluation.constantCaption(items, caption);
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

    static Result run(Path model, String split, DataMixin data, DecodingOptions options, PrintWriter err)
            throws IOException {
        Problems problems = new Problems(System.err);
        CaptionDataset items = items(model, split, data, problems);
        try (CaptionModel captioner = CaptionModels.load(model)) {
            err.printf("captioning %d %s images (%s)%n", items.size(), split, options.describe());
            err.flush();
            CaptionEvaluation evaluation = CaptionEvaluation.evaluate(captioner, items, options, problems, null);
            return new Result(evaluation.scores(), problems.count());
        }
    }
}

package io.caption4j.eval;

import io.caption4j.data.CaptionDataset;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.model.ImageCaptioner;
import io.caption4j.train.CaptionSplit;
import io.caption4j.train.CaptionSplits;
import io.caption4j.util.Problems;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captions a split with a model and scores the captions against the split's references with the COCO metrics:
 * the one path behind validation during training, {@code evaluate --model} and the quickstart.
 *
 * @param captions the best caption per image id
 * @param scores   corpus-level and per-image scores (Bleu_1..4, ROUGE_L, CIDEr)
 */
public record CaptionEvaluation(Map<String, GeneratedCaption> captions, CaptionScores scores) {
    private static final int BATCH = 32;

    /** Which of an image's n-best captions is scored. */
    @FunctionalInterface
    public interface Choice {
        /** The decoder's own best: the first of the n-best. */
        Choice FIRST = (id, nBest) -> nBest.get(0);

        GeneratedCaption choose(String imageId, List<GeneratedCaption> nBest);
    }

    public static CaptionEvaluation evaluate(ImageCaptioner captioner, CaptionSplit split, DecodingOptions options) {
        return evaluate(captioner, split, options, Choice.FIRST);
    }

    public static CaptionEvaluation evaluate(ImageCaptioner captioner, CaptionSplit split, DecodingOptions options,
            Choice choice) {
        List<List<GeneratedCaption>> generated = captioner.caption(split.images(), options, BATCH);
        Map<String, GeneratedCaption> captions = new LinkedHashMap<>();
        Map<String, String> candidates = new LinkedHashMap<>();
        Map<String, List<String>> references = new LinkedHashMap<>();
        for (int i = 0; i < split.size(); i++) {
            GeneratedCaption chosen = choice.choose(split.ids().get(i), generated.get(i));
            captions.put(split.ids().get(i), chosen);
            candidates.put(split.ids().get(i), chosen.text());
            references.put(split.ids().get(i), split.references().get(i));
        }
        return new CaptionEvaluation(captions, CaptionScorer.score(references, candidates));
    }

    /** Decodes the images of {@code items} as the model expects them, then evaluates; bad images are reported. */
    public static CaptionEvaluation evaluate(ImageCaptioner captioner, CaptionDataset items, DecodingOptions options,
            Problems problems, PrintStream progress) {
        return evaluate(captioner, items, options, Choice.FIRST, problems, progress);
    }

    /** As above, scoring the caption {@code choice} picks from each image's n-best. */
    public static CaptionEvaluation evaluate(ImageCaptioner captioner, CaptionDataset items, DecodingOptions options,
            Choice choice, Problems problems, PrintStream progress) {
        CaptionSplit split = CaptionSplits.fromImages(items, captioner, CaptionSplits.UNENCODED, problems, progress);
        return evaluate(captioner, split, options, choice);
    }

    /** Scores one fixed caption for every image: the floor any model that looks at the image must clear. */
    public static CaptionScores constantCaption(CaptionDataset items, String caption) {
        Map<String, String> candidates = new LinkedHashMap<>();
        Map<String, List<String>> references = new LinkedHashMap<>();
        items.forEach(item -> {
            candidates.put(item.id(), caption);
            references.put(item.id(), item.captions());
        });
        return CaptionScorer.score(references, candidates);
    }
}

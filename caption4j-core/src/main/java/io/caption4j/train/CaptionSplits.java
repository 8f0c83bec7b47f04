package io.caption4j.train;

import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.PixelInputs;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.text.PtbTokenizer;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.FeatureCache;
import io.caption4j.vision.FeatureInputs;
import io.caption4j.model.Captioner;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Turns dataset splits into {@link CaptionSplit}s: images into model inputs, captions into token ids. */
public final class CaptionSplits {
    private static final PtbTokenizer TOKENIZER = PtbTokenizer.instance();

    private CaptionSplits() {}

    /** Every caption of the dataset tokenised as COCO evaluation tokenises it (for building a vocabulary). */
    public static List<List<String>> tokenizedCaptions(CaptionDataset dataset) {
        List<List<String>> out = new ArrayList<>();
        for (CaptionedImage item : dataset) {
            for (String caption : item.captions()) {
                out.add(TOKENIZER.tokenize(caption));
            }
        }
        return out;
    }

    /**
     * A split whose images are decoded once (as {@code captioner} expects them) and held in memory; images that fail to
     * load are reported and left out.
     */
    public static CaptionSplit fromImages(CaptionDataset dataset, Captioner captioner, Problems problems,
            PrintStream progress) {
        PixelInputs.Loaded loaded = PixelInputs.load(dataset.items().stream().map(CaptionedImage::image).toList(),
                new ImageLoader(), captioner.config().preprocessor(), problems, progress);
        List<CaptionedImage> kept = loaded.kept().stream().map(dataset.items()::get).toList();
        return of(kept, captioner.inputsOf(loaded.inputs()), captioner.vocabulary(), captioner.config().maxLength());
    }

    /** A split whose region features come from {@code cache}; images without features are left out. */
    public static CaptionSplit fromFeatures(CaptionDataset dataset, FeatureCache cache, Vocabulary vocabulary,
            int maxWords) {
        List<CaptionedImage> kept = dataset.items().stream().filter(i -> !cache.missing().contains(i.id())).toList();
        return of(kept, FeatureInputs.of(cache, kept.stream().map(CaptionedImage::id).toList()), vocabulary, maxWords);
    }

    /** A split over {@code items}, whose model inputs {@code images} are in the same order. */
    public static CaptionSplit of(List<CaptionedImage> items, ImageInputs images, Vocabulary vocabulary,
            int maxWords) {
        List<String> ids = new ArrayList<>();
        List<List<String>> references = new ArrayList<>();
        List<int[][]> encoded = new ArrayList<>();
        for (CaptionedImage item : items) {
            ids.add(item.id());
            references.add(item.captions());
            encoded.add(item.captions().stream()
                    .map(c -> vocabulary.encode(TOKENIZER.tokenize(c), maxWords)).toArray(int[][]::new));
        }
        return new CaptionSplit(ids, images, references, encoded);
    }
}

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
import io.caption4j.model.ImageCaptioner;
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

    /** How a caption becomes the token ids a model is trained on, start and end tokens included. */
    @FunctionalInterface
    public interface Encoding {
        int[] encode(String caption);
    }

    /** For splits that are only captioned and scored, never trained on. */
    public static final Encoding UNENCODED = caption -> new int[0];

    /** The GRU captioner's encoding: PTB words through {@code vocabulary}, cut to {@code maxWords}. */
    public static Encoding words(Vocabulary vocabulary, int maxWords) {
        return caption -> vocabulary.encode(TOKENIZER.tokenize(caption), maxWords);
    }

    /**
     * A split whose images are decoded once (as {@code model} expects them) and held in memory; images that fail to
     * load are reported and left out.
     */
    public static CaptionSplit fromImages(CaptionDataset dataset, ImageCaptioner model, Encoding encoding,
            Problems problems, PrintStream progress) {
        PixelInputs.Loaded loaded = PixelInputs.load(dataset.items().stream().map(CaptionedImage::image).toList(),
                new ImageLoader(), model.preprocessor(), problems, progress);
        List<CaptionedImage> kept = loaded.kept().stream().map(dataset.items()::get).toList();
        return of(kept, model.inputsOf(loaded.inputs()), encoding);
    }

    /**
     * A split whose features come from {@code cache} (regions, or with {@code pooled} one vector per image); images
     * without features are left out.
     */
    public static CaptionSplit fromFeatures(CaptionDataset dataset, FeatureCache cache, boolean pooled,
            Encoding encoding) {
        List<CaptionedImage> kept = dataset.items().stream().filter(i -> !cache.missing().contains(i.id())).toList();
        List<String> ids = kept.stream().map(CaptionedImage::id).toList();
        return of(kept, pooled ? FeatureInputs.pooled(cache, ids) : FeatureInputs.of(cache, ids), encoding);
    }

    /** A split over {@code items}, whose model inputs {@code images} are in the same order. */
    public static CaptionSplit of(List<CaptionedImage> items, ImageInputs images, Encoding encoding) {
        List<String> ids = new ArrayList<>();
        List<List<String>> references = new ArrayList<>();
        List<int[][]> encoded = new ArrayList<>();
        for (CaptionedImage item : items) {
            ids.add(item.id());
            references.add(item.captions());
            encoded.add(item.captions().stream()
                    .map(encoding::encode).toArray(int[][]::new));
        }
        return new CaptionSplit(ids, images, references, encoded);
    }
}

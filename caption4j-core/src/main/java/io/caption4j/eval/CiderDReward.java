package io.caption4j.eval;

import io.caption4j.text.PtbTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * CIDEr-D of captions against the references of a training set: the reward of self-critical training (Rennie et al.
 * 2017) and the agreement measure of the nearest-neighbour baseline's consensus. Document frequencies come from the
 * references of the whole set, once, as in the reference implementations of self-critical training; the score of one
 * caption is then the same CIDEr-D formula that {@link CaptionScorer} uses. {@link #score} and {@link #agreement}
 * number new n-grams of candidates as they come: {@code agreement} holds a lock for that, {@code score} is not
 * thread-safe. {@link #agreements} only reads (so do not run it beside the other two).
 */
public final class CiderDReward {
    private final CaptionScorer.Encoded encoded = new CaptionScorer.Encoded();
    private final NGrams.Counts[][] references;
    private final CiderD cider;

    /** @param referencesPerImage each image's reference captions, raw text (tokenised here as for evaluation) */
    public CiderDReward(List<List<String>> referencesPerImage) {
        List<String> texts = new ArrayList<>();
        referencesPerImage.forEach(texts::addAll);
        CaptionScorer.Caption[] all = encoded.captions(PtbTokenizer.instance().tokenizeAll(texts));
        CaptionScorer.Caption[][] byImage = new CaptionScorer.Caption[referencesPerImage.size()][];
        references = new NGrams.Counts[referencesPerImage.size()][];
        int next = 0;
        for (int i = 0; i < byImage.length; i++) {
            int count = referencesPerImage.get(i).size();
            byImage[i] = Arrays.copyOfRange(all, next, next + count);
            references[i] = Arrays.stream(byImage[i]).map(CaptionScorer.Caption::counts).toArray(NGrams.Counts[]::new);
            next += count;
        }
        cider = new CiderD(encoded.grams, CaptionScorer.documentFrequency(byImage, encoded.grams), byImage.length);
    }

    /** CIDEr-D of a caption (already tokenised words, as a captioner generates them) for image {@code image}. */
    public double score(int image, List<String> words) {
        int[] ids = encoded.grams.wordIds(words);
        return cider.score(NGrams.counts(ids.length, encoded.grams.gramIds(ids)), references[image]);
    }

    /**
     * The CIDEr-D of a caption (already tokenised words) against the reference captions of a pool, given as (image,
     * caption) pairs: how well a new caption agrees with the captions of similar images.
     */
    public synchronized double agreement(List<String> words, List<int[]> pool) {
        int[] ids = encoded.grams.wordIds(words);
        return cider.score(NGrams.counts(ids.length, encoded.grams.gramIds(ids)), counts(pool));
    }

    /**
     * The CIDEr-D of each reference caption of a pool, given as (image, caption) pairs, against all the others of the
     * pool under the set's document frequencies: how well each caption agrees with the rest.
     */
    public double[] agreements(List<int[]> pool) {
        return cider.scoresAgainstOthers(counts(pool));
    }

    private NGrams.Counts[] counts(List<int[]> pool) {
        return pool.stream().map(p -> references[p[0]][p[1]]).toArray(NGrams.Counts[]::new);
    }
}

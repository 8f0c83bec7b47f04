package io.caption4j.eval;

import io.caption4j.text.PtbTokenizer;
import io.caption4j.util.InputException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * COCO caption metrics identical to pycocoevalcap: BLEU-1..4, ROUGE-L and CIDEr-D, on captions tokenised as there
 * ({@link PtbTokenizer}). Thread-safe; scoring runs on all cores.
 *
 * <p>pycocoevalcap's conventions kept: every image that has a candidate is scored, document frequencies for CIDEr-D
 * come from the references of exactly those images, corpus BLEU sums the counts of all images while corpus ROUGE-L
 * and CIDEr-D are means of the per-image scores. An empty candidate scores 0 (BLEU ≈ 0 from its smoothing constants).
 */
public final class CaptionScorer {
    /** Positions in a per-image score row, which follows {@link CaptionScores#METRICS}. */
    private static final int ROUGE_L = 4;
    private static final int CIDER = 5;

    private CaptionScorer() {}

    /**
     * @param references image id → its reference captions (raw text); must cover every candidate image
     * @param candidates image id → the candidate caption (raw text); its iteration order is the order of the images
     *     in the result and in the tokeniser's input, as pycocoevalcap feeds them
     * @throws InputException if there are no candidates or a candidate image has no reference captions
     */
    public static CaptionScores score(Map<String, List<String>> references, Map<String, String> candidates) {
        if (candidates.isEmpty()) {
            throw new InputException("no candidate captions to score");
        }
        List<String> images = new ArrayList<>(candidates.keySet());
        List<String> referenceTexts = new ArrayList<>();
        int[] firstReference = new int[images.size() + 1];
        for (int i = 0; i < images.size(); i++) {
            List<String> refs = references.get(images.get(i));
            if (refs == null || refs.isEmpty()) {
                throw new InputException("image " + images.get(i) + " has a candidate but no reference captions");
            }
            firstReference[i] = referenceTexts.size();
            referenceTexts.addAll(refs);
        }
        firstReference[images.size()] = referenceTexts.size();

        PtbTokenizer tokenizer = PtbTokenizer.instance();
        List<List<String>> candidateTokens = tokenizer.tokenizeAll(new ArrayList<>(candidates.values()));
        List<List<String>> referenceTokens = tokenizer.tokenizeAll(referenceTexts);

        Encoded encoded = new Encoded();
        Caption[] hyps = encoded.captions(candidateTokens);
        Caption[] refs = encoded.captions(referenceTokens);
        Caption[][] refsOfImage = new Caption[images.size()][];
        for (int i = 0; i < images.size(); i++) {
            refsOfImage[i] = Arrays.copyOfRange(refs, firstReference[i], firstReference[i + 1]);
        }
        return score(images, hyps, refsOfImage, encoded.grams);
    }

    private static CaptionScores score(List<String> images, Caption[] hyps, Caption[][] refs, NGrams grams) {
        int n = images.size();
        CiderD cider = new CiderD(grams, documentFrequency(refs, grams), n);
        Bleu.Counts[] bleuCounts = new Bleu.Counts[n];
        double[][] perImage = new double[n][];
        IntStream.range(0, n).parallel().forEach(i -> {
            NGrams.Counts[] refCounts = new NGrams.Counts[refs[i].length];
            int[][] refWords = new int[refs[i].length][];
            for (int r = 0; r < refCounts.length; r++) {
                refCounts[r] = refs[i][r].counts;
                refWords[r] = refs[i][r].rougeWords;
            }
            bleuCounts[i] = Bleu.counts(hyps[i].counts, refCounts, grams);
            double[] bleu = Bleu.scores(bleuCounts[i]);
            perImage[i] = new double[] {bleu[0], bleu[1], bleu[2], bleu[3],
                RougeL.score(hyps[i].rougeWords, refWords), cider.score(hyps[i].counts, refCounts)};
        });

        Bleu.Counts total = Bleu.Counts.zero();
        double rougeSum = 0;
        double ciderSum = 0;
        Map<String, Map<String, Double>> byImage = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            total = total.plus(bleuCounts[i]);
            rougeSum += perImage[i][ROUGE_L];
            ciderSum += perImage[i][CIDER];
            byImage.put(images.get(i), named(perImage[i]));
        }
        double[] bleu = Bleu.scores(total);
        double[] corpus = {bleu[0], bleu[1], bleu[2], bleu[3], rougeSum / n, ciderSum / n};
        return new CaptionScores(named(corpus), Collections.unmodifiableMap(byImage));
    }

    private static Map<String, Double> named(double[] values) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (int k = 0; k < values.length; k++) {
            m.put(CaptionScores.METRICS.get(k), values[k]);
        }
        return Collections.unmodifiableMap(m);
    }

    /** For each gram, the number of images whose references contain it. */
    static int[] documentFrequency(Caption[][] refs, NGrams grams) {
        int[] df = new int[grams.gramCount()];
        int[] lastImage = new int[grams.gramCount()];
        Arrays.fill(lastImage, -1);
        for (int i = 0; i < refs.length; i++) {
            for (Caption ref : refs[i]) {
                for (int g : ref.counts.grams()) {
                    if (lastImage[g] != i) {
                        lastImage[g] = i;
                        df[g]++;
                    }
                }
            }
        }
        return df;
    }

    /**
     * A tokenised caption as the metrics see it: BLEU and CIDEr-D split the tokenised text on any whitespace
     * (Python's {@code split()}), ROUGE-L on single spaces ({@code split(" ")}), so an empty caption is one empty
     * word for ROUGE-L and a token holding a non-breaking space ("22 3/4") is two words for the others.
     */
    record Caption(NGrams.Counts counts, int[] rougeWords) {}

    /** Numbers the words of all captions of one evaluation. */
    static final class Encoded {
        final NGrams grams = new NGrams();

        /** Numbering is sequential (one shared numbering); counting the grams of each caption runs in parallel. */
        Caption[] captions(List<List<String>> tokenized) {
            int n = tokenized.size();
            int[][] rougeWords = new int[n][];
            int[] lengths = new int[n];
            int[][] gramIds = new int[n][];
            for (int i = 0; i < n; i++) {
                List<String> tokens = tokenized.get(i);
                rougeWords[i] = grams.wordIds(tokens.isEmpty() ? List.of("") : tokens);
                int[] words = hasPythonSpace(tokens) ? grams.wordIds(pythonSplit(tokens))
                        : tokens.isEmpty() ? new int[0] : rougeWords[i];
                lengths[i] = words.length;
                gramIds[i] = grams.gramIds(words);
            }
            Caption[] out = new Caption[n];
            IntStream.range(0, n).parallel()
                    .forEach(i -> out[i] = new Caption(NGrams.counts(lengths[i], gramIds[i]), rougeWords[i]));
            return out;
        }

        private static boolean hasPythonSpace(List<String> tokens) {
            for (String t : tokens) {
                for (int i = 0; i < t.length(); i++) {
                    if (PtbTokenizer.isPythonSpace(t.charAt(i))) {
                        return true;
                    }
                }
            }
            return false;
        }

        private static List<String> pythonSplit(List<String> tokens) {
            List<String> words = new ArrayList<>();
            for (String t : tokens) {
                int start = -1;
                for (int i = 0; i <= t.length(); i++) {
                    boolean space = i == t.length() || PtbTokenizer.isPythonSpace(t.charAt(i));
                    if (!space && start < 0) {
                        start = i;
                    } else if (space && start >= 0) {
                        words.add(t.substring(start, i));
                        start = -1;
                    }
                }
            }
            return words;
        }
    }
}

package io.caption4j.eval;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.text.PtbTokenizer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Captioners that do not learn to write: the most frequent caption (image-blind) and the nearest-neighbour consensus
 * caption (retrieval), to show what a trained decoder is worth.
 */
public final class Baselines {
    private Baselines() {}

    /**
     * The most frequent training caption (after COCO tokenisation; ties go to the alphabetically first): what an
     * image-blind model that outputs its single most likely caption would say for every image.
     */
    public static String mostFrequentCaption(CaptionDataset train) {
        PtbTokenizer tokenizer = PtbTokenizer.instance();
        Map<String, Integer> counts = new HashMap<>();
        for (CaptionedImage item : train) {
            for (String caption : item.captions()) {
                counts.merge(String.join(" ", tokenizer.tokenize(caption)), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElseThrow();
    }

    /** How the consensus caption of a pool is chosen. */
    public enum Consensus {
        /** Highest BLEU-4 against the rest of the pool. */
        BLEU_4,
        /** Highest CIDEr-D against the rest of the pool, with the document frequencies of the training set. */
        CIDER_D
    }

    /**
     * The nearest-neighbour consensus caption (Devlin et al., 2015): for each image, the training images whose
     * embeddings are most similar (cosine), and among all their captions the one that agrees best with the others as
     * its references, by {@code consensus}. CIDEr-D needs document frequencies from outside the pool (within one pool
     * every n-gram would be in every image's references and weigh nothing): those of the whole training set. The
     * caption is borrowed, never written.
     *
     * @param trainEmbeddings one vector per training image, in the order of {@code train}
     * @param embeddings      one vector per image to caption, in the order of {@code ids}
     * @param neighbours      how many nearest training images pool their captions
     * @return the chosen caption of each id
     */
    public static Map<String, String> nearestNeighbourConsensus(CaptionDataset train, float[][] trainEmbeddings,
            List<String> ids, float[][] embeddings, int neighbours, Consensus consensus) {
        if (neighbours < 1) {
            throw new IllegalArgumentException("neighbours must be positive, got " + neighbours);
        }
        CiderDReward cider = consensus == Consensus.CIDER_D
                ? new CiderDReward(train.items().stream().map(CaptionedImage::captions).toList())
                : null;
        float[][] unitTrain = unit(trainEmbeddings);
        // images are independent (the scorers only read shared state): one per core
        String[] captions = new String[ids.size()];
        IntStream.range(0, ids.size()).parallel().forEach(i -> {
            float[] query = unit(new float[][] {embeddings[i]})[0];
            List<int[]> pool = new ArrayList<>(); // (training image, caption)
            for (int n : nearest(unitTrain, query, neighbours)) {
                for (int c = 0; c < train.items().get(n).captions().size(); c++) {
                    pool.add(new int[] {n, c});
                }
            }
            int best = cider == null ? bleuConsensus(captions(train, pool)) : ciderConsensus(cider, pool);
            int[] winner = pool.get(best);
            captions[i] = train.items().get(winner[0]).captions().get(winner[1]);
        });
        Map<String, String> chosen = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            chosen.put(ids.get(i), captions[i]);
        }
        return chosen;
    }

    private static List<String> captions(CaptionDataset train, List<int[]> pool) {
        return pool.stream().map(p -> train.items().get(p[0]).captions().get(p[1])).toList();
    }

    /** The index of the candidate with the highest BLEU-4 against all the other candidates as its references. */
    private static int bleuConsensus(List<String> candidates) {
        Map<String, List<String>> references = new LinkedHashMap<>();
        Map<String, String> proposals = new LinkedHashMap<>();
        for (int c = 0; c < candidates.size(); c++) {
            List<String> others = new ArrayList<>(candidates);
            others.remove(c);
            references.put(Integer.toString(c), others);
            proposals.put(Integer.toString(c), candidates.get(c));
        }
        Map<String, Map<String, Double>> scores = CaptionScorer.score(references, proposals).perImage();
        int best = 0;
        for (int c = 1; c < candidates.size(); c++) {
            if (scores.get(Integer.toString(c)).get(CaptionScores.BLEU_4) > scores.get(Integer.toString(best))
                    .get(CaptionScores.BLEU_4)) {
                best = c;
            }
        }
        return best;
    }

    /** The index of the pool caption with the highest CIDEr-D against all the others (the first, on a tie). */
    private static int ciderConsensus(CiderDReward cider, List<int[]> pool) {
        double[] agreements = cider.agreements(pool);
        int best = 0;
        for (int c = 1; c < agreements.length; c++) {
            if (agreements[c] > agreements[best]) {
                best = c;
            }
        }
        return best;
    }

    private static int[] nearest(float[][] unitTrain, float[] query, int k) {
        double[] similarity = new double[unitTrain.length];
        for (int t = 0; t < unitTrain.length; t++) {
            double dot = 0;
            for (int d = 0; d < query.length; d++) {
                dot += unitTrain[t][d] * query[d];
            }
            similarity[t] = dot;
        }
        return IntStream.range(0, unitTrain.length).boxed()
                .sorted(Comparator.comparingDouble((Integer t) -> -similarity[t]).thenComparingInt(t -> t))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static float[][] unit(float[][] vectors) {
        float[][] out = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            double norm = 0;
            for (float v : vectors[i]) {
                norm += v * v;
            }
            double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
            out[i] = new float[vectors[i].length];
            for (int d = 0; d < out[i].length; d++) {
                out[i][d] = (float) (vectors[i][d] * scale);
            }
        }
        return out;
    }
}

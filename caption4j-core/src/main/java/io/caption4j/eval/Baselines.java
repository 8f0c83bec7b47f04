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
     * @param memory     the training captions, one vector per training image
     * @param images     one vector per image to caption, by id
     * @param neighbours how many nearest training images pool their captions
     * @return the chosen caption of each id, in the order of {@code images}
     */
    public static Map<String, String> nearestNeighbourConsensus(CaptionMemory memory, Map<String, float[]> images,
            int neighbours, Consensus consensus) {
        List<String> ids = List.copyOf(images.keySet());
        // images are independent (the memory only reads): one per core
        String[] captions = new String[ids.size()];
        IntStream.range(0, ids.size()).parallel().forEach(i -> {
            CaptionMemory.Pool pool = memory.pool(images.get(ids.get(i)), neighbours);
            captions[i] = consensus == Consensus.CIDER_D ? pool.consensusCaption() : bleuConsensus(pool.texts());
        });
        Map<String, String> chosen = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
            chosen.put(ids.get(i), captions[i]);
        }
        return chosen;
    }

    /** The candidate with the highest BLEU-4 against all the other candidates as its references (the first, on a tie). */
    private static String bleuConsensus(List<String> candidates) {
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
        return candidates.get(best);
    }
}

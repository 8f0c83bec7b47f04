package io.caption4j.eval;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.decode.GeneratedCaption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The captions of a training set, each image with one vector (a backbone's pooled features): the images nearest to
 * a new one by cosine similarity, and how well a caption agrees with their captions, by CIDEr-D under the training
 * set's document frequencies. Behind the nearest-neighbour consensus baseline and consensus reranking (both Devlin
 * et al. 2015, "Exploring Nearest Neighbor Approaches for Image Captioning"). Thread-safe: it only reads.
 */
public final class CaptionMemory {
    private final CaptionDataset train;
    private final float[][] unitVectors;
    private final CiderDReward cider;

    /** @param vectors one vector per training image, in the order of {@code train} */
    public CaptionMemory(CaptionDataset train, float[][] vectors) {
        if (vectors.length != train.size()) {
            throw new IllegalArgumentException(vectors.length + " vectors for " + train.size() + " images");
        }
        this.train = train;
        this.unitVectors = new float[vectors.length][];
        for (int i = 0; i < vectors.length; i++) {
            unitVectors[i] = unit(vectors[i]);
        }
        this.cider = new CiderDReward(train.items().stream().map(CaptionedImage::captions).toList());
    }

    /** The captions of the {@code neighbours} training images nearest to {@code vector}. */
    public Pool pool(float[] vector, int neighbours) {
        if (neighbours < 1) {
            throw new IllegalArgumentException("neighbours must be positive, got " + neighbours);
        }
        List<int[]> captions = new ArrayList<>(); // (training image, caption)
        for (int n : nearest(unit(vector), neighbours)) {
            for (int c = 0; c < train.items().get(n).captions().size(); c++) {
                captions.add(new int[] {n, c});
            }
        }
        return new Pool(captions);
    }

    /** The captions of the nearest training images: (image, caption) index pairs into the training set. */
    public final class Pool {
        private final List<int[]> captions;

        private Pool(List<int[]> captions) {
            this.captions = captions;
        }

        public List<String> texts() {
            return captions.stream().map(p -> train.items().get(p[0]).captions().get(p[1])).toList();
        }

        /** The pool's caption with the highest CIDEr-D against all the others (the first, on a tie). */
        public String consensusCaption() {
            double[] agreements = cider.agreements(captions);
            int best = 0;
            for (int c = 1; c < agreements.length; c++) {
                if (agreements[c] > agreements[best]) {
                    best = c;
                }
            }
            int[] winner = captions.get(best);
            return train.items().get(winner[0]).captions().get(winner[1]);
        }

        /**
         * Consensus reranking: of a captioner's n-best captions, the one whose CIDEr-D against the pool's captions
         * plus {@code modelWeight} times the captioner's own ranking score is highest (the first, on a tie). With
         * weight 0 the pool alone decides among the captioner's candidates.
         */
        public GeneratedCaption rerank(List<GeneratedCaption> candidates, double modelWeight) {
            GeneratedCaption best = null;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (GeneratedCaption candidate : candidates) {
                double score = cider.agreement(candidate.words(), captions) + modelWeight * candidate.score();
                if (best == null || score > bestScore) {
                    best = candidate;
                    bestScore = score;
                }
            }
            return best;
        }
    }

    private int[] nearest(float[] unitQuery, int k) {
        double[] similarity = new double[unitVectors.length];
        for (int t = 0; t < unitVectors.length; t++) {
            double dot = 0;
            for (int d = 0; d < unitQuery.length; d++) {
                dot += unitVectors[t][d] * unitQuery[d];
            }
            similarity[t] = dot;
        }
        return IntStream.range(0, unitVectors.length).boxed()
                .sorted(Comparator.comparingDouble((Integer t) -> -similarity[t]).thenComparingInt(t -> t))
                .limit(k).mapToInt(Integer::intValue).toArray();
    }

    private static float[] unit(float[] vector) {
        double norm = 0;
        for (float v : vector) {
            norm += v * v;
        }
        double scale = norm == 0 ? 0 : 1 / Math.sqrt(norm);
        float[] out = new float[vector.length];
        for (int d = 0; d < out.length; d++) {
            out[d] = (float) (vector[d] * scale);
        }
        return out;
    }
}

package io.caption4j.eval;

import java.util.Arrays;

/**
 * Cross-modal retrieval scores of a joint image–text model from its similarity matrix, in both directions, as the
 * image–text retrieval literature reports them (Recall@K in [0, 1], median rank starting at 1).
 *
 * <p>Image → text: for each image, the rank of its best-ranked own caption among all texts. Text → image: for each
 * text, the rank of its image among all images. Ranks count the candidates scoring strictly higher, plus one, so a
 * tie is resolved in the model's favour (as a stable sort would, for the first of the tied); NaN similarities are
 * rejected.
 *
 * @param imageToText recall at 1, 5, 10 and the median rank when images are the queries
 * @param textToImage the same when texts are the queries
 */
public record RetrievalMetrics(Direction imageToText, Direction textToImage) {

    /** Recall@1/5/10 and median rank of one direction. */
    public record Direction(double recallAt1, double recallAt5, double recallAt10, double medianRank) {
        static Direction of(int[] ranks) {
            int[] sorted = ranks.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
            return new Direction(recall(ranks, 1), recall(ranks, 5), recall(ranks, 10), median);
        }

        private static double recall(int[] ranks, int k) {
            return Arrays.stream(ranks).filter(r -> r <= k).count() / (double) ranks.length;
        }
    }

    /**
     * @param similarity [images][texts], higher means more alike
     * @param imageOfText for each text, the index of the image it describes; every image needs at least one text
     */
    public static RetrievalMetrics of(float[][] similarity, int[] imageOfText) {
        int images = similarity.length;
        int texts = imageOfText.length;
        for (float[] row : similarity) {
            if (row.length != texts) {
                throw new IllegalArgumentException("similarity rows must have one column per text: " + row.length
                        + " != " + texts);
            }
            for (float s : row) {
                if (Float.isNaN(s)) {
                    throw new IllegalArgumentException("similarity matrix contains NaN");
                }
            }
        }
        int[] textsOfImage = new int[images];
        for (int image : imageOfText) {
            if (image < 0 || image >= images) {
                throw new IllegalArgumentException("text belongs to image " + image + " of " + images);
            }
            textsOfImage[image]++;
        }
        for (int i = 0; i < images; i++) {
            if (textsOfImage[i] == 0) {
                throw new IllegalArgumentException("image " + i + " has no text");
            }
        }
        return new RetrievalMetrics(Direction.of(imageToTextRanks(similarity, imageOfText)),
                Direction.of(textToImageRanks(similarity, imageOfText)));
    }

    private static int[] imageToTextRanks(float[][] similarity, int[] imageOfText) {
        int[] ranks = new int[similarity.length];
        for (int i = 0; i < similarity.length; i++) {
            float[] row = similarity[i];
            float best = Float.NEGATIVE_INFINITY;
            for (int t = 0; t < row.length; t++) {
                if (imageOfText[t] == i) {
                    best = Math.max(best, row[t]);
                }
            }
            int higher = 0;
            for (float s : row) {
                if (s > best) {
                    higher++;
                }
            }
            ranks[i] = higher + 1;
        }
        return ranks;
    }

    private static int[] textToImageRanks(float[][] similarity, int[] imageOfText) {
        int[] ranks = new int[imageOfText.length];
        for (int t = 0; t < imageOfText.length; t++) {
            float own = similarity[imageOfText[t]][t];
            int higher = 0;
            for (float[] row : similarity) {
                if (row[t] > own) {
                    higher++;
                }
            }
            ranks[t] = higher + 1;
        }
        return ranks;
    }
}

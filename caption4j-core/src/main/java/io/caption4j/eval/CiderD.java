package io.caption4j.eval;

/**
 * CIDEr-D as coco-caption's cider_scorer computes it: tf-idf vectors of 1..4-grams with document frequencies from the
 * references of the evaluated images and log(number of images) as the idf numerator, candidate weights clipped by the
 * reference's, a Gaussian length penalty (σ = 6, lengths counted in bigrams as there), the mean over n, averaged over
 * the references and multiplied by 10.
 */
final class CiderD {
    private static final double SIGMA = 6.0;

    private final NGrams grams;
    private final double[] idf;
    private final double logImages;

    /** @param documentFrequency for each gram, the number of evaluated images whose references contain it */
    CiderD(NGrams grams, int[] documentFrequency, int images) {
        this.grams = grams;
        logImages = Math.log(images);
        idf = new double[documentFrequency.length];
        for (int g = 0; g < idf.length; g++) {
            idf[g] = logImages - Math.log(Math.max(1.0, documentFrequency[g]));
        }
    }

    /** A gram numbered after the document frequencies were counted is in no reference: its df is 0. */
    private double idf(int gram) {
        return gram < idf.length ? idf[gram] : logImages;
    }

    /** The tf-idf vector of a caption: one weight per distinct gram (same order), a norm per n, bigram count. */
    private record Vector(NGrams.Counts counts, double[] weights, double[] norms, int length) {}

    private Vector vector(NGrams.Counts c) {
        int[] ids = c.grams();
        double[] weights = new double[ids.length];
        double[] norms = new double[NGrams.MAX_ORDER];
        int bigrams = 0;
        for (int i = 0; i < ids.length; i++) {
            int n = grams.order(ids[i]) - 1;
            weights[i] = c.counts()[i] * idf(ids[i]);
            norms[n] += weights[i] * weights[i];
            if (n == 1) {
                bigrams += c.counts()[i];
            }
        }
        for (int n = 0; n < norms.length; n++) {
            norms[n] = Math.sqrt(norms[n]);
        }
        return new Vector(c, weights, norms, bigrams);
    }

    double score(NGrams.Counts candidate, NGrams.Counts[] references) {
        Vector hyp = vector(candidate);
        double[] sum = new double[NGrams.MAX_ORDER];
        double[] unused = new double[NGrams.MAX_ORDER];
        for (NGrams.Counts reference : references) {
            addSimilarities(hyp, vector(reference), sum, unused);
        }
        return average(sum, references.length);
    }

    /**
     * The CIDEr-D of each caption of a pool with all the other captions as its references: for each, what
     * {@link #score} gives (to the last bit: the references are summed in the same order), but each caption's vector
     * is made once and one merge of a pair serves both directions, so a pool of P costs P(P − 1)/2 merges, not
     * P(P − 1) merges and as many vectors.
     */
    double[] scoresAgainstOthers(NGrams.Counts[] pool) {
        Vector[] vectors = new Vector[pool.length];
        for (int c = 0; c < pool.length; c++) {
            vectors[c] = vector(pool[c]);
        }
        double[][] sums = new double[pool.length][NGrams.MAX_ORDER];
        for (int a = 0; a < pool.length; a++) {
            for (int b = a + 1; b < pool.length; b++) {
                addSimilarities(vectors[a], vectors[b], sums[a], sums[b]);
            }
        }
        double[] scores = new double[pool.length];
        for (int c = 0; c < pool.length; c++) {
            scores[c] = average(sums[c], pool.length - 1);
        }
        return scores;
    }

    /** The mean over n of the similarities summed over {@code references} references, averaged over them, × 10. */
    private static double average(double[] sum, int references) {
        double mean = 0;
        for (double s : sum) {
            mean += s;
        }
        mean /= sum.length;
        return mean / references * 10.0;
    }

    /**
     * Adds the per-n similarity of {@code a} as the candidate and {@code b} as the reference to {@code intoA}, and of
     * {@code b} as the candidate and {@code a} as the reference to {@code intoB}. The two differ only where a gram
     * occurs more often in one caption than in the other: the candidate's weight is clipped by the reference's.
     */
    private void addSimilarities(Vector a, Vector b, double[] intoA, double[] intoB) {
        double[] valA = new double[NGrams.MAX_ORDER];
        double[] valB = new double[NGrams.MAX_ORDER];
        int[] ga = a.counts.grams();
        int[] gb = b.counts.grams();
        // both id lists are ascending: a merge finds the shared grams
        for (int i = 0, j = 0; i < ga.length && j < gb.length; ) {
            if (ga[i] < gb[j]) {
                i++;
            } else if (ga[i] > gb[j]) {
                j++;
            } else {
                int n = grams.order(ga[i]) - 1;
                double clipped = Math.min(a.weights[i], b.weights[j]);
                valA[n] += clipped * b.weights[j];
                valB[n] += clipped * a.weights[i];
                i++;
                j++;
            }
        }
        double delta = a.length - b.length;
        double penalty = Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
        for (int n = 0; n < NGrams.MAX_ORDER; n++) {
            if (a.norms[n] != 0 && b.norms[n] != 0) {
                valA[n] /= a.norms[n] * b.norms[n];
                valB[n] /= b.norms[n] * a.norms[n];
            }
            intoA[n] += valA[n] * penalty;
            intoB[n] += valB[n] * penalty;
        }
    }
}

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
        for (NGrams.Counts reference : references) {
            double[] sim = similarity(hyp, vector(reference));
            for (int n = 0; n < sum.length; n++) {
                sum[n] += sim[n];
            }
        }
        double mean = 0;
        for (double s : sum) {
            mean += s;
        }
        mean /= sum.length;
        return mean / references.length * 10.0;
    }

    private double[] similarity(Vector hyp, Vector ref) {
        double[] val = new double[NGrams.MAX_ORDER];
        int[] h = hyp.counts.grams();
        int[] r = ref.counts.grams();
        // both id lists are ascending: a merge finds the shared grams
        for (int i = 0, j = 0; i < h.length && j < r.length; ) {
            if (h[i] < r[j]) {
                i++;
            } else if (h[i] > r[j]) {
                j++;
            } else {
                val[grams.order(h[i]) - 1] += Math.min(hyp.weights[i], ref.weights[j]) * ref.weights[j];
                i++;
                j++;
            }
        }
        double delta = hyp.length - ref.length;
        double penalty = Math.exp(-(delta * delta) / (2 * SIGMA * SIGMA));
        for (int n = 0; n < val.length; n++) {
            if (hyp.norms[n] != 0 && ref.norms[n] != 0) {
                val[n] /= hyp.norms[n] * ref.norms[n];
            }
            val[n] *= penalty;
        }
        return val;
    }
}

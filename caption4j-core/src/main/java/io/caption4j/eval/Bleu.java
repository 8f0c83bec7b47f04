package io.caption4j.eval;

/**
 * BLEU-1..4 exactly as coco-caption's bleu_scorer computes it: clipped n-gram matches, the "closest" reference length
 * (ties to the shorter), and its smoothing constants (1e-15 added to matches, 1e-9 to guesses and lengths). The same
 * formula gives the per-image scores (from one image's counts) and the corpus scores (from the summed counts).
 */
final class Bleu {
    private static final double TINY = 1e-15;
    private static final double SMALL = 1e-9;

    private Bleu() {}

    /** What BLEU needs from one image, or summed over a corpus. */
    record Counts(long testLength, long refLength, long[] guess, long[] correct) {
        static Counts zero() {
            return new Counts(0, 0, new long[NGrams.MAX_ORDER], new long[NGrams.MAX_ORDER]);
        }

        Counts plus(Counts o) {
            long[] g = guess.clone();
            long[] c = correct.clone();
            for (int k = 0; k < g.length; k++) {
                g[k] += o.guess[k];
                c[k] += o.correct[k];
            }
            return new Counts(testLength + o.testLength, refLength + o.refLength, g, c);
        }
    }

    static Counts counts(NGrams.Counts candidate, NGrams.Counts[] references, NGrams grams) {
        long[] guess = new long[NGrams.MAX_ORDER];
        long[] correct = new long[NGrams.MAX_ORDER];
        int length = candidate.length();
        for (int k = 0; k < guess.length; k++) {
            guess[k] = Math.max(0, length - k);
        }
        int[] ids = candidate.grams();
        for (int i = 0; i < ids.length; i++) {
            int maxInReference = 0;
            for (NGrams.Counts reference : references) {
                maxInReference = Math.max(maxInReference, reference.count(ids[i]));
            }
            correct[grams.order(ids[i]) - 1] += Math.min(candidate.counts()[i], maxInReference);
        }
        return new Counts(length, closestReferenceLength(length, references), guess, correct);
    }

    private static int closestReferenceLength(int testLength, NGrams.Counts[] references) {
        int best = -1;
        for (NGrams.Counts reference : references) {
            int l = reference.length();
            int d = Math.abs(l - testLength);
            if (best < 0 || d < Math.abs(best - testLength) || (d == Math.abs(best - testLength) && l < best)) {
                best = l;
            }
        }
        return best;
    }

    /** BLEU-1..4 of these counts. */
    static double[] scores(Counts c) {
        double[] bleu = new double[NGrams.MAX_ORDER];
        double product = 1.0;
        for (int k = 0; k < bleu.length; k++) {
            product *= (c.correct[k] + TINY) / (c.guess[k] + SMALL);
            bleu[k] = Math.pow(product, 1.0 / (k + 1));
        }
        double ratio = (c.testLength + TINY) / (c.refLength + SMALL);
        if (ratio < 1) {
            for (int k = 0; k < bleu.length; k++) {
                bleu[k] *= Math.exp(1 - 1 / ratio);
            }
        }
        return bleu;
    }
}

package io.caption4j.eval;

/**
 * ROUGE-L as coco-caption computes it: the longest common subsequence with each reference, the best precision and
 * the best recall over the references (taken separately), combined as an F-measure with β = 1.2.
 */
final class RougeL {
    private static final double BETA = 1.2;

    private RougeL() {}

    static double score(int[] candidate, int[][] references) {
        double bestPrecision = 0;
        double bestRecall = 0;
        for (int[] reference : references) {
            int lcs = lcsLength(reference, candidate);
            bestPrecision = Math.max(bestPrecision, lcs / (double) candidate.length);
            bestRecall = Math.max(bestRecall, lcs / (double) reference.length);
        }
        if (bestPrecision == 0 || bestRecall == 0) {
            return 0.0;
        }
        double beta2 = BETA * BETA;
        return ((1 + beta2) * bestPrecision * bestRecall) / (bestRecall + beta2 * bestPrecision);
    }

    /** Classic dynamic programme, one row at a time. */
    static int lcsLength(int[] a, int[] b) {
        int[] previous = new int[b.length + 1];
        int[] current = new int[b.length + 1];
        for (int x : a) {
            for (int j = 1; j <= b.length; j++) {
                current[j] = x == b[j - 1] ? previous[j - 1] + 1 : Math.max(previous[j], current[j - 1]);
            }
            int[] t = previous;
            previous = current;
            current = t;
        }
        return previous[b.length];
    }
}

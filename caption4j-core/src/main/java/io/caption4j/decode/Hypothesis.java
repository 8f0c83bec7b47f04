package io.caption4j.decode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One generated caption: the tokens (without start and end token), each token's probability and attention over
 * the image regions, the model's total log-probability and the ranking score (the log-probability as reshaped by
 * the {@link TokenRules}, after length normalisation). Hypotheses share their prefixes through parent links while
 * they are being searched.
 */
public final class Hypothesis {
    private final Hypothesis parent;
    private final int token;
    private final float probability;
    private final float[] attention;
    private final int length;
    private final double logProb;
    private final double rankingLogProb;
    private double score;

    private Hypothesis(Hypothesis parent, int token, float probability, float[] attention, double logProb,
            double rankingLogProb) {
        this.parent = parent;
        this.token = token;
        this.probability = probability;
        this.attention = attention;
        this.length = parent == null ? 0 : parent.length + 1;
        this.logProb = logProb;
        this.rankingLogProb = rankingLogProb;
    }

    static Hypothesis root() {
        return new Hypothesis(null, -1, 1f, null, 0, 0);
    }

    /**
     * @param logProbOfToken        the model's log-probability of the token
     * @param rankingLogProbOfToken the same after the token rules, which search ranks by
     */
    Hypothesis extend(int nextToken, float logProbOfToken, float rankingLogProbOfToken, float[] attentionOfToken) {
        return new Hypothesis(this, nextToken, (float) Math.exp(logProbOfToken), attentionOfToken,
                logProb + logProbOfToken, rankingLogProb + rankingLogProbOfToken);
    }

    /** Marks this hypothesis complete and computes its length-normalised score. */
    Hypothesis finish(double lengthPenalty) {
        score = rankingLogProb / Math.pow(Math.max(1, length), lengthPenalty);
        return this;
    }

    /** The total that search ranks growing beams by: the model's log-probability as reshaped by the token rules. */
    double rankingLogProb() {
        return rankingLogProb;
    }

    int lastToken() {
        return token;
    }

    public double score() {
        return score;
    }

    public double logProbability() {
        return logProb;
    }

    /** The tokens from the first word on; the end token, if generated, is the last one. */
    public int[] tokens() {
        int[] out = new int[length];
        Hypothesis h = this;
        for (int i = length - 1; i >= 0; i--, h = h.parent) {
            out[i] = h.token;
        }
        return out;
    }

    public float[] probabilities() {
        float[] out = new float[length];
        Hypothesis h = this;
        for (int i = length - 1; i >= 0; i--, h = h.parent) {
            out[i] = h.probability;
        }
        return out;
    }

    /** Per token, its attention over the image regions (null entries for models without region attention). */
    public List<float[]> attention() {
        List<float[]> out = new ArrayList<>(length);
        for (Hypothesis h = this; h.parent != null; h = h.parent) {
            out.add(h.attention);
        }
        Collections.reverse(out);
        return out;
    }
}

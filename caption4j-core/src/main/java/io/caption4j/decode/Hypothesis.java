package io.caption4j.decode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One generated caption: the tokens (without start and end token), each token's probability and attention over
 * the image regions, the total log-probability and the ranking score (log-probability after length
 * normalisation). Hypotheses share their prefixes through parent links while they are being searched.
 */
public final class Hypothesis {
    private final Hypothesis parent;
    private final int token;
    private final float probability;
    private final float[] attention;
    private final int length;
    private final double logProb;
    private double score;

    private Hypothesis(Hypothesis parent, int token, float probability, float[] attention, double logProb) {
        this.parent = parent;
        this.token = token;
        this.probability = probability;
        this.attention = attention;
        this.length = parent == null ? 0 : parent.length + 1;
        this.logProb = logProb;
    }

    static Hypothesis root() {
        return new Hypothesis(null, -1, 1f, null, 0);
    }

    Hypothesis extend(int nextToken, float logProbOfToken, float[] attentionOfToken) {
        return new Hypothesis(this, nextToken, (float) Math.exp(logProbOfToken), attentionOfToken,
                logProb + logProbOfToken);
    }

    /** Marks this hypothesis complete and computes its length-normalised score. */
    Hypothesis finish(double lengthPenalty) {
        score = logProb / Math.pow(Math.max(1, length), lengthPenalty);
        return this;
    }

    double logProb() {
        return logProb;
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

    /** Whether appending {@code next} would repeat an n-gram already in this hypothesis. */
    boolean repeatsNgram(int next, int n) {
        if (n <= 0 || length + 1 < n) {
            return false;
        }
        int[] seq = tokens();
        // the new n-gram is seq[length-n+1 .. length-1] + next
        outer:
        for (int start = 0; start + n <= length; start++) {
            for (int j = 0; j < n - 1; j++) {
                if (seq[start + j] != seq[length - n + 1 + j]) {
                    continue outer;
                }
            }
            if (seq[start + n - 1] == next) {
                return true;
            }
        }
        return false;
    }
}

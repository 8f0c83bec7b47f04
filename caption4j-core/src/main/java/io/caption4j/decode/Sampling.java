package io.caption4j.decode;

import io.caption4j.util.InputException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;

/**
 * Drawing each next word at random from the model's distribution instead of searching for the likeliest caption, as
 * Hugging Face's {@code generate(do_sample=True)}: the log-probabilities are divided by the temperature, cut to the
 * {@code topK} likeliest words and then to the smallest set of likeliest words whose probability reaches {@code topP}
 * (nucleus sampling), renormalised, and one word is drawn.
 *
 * @param temperature &gt; 1 flattens the distribution, &lt; 1 sharpens it
 * @param topK        keep only the k likeliest words; 0 keeps all
 * @param topP        keep the likeliest words up to this total probability (at least one); 1 keeps all
 * @param random      the source of the draws: the same seed gives the same captions
 */
public record Sampling(double temperature, int topK, double topP, Random random) {

    public Sampling {
        if (!(temperature > 0) || Double.isInfinite(temperature)) {
            throw new InputException("--temperature must be positive, got " + temperature);
        }
        if (topK < 0) {
            throw new InputException("--top-k must be 0 (off) or more, got " + topK);
        }
        if (!(topP > 0 && topP <= 1)) {
            throw new InputException("--top-p must be in (0, 1], got " + topP);
        }
    }

    /** The model's own distribution, untempered and uncut (what self-critical training samples from). */
    public static Sampling plain(Random random) {
        return new Sampling(1, 0, 1, random);
    }

    /**
     * One token drawn from the row of scores (log-probabilities after the {@link TokenRules}) at {@code offset};
     * tokens whose score is −∞ are never drawn.
     */
    int draw(float[] scores, int offset, int vocab) {
        double[] weights = new double[vocab];
        double max = Double.NEGATIVE_INFINITY;
        for (int v = 0; v < vocab; v++) {
            max = Math.max(max, scores[offset + v] / temperature);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            throw new IllegalStateException("every token is forbidden: nothing can be drawn");
        }
        for (int v = 0; v < vocab; v++) {
            weights[v] = Math.exp(scores[offset + v] / temperature - max);
        }
        if (topK > 0 || topP < 1) {
            keepLikeliest(weights);
        }
        double total = Arrays.stream(weights).sum();
        double u = random.nextDouble() * total;
        int last = 0;
        for (int v = 0; v < vocab; v++) {
            if (weights[v] > 0) {
                last = v;
                u -= weights[v];
                if (u < 0) {
                    return v;
                }
            }
        }
        return last; // rounding left u at or above the total: the last token that can be drawn
    }

    /**
     * Zeroes every weight outside the top k, then outside the nucleus: the likeliest words whose probability, within
     * the top k, reaches topP (the word that crosses it included), as Hugging Face applies the two.
     */
    private void keepLikeliest(double[] weights) {
        Integer[] order = new Integer[weights.length];
        for (int v = 0; v < order.length; v++) {
            order[v] = v;
        }
        Arrays.sort(order, Comparator.comparingDouble((Integer v) -> weights[v]).reversed());
        int k = topK == 0 ? order.length : Math.min(topK, order.length);
        double total = 0;
        for (int rank = 0; rank < k; rank++) {
            total += weights[order[rank]];
        }
        double before = 0; // the weight of the words ranked above this one
        for (int rank = 0; rank < order.length; rank++) {
            double weight = weights[order[rank]];
            if (rank >= k || rank > 0 && before >= topP * total) {
                weights[order[rank]] = 0;
            }
            before += weight;
        }
    }
}

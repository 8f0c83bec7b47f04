package io.caption4j.decode;

import io.caption4j.util.InputException;
import java.util.BitSet;

/**
 * Rules on the next token that reshape the model's log-probabilities before search or sampling picks from them, as
 * Hugging Face's logits processors do in {@code generate()}. Search ranks and sampling draws by the reshaped scores;
 * a caption's reported log-probability stays the model's own.
 *
 * @param noRepeatNgram     n &gt; 0 forbids any n-gram from appearing twice in one caption ({@code no_repeat_ngram_size});
 *                          0 allows repeats
 * @param minLength         the end token is forbidden until the caption has this many words ({@code min_new_tokens})
 * @param repetitionPenalty the log-probability of every word already in the caption is multiplied by this: above 1
 *                          discourages repeats, 1 is off ({@code repetition_penalty}; Hugging Face's beam search
 *                          applies it to log-probabilities too, its greedy search to logits)
 */
public record TokenRules(int noRepeatNgram, int minLength, double repetitionPenalty) {
    public static final TokenRules NONE = new TokenRules(0, 0, 1);

    public TokenRules {
        if (noRepeatNgram < 0) {
            throw new InputException("--no-repeat-ngram must be 0 (off) or more, got " + noRepeatNgram);
        }
        if (minLength < 0) {
            throw new InputException("--min-length must be 0 (off) or more, got " + minLength);
        }
        if (!(repetitionPenalty > 0) || Double.isInfinite(repetitionPenalty)) {
            throw new InputException("--repetition-penalty must be positive (1 = off), got " + repetitionPenalty);
        }
    }

    /** The rules with only the n-gram ban, as before the other rules existed. */
    public static TokenRules noRepeatNgram(int n) {
        return new TokenRules(n, 0, 1);
    }

    boolean changeNothing() {
        return noRepeatNgram == 0 && minLength == 0 && repetitionPenalty == 1;
    }

    /** The rules in force, for logs: empty when none is. */
    String describe() {
        StringBuilder out = new StringBuilder();
        if (noRepeatNgram > 0) {
            out.append(", no repeated ").append(noRepeatNgram).append("-gram");
        }
        if (minLength > 0) {
            out.append(", at least ").append(minLength).append(" words");
        }
        if (repetitionPenalty != 1) {
            out.append(", repetition penalty ").append(repetitionPenalty);
        }
        return out.toString();
    }

    /**
     * Reshapes, in place, the row of {@code vocab} log-probabilities at {@code offset} that scores the next token of
     * {@code caption}: forbidden tokens get −∞. Rules that leave no token at all are a usage error.
     */
    void apply(Hypothesis caption, int endToken, float[] scores, int offset, int vocab) {
        int[] words = caption.tokens();
        if (repetitionPenalty != 1) {
            BitSet seen = new BitSet();
            for (int word : words) {
                if (!seen.get(word)) {
                    seen.set(word);
                    // log-probabilities are ≤ 0, so multiplying by a penalty above 1 lowers them
                    scores[offset + word] *= (float) repetitionPenalty;
                }
            }
        }
        if (words.length < minLength) {
            scores[offset + endToken] = Float.NEGATIVE_INFINITY;
        }
        if (noRepeatNgram > 0) {
            banRepeatedNgrams(words, scores, offset);
        }
        for (int v = 0; v < vocab; v++) {
            if (scores[offset + v] != Float.NEGATIVE_INFINITY) {
                return;
            }
        }
        throw new InputException("the decoding rules (" + describe().substring(2) + ") forbid every one of the "
                + vocab + " words after " + words.length + " words: loosen --no-repeat-ngram or --min-length");
    }

    /** Forbids every token that would complete an n-gram the caption already holds. */
    private void banRepeatedNgrams(int[] words, float[] scores, int offset) {
        int n = noRepeatNgram;
        int length = words.length;
        if (length + 1 < n) {
            return;
        }
        // the new n-gram would be words[length-n+1 .. length-1] + the next token
        outer:
        for (int start = 0; start + n <= length; start++) {
            for (int j = 0; j < n - 1; j++) {
                if (words[start + j] != words[length - n + 1 + j]) {
                    continue outer;
                }
            }
            scores[offset + words[start + n - 1]] = Float.NEGATIVE_INFINITY;
        }
    }
}

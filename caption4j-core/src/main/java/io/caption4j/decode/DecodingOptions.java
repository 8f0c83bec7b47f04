package io.caption4j.decode;

import io.caption4j.util.InputException;

/**
 * How captions are generated.
 *
 * @param beamSize      1 = greedy search; k > 1 = beam search with k beams
 * @param maxLength     the most words generated (the end token not counted)
 * @param lengthPenalty α in score = log P / length^α; 0 ranks by total log-probability, 1 by its mean per word
 * @param nBest         how many hypotheses to return per image: at most the beam size, or with sampling how many
 *                      captions are drawn
 * @param rules         what the next token may be, and how repeats are penalised ({@link TokenRules})
 * @param sampling      null: search (greedy or beam); otherwise each word is drawn at random ({@link Sampling})
 */
public record DecodingOptions(int beamSize, int maxLength, double lengthPenalty, int nBest, TokenRules rules,
        Sampling sampling) {

    public DecodingOptions {
        if (beamSize < 1) {
            throw new InputException("--beam must be at least 1 (1 = greedy), got " + beamSize);
        }
        if (maxLength < 1) {
            throw new InputException("--max-length must be at least 1, got " + maxLength);
        }
        if (rules.minLength() > maxLength) {
            throw new InputException("--min-length " + rules.minLength() + " is more than --max-length " + maxLength);
        }
        if (sampling != null && beamSize > 1) {
            throw new InputException("--sample draws each caption word by word and does not combine with --beam "
                    + beamSize + "; use --n-best for several captions per image");
        }
        if (nBest < 1 || sampling == null && nBest > beamSize) {
            throw new InputException("--n-best must be between 1 and the beam size " + beamSize + ", got " + nBest);
        }
        if (lengthPenalty < 0) {
            throw new InputException("--length-penalty must not be negative, got " + lengthPenalty);
        }
    }

    /** Search: greedy or beam, with at most the n-gram ban of the token rules. */
    public DecodingOptions(int beamSize, int maxLength, double lengthPenalty, int noRepeatNgram, int nBest) {
        this(beamSize, maxLength, lengthPenalty, nBest, TokenRules.noRepeatNgram(noRepeatNgram), null);
    }

    /** Captions followed at once per image: the beams, or with sampling the captions drawn. */
    int width() {
        return sampling == null ? beamSize : nBest;
    }

    public static DecodingOptions greedy(int maxLength) {
        return new DecodingOptions(1, maxLength, 0, 0, 1);
    }

    public static DecodingOptions beam(int beamSize, int maxLength) {
        return new DecodingOptions(beamSize, maxLength, 1.0, 0, 1);
    }

    public String describe() {
        if (sampling != null) {
            return "sampling (temperature " + sampling.temperature() + ", top-k " + sampling.topK() + ", top-p "
                    + sampling.topP() + rules.describe() + ")";
        }
        return (beamSize == 1 ? "greedy" : "beam " + beamSize + " (length penalty " + lengthPenalty + ")")
                + (rules.changeNothing() ? "" : " (" + rules.describe().substring(2) + ")");
    }
}

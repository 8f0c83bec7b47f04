package io.caption4j.decode;

import io.caption4j.util.InputException;

/**
 * How captions are generated.
 *
 * @param beamSize      1 = greedy search; k > 1 = beam search with k beams
 * @param maxLength     the most words generated (the end token not counted)
 * @param lengthPenalty α in score = log P / length^α; 0 ranks by total log-probability, 1 by its mean per word
 * @param noRepeatNgram n &gt; 0 forbids any n-gram from appearing twice in one caption; 0 allows repeats
 * @param nBest         how many hypotheses to return per image (at most the beam size)
 */
public record DecodingOptions(int beamSize, int maxLength, double lengthPenalty, int noRepeatNgram, int nBest) {

    public DecodingOptions {
        if (beamSize < 1) {
            throw new InputException("--beam must be at least 1 (1 = greedy), got " + beamSize);
        }
        if (maxLength < 1) {
            throw new InputException("--max-length must be at least 1, got " + maxLength);
        }
        if (noRepeatNgram < 0) {
            throw new InputException("--no-repeat-ngram must be 0 (off) or more, got " + noRepeatNgram);
        }
        if (nBest < 1 || nBest > beamSize) {
            throw new InputException("--n-best must be between 1 and the beam size " + beamSize + ", got " + nBest);
        }
        if (lengthPenalty < 0) {
            throw new InputException("--length-penalty must not be negative, got " + lengthPenalty);
        }
    }

    public static DecodingOptions greedy(int maxLength) {
        return new DecodingOptions(1, maxLength, 0, 0, 1);
    }

    public static DecodingOptions beam(int beamSize, int maxLength) {
        return new DecodingOptions(beamSize, maxLength, 1.0, 0, 1);
    }

    public String describe() {
        return beamSize == 1 ? "greedy" : "beam " + beamSize + " (length penalty " + lengthPenalty + ")";
    }
}

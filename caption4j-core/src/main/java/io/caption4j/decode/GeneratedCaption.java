package io.caption4j.decode;

import java.util.List;

/**
 * A caption as the user sees it: its words, each word's probability and attention over the image regions, and the
 * caption's scores. {@code endProbability} is the probability the model gave to stopping where it stopped (NaN
 * when the caption was cut at the length limit).
 */
public record GeneratedCaption(
        String text,
        List<String> words,
        float[] wordProbabilities,
        List<float[]> attention,
        float endProbability,
        double logProbability,
        double score) {}

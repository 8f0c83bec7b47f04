package io.caption4j.train;

import java.util.Map;

/** One line of the training log ({@code train-log.jsonl}): what an epoch did and how the model scored after it. */
public record EpochRecord(int epoch, long steps, double trainLoss, double learningRate, double seconds,
        Map<String, Double> validation, boolean best) {}

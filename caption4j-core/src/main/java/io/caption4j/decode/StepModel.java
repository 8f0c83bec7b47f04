package io.caption4j.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;

/**
 * A language model that generates one token at a time, conditioned on an image. Greedy and beam search work on any
 * implementation: the attention-GRU captioner, or a prefix language model with a key/value cache.
 *
 * <p>Every array of a decoding state has the batch (or beam) as its first axis, so search can reorder and repeat
 * states with {@code NDArray.get(indices)} without knowing what they hold.
 */
public interface StepModel {

    /** Starts decoding: images (whatever the model takes: pixels or region features), batch first → initial state. */
    NDList start(NDArray images);

    /** One step: the previous token of each row [N] (int64) → log-probabilities [N, V], attention, next state. */
    Step step(NDArray previousTokens, NDList state);

    int startToken();

    int endToken();

    /**
     * @param logProbs  [N, V] log-probabilities of the next token
     * @param attention [N, R] attention weights over image regions, or null for models without region attention
     * @param state     the state after this step
     */
    record Step(NDArray logProbs, NDArray attention, NDList state) {}
}

package io.caption4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Block;
import io.caption4j.decode.CaptionSearch;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.decode.Hypothesis;
import io.caption4j.decode.StepModel;
import io.caption4j.vision.ImageInputs;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.IntStream;

/**
 * A trained captioner, whatever its architecture (attention GRU, ClipCap): captioning, saving, the teacher-forced
 * network that {@link io.caption4j.train.CaptionTrainer} trains, and the token-by-token interface through which
 * {@link CaptionSearch} generates, alone or in a {@link CaptionerEnsemble}.
 */
public interface CaptionModel extends ImageCaptioner, StepModel {

    void save(Path directory) throws IOException;

    /**
     * The trainable network: {@code forward(inputs [B, ...], tokens [B, T])} returns first the logits [B, T, V] of
     * each next token. Parameters that must stay fixed are frozen.
     */
    Block network();

    /** Where the network's parameters live. */
    NDManager manager();

    /** The target id that marks padding (not scored) in teacher-forced batches. */
    int paddingToken();

    /** A finished hypothesis of this model's tokens, in words. */
    GeneratedCaption toCaption(Hypothesis hypothesis);

    /** Whether {@code other}'s token ids mean the same words: what lets two models decode as one. */
    boolean sameTokens(CaptionModel other);

    /** Whether {@code other} reads the same inputs (the same pixels, or the same backbone's same features). */
    boolean sameInputs(CaptionModel other);

    /** Refuses, with one clear message, decoding that this model cannot do (captions longer than it can hold). */
    default void checkDecodable(DecodingOptions options) {}

    /**
     * Captions every image of {@code inputs}, {@code batchSize} at a time, searching with {@code search} (a model, or
     * an ensemble) and writing each hypothesis with {@code words}; n-best per image, in input order.
     */
    static List<List<GeneratedCaption>> caption(StepModel search, Function<Hypothesis, GeneratedCaption> words,
            NDManager manager, ImageInputs inputs, DecodingOptions options, int batchSize) {
        List<List<GeneratedCaption>> out = new ArrayList<>(inputs.size());
        for (int from = 0; from < inputs.size(); from += batchSize) {
            int[] batch = IntStream.range(from, Math.min(inputs.size(), from + batchSize)).toArray();
            try (NDScope scope = new NDScope(); NDManager arrays = manager.newSubManager()) {
                out.addAll(caption(search, words, inputs.batch(arrays, batch), options));
            }
        }
        return out;
    }

    /** Captions one batch of model inputs; n-best per image. */
    static List<List<GeneratedCaption>> caption(StepModel search, Function<Hypothesis, GeneratedCaption> words,
            NDArray inputs, DecodingOptions options) {
        return CaptionSearch.generate(search, inputs, options).stream()
                .map(nBest -> nBest.stream().map(words).toList()).toList();
    }
}

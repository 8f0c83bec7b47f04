package io.caption4j.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What every captioner offers, whatever its architecture (attention GRU, ClipCap): captioning, saving, and the
 * teacher-forced network that {@link io.caption4j.train.CaptionTrainer} trains.
 */
public interface CaptionModel extends AutoCloseable {

    /** How decoded image files become the pixels {@link #inputsOf} reads. */
    ImagePreprocessor preprocessor();

    /** Pixel inputs as this model's inputs (pixels themselves, or a frozen backbone's features). */
    ImageInputs inputsOf(ImageInputs pixels);

    /** Captions every image of {@code inputs}, {@code batchSize} at a time; n-best per image, in input order. */
    List<List<GeneratedCaption>> caption(ImageInputs inputs, DecodingOptions options, int batchSize);

    void save(Path directory) throws IOException;

    /** Whether its captions carry each word's attention over the image regions. */
    boolean attendsToRegions();

    /**
     * The trainable network: {@code forward(inputs [B, ...], tokens [B, T])} returns first the logits [B, T, V] of
     * each next token. Parameters that must stay fixed are frozen.
     */
    Block network();

    /** Where the network's parameters live. */
    NDManager manager();

    /** The target id that marks padding (not scored) in teacher-forced batches. */
    int paddingToken();

    @Override
    void close();
}

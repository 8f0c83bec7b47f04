package io.caption4j.model;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A trained captioner, whatever its architecture (attention GRU, ClipCap): captioning, saving, and the
 * teacher-forced network that {@link io.caption4j.train.CaptionTrainer} trains.
 */
public interface CaptionModel extends ImageCaptioner {

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
}

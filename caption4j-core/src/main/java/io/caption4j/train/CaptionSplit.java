package io.caption4j.train;

import io.caption4j.vision.ImageInputs;
import java.util.List;

/**
 * One split ready for training or evaluation: image ids, their model inputs, and for each image its reference
 * captions, both as written (for scoring) and as token ids with start and end tokens (for teacher forcing).
 */
public record CaptionSplit(List<String> ids, ImageInputs images, List<List<String>> references,
        List<int[][]> encodedCaptions) {

    public CaptionSplit {
        if (ids.size() != images.size() || ids.size() != references.size() || ids.size() != encodedCaptions.size()) {
            throw new IllegalArgumentException("split parts differ in size");
        }
    }

    public int size() {
        return ids.size();
    }
}

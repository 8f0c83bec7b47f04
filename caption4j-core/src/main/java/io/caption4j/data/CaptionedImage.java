package io.caption4j.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One image with its reference captions.
 *
 * @param id       the image's name relative to its image folder, e.g. {@code 1000268201_693b08cb0e.jpg}; unique in a
 *                 dataset and the key that splits files use
 * @param image    where the image file is
 * @param captions the raw reference captions (not tokenised), at least one
 */
public record CaptionedImage(String id, Path image, List<String> captions) {
    public CaptionedImage {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(image, "image");
        captions = List.copyOf(captions);
        if (captions.isEmpty()) {
            throw new IllegalArgumentException("image " + id + " has no captions");
        }
    }
}

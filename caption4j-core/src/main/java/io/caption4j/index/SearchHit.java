package io.caption4j.index;

import java.nio.file.Path;

/**
 * One search result.
 *
 * @param kind    what was found
 * @param score   cosine similarity between the query and the entry, in [−1, 1]
 * @param imageId the image's id (for a caption: the image it describes; null for a plain text)
 * @param image   the image file (for a caption: the described image's, when known); may be null
 * @param text    the caption, for a caption; null for an image
 */
public record SearchHit(ItemKind kind, double score, String imageId, Path image, String text) {}

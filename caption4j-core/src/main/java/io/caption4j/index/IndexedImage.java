package io.caption4j.index;

import java.nio.file.Path;

/**
 * An image file as an index entry.
 *
 * @param id    the file's name, as caption datasets name their images
 * @param path  absolute and normalised: the entry's key
 * @param stamp size and modification time when it was embedded
 */
public record IndexedImage(String id, Path path, FileStamp stamp) {}

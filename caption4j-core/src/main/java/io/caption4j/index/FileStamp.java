package io.caption4j.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What tells an indexed file from a changed one without reading it: size and modification time, as make and rsync
 * decide. Reading every file for a content hash would cost a large share of embedding it on a re-run.
 */
public record FileStamp(long size, long modifiedMillis) {
    public static FileStamp of(Path file) throws IOException {
        return new FileStamp(Files.size(file), Files.getLastModifiedTime(file).toMillis());
    }
}

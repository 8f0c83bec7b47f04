package io.caption4j.index;

import io.caption4j.util.InputException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.lucene.index.CorruptIndexException;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexFormatTooNewException;
import org.apache.lucene.index.IndexFormatTooOldException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/** The folder an index lives in: what may be opened for reading or writing, and Lucene's failures as user errors. */
final class IndexFolder {
    private IndexFolder() {}

    /** Opens an existing index's folder for reading; refuses a missing folder or one without an index. */
    static Directory openExisting(Path folder) {
        if (!Files.exists(folder)) {
            throw InputException.at(folder, "no such index (build one with: caption4j index)");
        }
        requireFolder(folder);
        Directory directory = open(folder);
        if (!hasIndex(folder, directory)) {
            closeQuietly(directory);
            throw InputException.at(folder, "not a caption4j index (the folder holds no Lucene index)");
        }
        return directory;
    }

    /**
     * Opens the folder for writing: an existing index, or a new or empty folder. A folder that holds other files is
     * refused, so that a mistyped path cannot turn a folder of photos into an index.
     */
    static Directory openForWriting(Path folder) {
        if (Files.exists(folder)) {
            requireFolder(folder);
        }
        boolean empty = isEmpty(folder);
        Directory directory = open(folder);
        if (!empty && !hasIndex(folder, directory)) {
            closeQuietly(directory);
            throw InputException.at(folder, "not a caption4j index and not empty; give an index folder, or a new one");
        }
        return directory;
    }

    /** Lucene's complaints about a damaged index as a user error; other I/O failures stay what they are. */
    static RuntimeException failure(Path folder, IOException e) {
        if (e instanceof CorruptIndexException || e instanceof IndexFormatTooOldException
                || e instanceof IndexFormatTooNewException) {
            return InputException.at(folder, "damaged or unreadable index: " + e.getMessage());
        }
        return new UncheckedIOException(folder + ": " + e.getMessage(), e);
    }

    private static boolean hasIndex(Path folder, Directory directory) {
        try {
            return DirectoryReader.indexExists(directory);
        } catch (IOException e) {
            throw failure(folder, e);
        }
    }

    private static void requireFolder(Path folder) {
        if (!Files.isDirectory(folder)) {
            throw InputException.at(folder, "not a folder, so not an index");
        }
    }

    private static boolean isEmpty(Path folder) {
        if (!Files.exists(folder)) {
            return true;
        }
        try (Stream<Path> files = Files.list(folder)) {
            return files.findAny().isEmpty();
        } catch (IOException e) {
            throw InputException.at(folder, "cannot list folder: " + e.getMessage());
        }
    }

    private static Directory open(Path folder) {
        try {
            return FSDirectory.open(folder);
        } catch (IOException e) {
            throw InputException.at(folder, "cannot open: " + e.getMessage());
        }
    }

    /** Closes a directory on the way out of a failure, which says more than a failure to close would. */
    static void closeQuietly(Directory directory) {
        try {
            directory.close();
        } catch (IOException ignored) {
            // the failure being thrown is the one to report
        }
    }
}

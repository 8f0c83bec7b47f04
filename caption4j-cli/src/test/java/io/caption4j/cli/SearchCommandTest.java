package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** index and search on input they refuse before any model is loaded: one line each, exit code 1. */
class SearchCommandTest {
    @TempDir
    Path dir;

    @Test
    void emptyQueryIsRefused() {
        assertRefused("error: empty query: give some words to search for", "search", "--index",
                dir.toString(), "  ");
    }

    @Test
    void missingIndexIsRefused() {
        Path missing = dir.resolve("no-index");
        assertRefused("error: " + missing + ": no such index (build one with: caption4j index)", "search", "--index",
                missing.toString(), "a dog");
    }

    @Test
    void aFolderThatIsNotAnIndexIsRefused() throws Exception {
        Files.writeString(dir.resolve("photo.jpg"), "not an index");
        assertRefused("error: " + dir + ": not a caption4j index (the folder holds no Lucene index)", "search",
                "--index", dir.toString(), "a dog");
    }

    @Test
    void aQueryIsATextOrAnImage() {
        assertRefused("error: give a text query or --image FILE", "search", "--index", dir.toString());
        assertRefused("error: give a text query or --image FILE, not both", "search", "--index", dir.toString(),
                "--image", "photo.jpg", "a dog");
    }

    @Test
    void indexNeedsSomethingToIndex() {
        assertRefused("error: nothing to index: give --images, --captions or --texts", "index", "--model",
                dir.toString(), "--index", dir.resolve("index").toString());
    }

    private static void assertRefused(String message, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(message, run.err().strip());
        assertFalse(run.err().contains("\tat "), run.err());
        assertEquals("", run.out());
    }
}

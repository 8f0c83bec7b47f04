package io.caption4j.data;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The read-only shared data folder; tests that need it fail, with this message, when it is missing. */
final class SharedData {
    private SharedData() {}

    static Path dir(String relative) {
        String root = System.getProperty("caption4j.shared");
        assertTrue(root != null, "system property caption4j.shared is not set (surefire sets it)");
        Path dir = Path.of(root).resolve(relative);
        assertTrue(Files.isDirectory(dir), "shared data missing: " + dir);
        return dir;
    }
}

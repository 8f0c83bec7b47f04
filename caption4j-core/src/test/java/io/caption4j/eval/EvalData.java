package io.caption4j.eval;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the tests find the shared reference vectors; a missing directory fails the test with a clear message. */
public final class EvalData {
    private EvalData() {}

    /** The COCO caption evaluation vectors (system property {@code caption4j.evaldata}). */
    public static Path directory() {
        Path dir = Path.of(System.getProperty("caption4j.evaldata", "../shared/data/coco-caption-eval"));
        assertTrue(Files.isRegularFile(dir.resolve("expected.json")),
                "eval vectors missing: " + dir.toAbsolutePath() + " (set -Dcaption4j.evaldata)");
        return dir;
    }

    /** The shared data root (system property {@code caption4j.shared}). */
    public static Path shared() {
        Path dir = Path.of(System.getProperty("caption4j.shared", "../shared"));
        assertTrue(Files.isDirectory(dir), "shared data missing: " + dir.toAbsolutePath() + " (set -Dcaption4j.shared)");
        return dir;
    }
}

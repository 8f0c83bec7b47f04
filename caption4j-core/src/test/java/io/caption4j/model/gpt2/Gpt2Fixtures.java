package io.caption4j.model.gpt2;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The GPT-2 fixtures under {@code caption4j.fixtures}: the real BPE files and a tiny random GPT-2 with references. */
final class Gpt2Fixtures {
    private Gpt2Fixtures() {}

    static Path dir(String name, String mustHold) {
        Path dir = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), name);
        assertTrue(Files.isRegularFile(dir.resolve(mustHold)),
                "GPT-2 fixture missing: " + dir.resolve(mustHold).toAbsolutePath() + " (set -Dcaption4j.fixtures=...)");
        return dir;
    }

    static Path bpe() {
        return dir("gpt2-bpe", "cases.jsonl");
    }

    static Path tinyGpt2() {
        return dir("tiny-gpt2", "expected.json");
    }
}

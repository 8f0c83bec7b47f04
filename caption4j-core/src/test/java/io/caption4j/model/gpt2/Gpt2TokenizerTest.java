package io.caption4j.model.gpt2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.text.WordLevelTokenizer;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Gpt2TokenizerTest {
    private static Gpt2Tokenizer tokenizer;

    @BeforeAll
    static void open() {
        tokenizer = Gpt2Tokenizer.open(Gpt2Fixtures.bpe());
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void reproducesAllReferenceCasesAndDecodesBack() throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<String> lines = Files.readAllLines(Gpt2Fixtures.bpe().resolve("cases.jsonl"));
        assertEquals(45, lines.size());
        for (String line : lines) {
            JsonNode c = json.readTree(line);
            String text = c.get("text").asText();
            long[] expected = new long[c.get("ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = c.get("ids").get(i).asLong();
            }
            long[] ids = tokenizer.encode(text);
            assertArrayEquals(expected, ids, () -> "ids of " + json.valueToTree(text));
            assertEquals(text, tokenizer.decode(ids));
        }
    }

    @Test
    void aWordLevelTokenizerHasAnUnknownTokenAndGpt2sBpeHasNone(@TempDir Path dir) throws IOException {
        assertTrue(tokenizer.unknownToken().isEmpty(), "byte-level BPE spells every text");
        Path file = dir.resolve("tokenizer.json");
        WordLevelTokenizer.write(file, List.of("a", "dog"));
        try (Gpt2Tokenizer words = Gpt2Tokenizer.open(file)) {
            assertEquals(1, words.unknownToken().orElseThrow());
            assertArrayEquals(new long[] {2, 1, 3}, words.encode("a cat dog"), "cat is unknown");
        }
    }

    @Test
    void longTextIsNotTruncated() {
        long[] sentence = tokenizer.encode(" a dog runs on the beach."); // 7 tokens
        String text = " a dog runs on the beach.".repeat(120);
        long[] ids = tokenizer.encode(text);
        assertEquals(840, ids.length);
        for (int i = 0; i < ids.length; i++) {
            assertEquals(sentence[i % sentence.length], ids[i], "token " + i);
        }
        assertEquals(text, tokenizer.decode(ids));
    }

    @Test
    void missingFileIsAnInputError() {
        InputException e = assertThrows(InputException.class, () -> Gpt2Tokenizer.open(Path.of("no-such-dir")));
        assertEquals(true, e.getMessage().contains("no-such-dir"));
    }
}

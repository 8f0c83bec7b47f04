package io.caption4j.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabularyTest {
    @TempDir
    Path dir;

    private static final List<List<String>> CAPTIONS = List.of(
            List.of("a", "red", "circle"),
            List.of("a", "blue", "square"),
            List.of("a", "red", "star"),
            List.of("two", "blue", "circles"));

    private final Vocabulary vocab = Vocabulary.build(CAPTIONS, 2);

    @Test
    void specialsFirstThenByCountThenWord() {
        assertEquals(List.of("<pad>", "<start>", "<end>", "<unk>", "a", "blue", "red"),
                List.of(vocab.word(0), vocab.word(1), vocab.word(2), vocab.word(3), vocab.word(4), vocab.word(5),
                        vocab.word(6)));
        assertEquals(7, vocab.size());
        assertEquals(3, vocab.count(4));
        assertEquals(Vocabulary.UNK, vocab.id("circle"));
        assertEquals(vocab, Vocabulary.build(List.of(CAPTIONS.get(3), CAPTIONS.get(2), CAPTIONS.get(1), CAPTIONS.get(0)), 2));
    }

    @Test
    void encodeAddsStartEndAndTruncates() {
        assertArrayEquals(new int[] {1, 4, 6, 3, 2}, vocab.encode(List.of("a", "red", "star"), 20));
        assertArrayEquals(new int[] {1, 4, 6, 2}, vocab.encode(List.of("a", "red", "star"), 2));
        assertArrayEquals(new int[] {1, 2}, vocab.encode(List.of(), 5));
    }

    @Test
    void decodeStopsAtEndAndSkipsSpecials() {
        assertEquals(List.of("a", "red"), vocab.decode(new int[] {1, 4, 3, 6, 2, 5, 0}));
        assertEquals(List.of("blue"), vocab.decode(new int[] {5, 0, 0}));
    }

    @Test
    void saveAndLoadRoundTrip() throws IOException {
        Path file = dir.resolve("vocab.json");
        vocab.save(file);
        Vocabulary loaded = Vocabulary.load(file);
        assertEquals(vocab, loaded);
        assertEquals(6, loaded.id("red"));
    }

    @Test
    void loadRejectsCorruptedFiles() throws IOException {
        assertCorrupted("{\"format\": \"caption4j-vocabulary\", \"version\": 1, \"words\": [\"<pad>\", \"<start>\"",
                ":1: malformed JSON");
        assertCorrupted("{\"format\": \"other\", \"version\": 1}", "not a caption4j vocabulary");
        assertCorrupted("{\"format\": \"caption4j-vocabulary\", \"version\": 1, \"words\": [\"<pad>\", \"<start>\", "
                + "\"<end>\", \"<unk>\", \"a\"], \"counts\": [0, 0, 0, 0]}", "same length");
        assertCorrupted("{\"format\": \"caption4j-vocabulary\", \"version\": 1, \"words\": [\"<start>\", \"<pad>\", "
                + "\"<end>\", \"<unk>\"], \"counts\": [0, 0, 0, 0]}", "the first words must be");
        assertCorrupted("{\"format\": \"caption4j-vocabulary\", \"version\": 1, \"words\": [\"<pad>\", \"<start>\", "
                + "\"<end>\", \"<unk>\", \"a\", \"a\"], \"counts\": [0, 0, 0, 0, 1, 1]}", "a word appears twice");
        assertCorrupted("", "not a JSON object");
        InputException e = assertThrows(InputException.class, () -> Vocabulary.load(dir.resolve("none.json")));
        assertEquals(dir.resolve("none.json") + ": no vocabulary file", e.getMessage());
    }

    private void assertCorrupted(String json, String expected) throws IOException {
        Path file = Files.writeString(dir.resolve("vocab.json"), json);
        InputException e = assertThrows(InputException.class, () -> Vocabulary.load(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}

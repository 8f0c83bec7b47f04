package io.caption4j.text;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a word-level Hugging Face {@code tokenizer.json}: lower-casing, split on whitespace, one id per word,
 * rarer words as {@code <unk>}. A language model pretrained on captions with it has a vocabulary of a few thousand
 * words instead of GPT-2's 50,257 BPE pieces, which makes its output layer (most of a small model's cost on a CPU)
 * about fifteen times cheaper; any Hugging Face tokenizer library reads the file.
 */
public final class WordLevelTokenizer {
    /** Id 0: ends every text, and starts a generation without prompt (GPT-2's {@code <|endoftext|>}). */
    public static final String END_OF_TEXT = "<|endoftext|>";
    public static final String UNKNOWN = "<unk>";

    private WordLevelTokenizer() {}

    /** Writes the tokenizer for {@code words} (most frequent first); ids: end-of-text 0, unknown 1, then words. */
    public static void write(Path file, List<String> words) throws IOException {
        Map<String, Integer> vocab = new LinkedHashMap<>();
        vocab.put(END_OF_TEXT, 0);
        vocab.put(UNKNOWN, 1);
        for (String word : words) {
            vocab.putIfAbsent(word, vocab.size());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("version", "1.0");
        json.put("truncation", null);
        json.put("padding", null);
        json.put("added_tokens", List.of(special(END_OF_TEXT, 0), special(UNKNOWN, 1)));
        json.put("normalizer", Map.of("type", "Lowercase"));
        json.put("pre_tokenizer", Map.of("type", "WhitespaceSplit"));
        json.put("post_processor", null);
        json.put("decoder", null); // ids decode to their words joined by single spaces
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("type", "WordLevel");
        model.put("vocab", vocab);
        model.put("unk_token", UNKNOWN);
        json.put("model", model);
        new ObjectMapper().writeValue(file.toFile(), json);
    }

    /** The words of {@code texts} (already split on spaces) seen at least {@code minCount} times, most frequent first. */
    public static List<String> frequentWords(List<List<String>> texts, int minCount) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        texts.forEach(words -> words.forEach(w -> counts.merge(w, 1, Integer::sum)));
        List<String> words = new ArrayList<>(counts.keySet());
        words.removeIf(w -> counts.get(w) < minCount);
        words.sort((a, b) -> counts.get(b) - counts.get(a) != 0 ? counts.get(b) - counts.get(a) : a.compareTo(b));
        return words;
    }

    private static Map<String, Object> special(String content, int id) {
        Map<String, Object> token = new LinkedHashMap<>();
        token.put("id", id);
        token.put("content", content);
        token.put("single_word", false);
        token.put("lstrip", false);
        token.put("rstrip", false);
        token.put("normalized", false);
        token.put("special", true);
        return token;
    }
}

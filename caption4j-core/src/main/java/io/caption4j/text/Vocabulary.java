package io.caption4j.text;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.util.AtomicFiles;
import io.caption4j.util.InputException;
import io.caption4j.util.JsonErrors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The words a model knows, each with an id. Ids 0–3 are the special tokens {@code <pad>}, {@code <start>},
 * {@code <end>} and {@code <unk>}; the words follow by descending training count, ties by word, so the same captions
 * always give the same ids. Works on captions that are already tokenised.
 */
public final class Vocabulary {
    public static final int PAD = 0;
    public static final int START = 1;
    public static final int END = 2;
    public static final int UNK = 3;
    public static final List<String> SPECIALS = List.of("<pad>", "<start>", "<end>", "<unk>");

    private static final String FORMAT = "caption4j-vocabulary";
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final List<String> words;
    private final int[] counts;
    private final Map<String, Integer> ids;

    private Vocabulary(List<String> words, int[] counts) {
        this.words = List.copyOf(words);
        this.counts = counts.clone();
        this.ids = new HashMap<>();
        for (int i = 0; i < words.size(); i++) {
            if (ids.putIfAbsent(words.get(i), i) != null) {
                throw new IllegalArgumentException("word '" + words.get(i) + "' appears twice");
            }
        }
    }

    /** The words seen at least {@code minCount} times in the tokenised captions. */
    public static Vocabulary build(Iterable<? extends List<String>> captions, int minCount) {
        if (minCount < 1) {
            throw new IllegalArgumentException("minCount must be >= 1, got " + minCount);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (List<String> caption : captions) {
            for (String token : caption) {
                counts.merge(token, 1, Integer::sum);
            }
        }
        SPECIALS.forEach(counts::remove);
        List<Map.Entry<String, Integer>> kept = counts.entrySet().stream()
                .filter(e -> e.getValue() >= minCount)
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .toList();
        List<String> words = new ArrayList<>(SPECIALS);
        int[] wordCounts = new int[SPECIALS.size() + kept.size()];
        for (Map.Entry<String, Integer> e : kept) {
            wordCounts[words.size()] = e.getValue();
            words.add(e.getKey());
        }
        return new Vocabulary(words, wordCounts);
    }

    /** Number of ids, specials included. */
    public int size() {
        return words.size();
    }

    public boolean contains(String word) {
        return ids.containsKey(word);
    }

    /** The id of {@code word}, or {@link #UNK} for a word not in the vocabulary. */
    public int id(String word) {
        return ids.getOrDefault(word, UNK);
    }

    public String word(int id) {
        return words.get(id);
    }

    /** How often the word was seen when the vocabulary was built (0 for the specials). */
    public int count(int id) {
        return counts[id];
    }

    public static boolean isSpecial(int id) {
        return id >= 0 && id < SPECIALS.size();
    }

    /**
     * {@code <start>}, the ids of the first {@code maxWords} tokens, {@code <end>}: at most {@code maxWords + 2} ids;
     * longer captions are truncated and still end with {@code <end>}.
     */
    public int[] encode(List<String> tokens, int maxWords) {
        int n = Math.min(tokens.size(), maxWords);
        int[] encoded = new int[n + 2];
        encoded[0] = START;
        for (int i = 0; i < n; i++) {
            encoded[i + 1] = id(tokens.get(i));
        }
        encoded[n + 1] = END;
        return encoded;
    }

    /** The words up to the first {@code <end>}, leaving out {@code <pad>}, {@code <start>} and {@code <unk>}. */
    public List<String> decode(int[] encoded) {
        List<String> out = new ArrayList<>();
        for (int id : encoded) {
            if (id == END) {
                break;
            }
            if (!isSpecial(id)) {
                out.add(word(id));
            }
        }
        return out;
    }

    /** Writes {@code {"format", "version", "words", "counts"}} as JSON, atomically (a model's {@code vocab.json}). */
    public void save(Path file) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        ArrayNode wordArray = root.putArray("words");
        words.forEach(wordArray::add);
        ArrayNode countArray = root.putArray("counts");
        for (int count : counts) {
            countArray.add(count);
        }
        AtomicFiles.write(file, out -> JSON.writeValue(out, root));
    }

    /** Reads a file written by {@link #save}; anything else gives an {@link InputException} naming the file. */
    public static Vocabulary load(Path file) {
        JsonNode root = readJson(file);
        if (!FORMAT.equals(root.path("format").asText()) || root.path("version").asInt() != VERSION) {
            throw InputException.at(file, "not a caption4j vocabulary (expected \"format\": \"" + FORMAT
                    + "\", \"version\": " + VERSION + ")");
        }
        JsonNode wordArray = root.path("words");
        JsonNode countArray = root.path("counts");
        if (!wordArray.isArray() || !countArray.isArray() || wordArray.size() != countArray.size()) {
            throw InputException.at(file, "corrupted vocabulary: \"words\" and \"counts\" must be arrays of the "
                    + "same length");
        }
        List<String> words = new ArrayList<>();
        int[] counts = new int[wordArray.size()];
        for (int i = 0; i < wordArray.size(); i++) {
            JsonNode word = wordArray.get(i);
            JsonNode count = countArray.get(i);
            if (!word.isTextual() || word.asText().isEmpty() || !count.canConvertToInt() || count.asInt() < 0) {
                throw InputException.at(file, "corrupted vocabulary: entry " + i + " is not a word with a count");
            }
            words.add(word.asText());
            counts[i] = count.asInt();
        }
        if (words.size() < SPECIALS.size() || !words.subList(0, SPECIALS.size()).equals(SPECIALS)) {
            throw InputException.at(file, "corrupted vocabulary: the first words must be " + SPECIALS);
        }
        if (words.stream().distinct().count() != words.size()) {
            throw InputException.at(file, "corrupted vocabulary: a word appears twice");
        }
        return new Vocabulary(words, counts);
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            throw InputException.at(file, "no vocabulary file");
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw InputException.at(file, "corrupted vocabulary: not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw JsonErrors.malformed(file, "JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Vocabulary other && words.equals(other.words)
                && Arrays.equals(counts, other.counts);
    }

    @Override
    public int hashCode() {
        return words.hashCode();
    }

    @Override
    public String toString() {
        return "Vocabulary[" + size() + " ids]";
    }
}

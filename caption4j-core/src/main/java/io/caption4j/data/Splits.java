package io.caption4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.util.AtomicFiles;
import io.caption4j.util.InputException;
import io.caption4j.util.JsonErrors;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which image ids are for training, validation and testing: read from a splits file
 * {@code {"train": [...], "val": [...], "test": [...]}}, or made deterministically from the ids alone.
 */
public final class Splits {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public enum Split {
        TRAIN, VAL, TEST;

        /** The name used in splits files and on the command line: train, val, test. */
        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Split parse(String key) {
            for (Split split : values()) {
                if (split.key().equals(key)) {
                    return split;
                }
            }
            throw new InputException("unknown split '" + key + "'; expected train, val or test");
        }
    }

    private final Map<Split, List<String>> ids;

    private Splits(Map<Split, List<String>> ids) {
        this.ids = ids;
    }

    /** Ids sorted by name in each split; an id may be in at most one split. */
    public static Splits of(List<String> train, List<String> val, List<String> test) {
        Map<Split, List<String>> ids = new EnumMap<>(Split.class);
        ids.put(Split.TRAIN, sorted(train));
        ids.put(Split.VAL, sorted(val));
        ids.put(Split.TEST, sorted(test));
        Map<String, Split> seen = new HashMap<>();
        ids.forEach((split, list) -> list.forEach(id -> {
            Split other = seen.putIfAbsent(id, split);
            if (other != null) {
                throw new IllegalArgumentException("image " + id + " is in both " + other.key() + " and "
                        + split.key());
            }
        }));
        return new Splits(ids);
    }

    /**
     * A split that depends only on the ids: they are ordered by the SHA-1 of their UTF-8 bytes (hex) and cut into
     * train, val and test in that order, with {@code round(n * fraction)} ids for val and for test. The same ids give
     * the same split on every run and in any input order; this is how {@code flickr8k-1k/splits.json} was made.
     */
    public static Splits deterministic(Collection<String> ids, double valFraction, double testFraction) {
        if (valFraction < 0 || testFraction < 0 || valFraction + testFraction > 1) {
            throw new IllegalArgumentException("fractions must be >= 0 and sum to <= 1: val " + valFraction
                    + ", test " + testFraction);
        }
        Map<String, String> hashes = new HashMap<>();
        ids.forEach(id -> hashes.computeIfAbsent(id, Splits::sha1Hex));
        List<String> ordered = hashes.keySet().stream().sorted(Comparator.comparing(hashes::get)).toList();
        int n = ordered.size();
        int test = (int) Math.round(n * testFraction);
        int val = (int) Math.round(n * valFraction);
        int train = n - val - test;
        return of(ordered.subList(0, train), ordered.subList(train, train + val), ordered.subList(train + val, n));
    }

    /** The default deterministic split: 80% train, 10% val, 10% test. */
    public static Splits deterministic(Collection<String> ids) {
        return deterministic(ids, 0.1, 0.1);
    }

    /**
     * Reads a splits file for {@code dataset}. Ids the dataset does not have are reported (one message per split)
     * and left out; an id in two splits, a missing train split or a file that is not a splits object is an error.
     */
    public static Splits read(Path file, CaptionDataset dataset, Problems problems) {
        CaptionFormat.requireReadableFile(file);
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw JsonErrors.malformed(file, "JSON", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (root == null || !root.isObject()) {
            throw InputException.at(file, "expected {\"train\": [...], \"val\": [...], \"test\": [...]}");
        }
        root.fieldNames().forEachRemaining(name -> {
            if (!List.of("train", "val", "test").contains(name)) {
                throw InputException.at(file, "unknown split \"" + name + "\"; expected train, val and test");
            }
        });
        Map<Split, List<String>> ids = new EnumMap<>(Split.class);
        for (Split split : Split.values()) {
            ids.put(split, knownIds(file, split, stringList(file, split, root.path(split.key())), dataset, problems));
        }
        if (ids.get(Split.TRAIN).isEmpty()) {
            throw InputException.at(file, "the train split has no image of the dataset");
        }
        try {
            return of(ids.get(Split.TRAIN), ids.get(Split.VAL), ids.get(Split.TEST));
        } catch (IllegalArgumentException e) {
            throw InputException.at(file, e.getMessage());
        }
    }

    private static List<String> stringList(Path file, Split split, JsonNode node) {
        if (node.isMissingNode()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw InputException.at(file, "\"" + split.key() + "\" must be an array of image ids");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode id : node) {
            if (!id.isTextual()) {
                throw InputException.at(file, "\"" + split.key() + "\" must hold only strings, found " + id);
            }
            ids.add(id.asText());
        }
        return ids;
    }

    private static List<String> knownIds(Path file, Split split, List<String> ids, CaptionDataset dataset,
            Problems problems) {
        List<String> unknown = ids.stream().filter(id -> !dataset.contains(id)).toList();
        if (!unknown.isEmpty()) {
            problems.report(InputException.at(file, unknown.size() + " id(s) in \"" + split.key()
                    + "\" are not in the dataset and are left out, e.g. "
                    + String.join(", ", unknown.subList(0, Math.min(3, unknown.size())))));
        }
        return ids.stream().filter(dataset::contains).toList();
    }

    public List<String> ids(Split split) {
        return ids.get(split);
    }

    public List<String> train() {
        return ids(Split.TRAIN);
    }

    public List<String> val() {
        return ids(Split.VAL);
    }

    public List<String> test() {
        return ids(Split.TEST);
    }

    /** The part of {@code dataset} in {@code split}. */
    public CaptionDataset apply(CaptionDataset dataset, Split split) {
        return dataset.subset(ids(split));
    }

    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        ids.forEach((split, list) -> list.forEach(root.putArray(split.key())::add));
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the splits file atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Splits other && ids.equals(other.ids);
    }

    @Override
    public int hashCode() {
        return ids.hashCode();
    }

    @Override
    public String toString() {
        return "Splits[train " + train().size() + ", val " + val().size() + ", test " + test().size() + "]";
    }

    private static String sha1Hex(String id) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(id.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-1", e);
        }
    }

    private static List<String> sorted(List<String> ids) {
        return ids.stream().sorted().toList();
    }
}

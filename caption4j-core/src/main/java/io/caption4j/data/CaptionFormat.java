package io.caption4j.data;

import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The caption file formats, told apart by extension and, for other names, by the first line. */
public enum CaptionFormat {
    /** Flickr8k/Kaggle {@code image,caption} CSV with a header. */
    CSV,
    /** COCO captions JSON ({@code images} + {@code annotations}). */
    COCO,
    /** JSON Lines, {@code {"image": path, "captions": [...]}} per line. */
    JSONL;

    public static CaptionFormat of(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".csv")) {
            return CSV;
        }
        if (name.endsWith(".jsonl") || name.endsWith(".ndjson")) {
            return JSONL;
        }
        if (name.endsWith(".json")) {
            return COCO;
        }
        return sniff(file);
    }

    /** A first line that holds a whole JSON object with "image" is JSON Lines; other JSON is COCO; else CSV. */
    private static CaptionFormat sniff(Path file) throws IOException {
        String first;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            first = in.readLine();
        }
        if (first == null || !first.strip().startsWith("{")) {
            return CSV;
        }
        String line = first.strip();
        return line.endsWith("}") && line.contains("\"image\"") ? JSONL : COCO;
    }

    /**
     * Only the caption texts of a file, for text-only uses such as language-model pretraining: any of the caption
     * formats, or a {@code .txt} file with one caption per non-blank line.
     */
    public static List<String> captionTexts(Path file, Problems problems) throws IOException {
        requireReadableFile(file);
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".txt")) {
            return Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
        }
        return of(file).read(file, problems).stream().map(RawCaption::caption).toList();
    }

    List<RawCaption> read(Path file, Problems problems) throws IOException {
        return switch (this) {
            case CSV -> CsvCaptionReader.read(file, problems);
            case COCO -> CocoCaptionReader.read(file, problems);
            case JSONL -> JsonLinesCaptionReader.read(file, problems);
        };
    }

    static void requireReadableFile(Path file) {
        if (!Files.exists(file)) {
            throw InputException.at(file, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw InputException.at(file, "not a file");
        }
        if (!Files.isReadable(file)) {
            throw InputException.at(file, "not readable");
        }
    }
}

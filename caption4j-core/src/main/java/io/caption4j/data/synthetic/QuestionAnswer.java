package io.caption4j.data.synthetic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A question about a synthetic image, its one-word answer from {@link #ANSWERS}, and its type. */
public record QuestionAnswer(String question, String answer, QuestionType type) {
    /** Every possible answer, in a fixed order (the VQA head's classes). */
    public static final List<String> ANSWERS = answers();

    private static final ObjectMapper JSON = new ObjectMapper();

    public QuestionAnswer {
        if (!ANSWERS.contains(answer)) {
            throw new IllegalArgumentException("answer '" + answer + "' is not in the answer vocabulary");
        }
    }

    /**
     * Reads a dataset's {@code questions.jsonl} ({@code {"image", "question", "answer", "type"}} per line) into
     * image id → its questions, in file order. A bad line is reported and skipped.
     */
    public static Map<String, List<QuestionAnswer>> read(Path file, Problems problems) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw InputException.at(file, "no such file");
        }
        Map<String, List<QuestionAnswer>> byImage = new LinkedHashMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    JsonNode node = JSON.readTree(line);
                    QuestionType type = QuestionType.valueOf(node.path("type").asText().toUpperCase(Locale.ROOT));
                    QuestionAnswer qa = new QuestionAnswer(node.path("question").asText(),
                            node.path("answer").asText(), type);
                    byImage.computeIfAbsent(node.path("image").asText(), k -> new ArrayList<>()).add(qa);
                } catch (JsonProcessingException | IllegalArgumentException e) {
                    problems.report(InputException.at(file, lineNumber, "not a question line {\"image\", "
                            + "\"question\", \"answer\", \"type\"}: " + e.getMessage() + "; line skipped"));
                }
            }
        }
        return byImage;
    }

    private static List<String> answers() {
        List<String> answers = new ArrayList<>(List.of("yes", "no", "zero", "one", "two", "three"));
        for (Colour colour : Colour.values()) {
            answers.add(colour.word());
        }
        for (Shape shape : Shape.values()) {
            answers.add(shape.word());
        }
        return List.copyOf(answers);
    }
}

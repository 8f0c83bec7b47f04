package io.caption4j.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.util.InputException;
import io.caption4j.util.JsonErrors;
import io.caption4j.util.Problems;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON Lines, one image per line: {@code {"image": "path", "captions": ["...", ...]}}. A bad line is reported and
 * skipped; the other lines are read.
 */
final class JsonLinesCaptionReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLinesCaptionReader() {}

    static List<RawCaption> read(Path file, Problems problems) throws IOException {
        List<RawCaption> captions = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long lineNumber = 0;
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                lineNumber++;
                if (!line.isBlank()) {
                    try {
                        captions.addAll(parseLine(file, lineNumber, line));
                    } catch (InputException e) {
                        problems.report(e);
                    }
                }
            }
        }
        return captions;
    }

    private static List<RawCaption> parseLine(Path file, long lineNumber, String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw InputException.at(file, lineNumber, "malformed JSON: " + e.getOriginalMessage() + " (column "
                    + e.getLocation().getColumnNr() + "); line skipped");
        }
        JsonNode image = node.path("image");
        JsonNode list = node.path("captions");
        if (!image.isTextual() || !list.isArray()) {
            throw InputException.at(file, lineNumber,
                    "expected {\"image\": \"path\", \"captions\": [\"...\"]}; line skipped");
        }
        List<RawCaption> captions = new ArrayList<>();
        for (JsonNode caption : list) {
            if (!caption.isTextual()) {
                throw InputException.at(file, lineNumber, "captions must be strings; line skipped");
            }
            captions.add(new RawCaption(image.asText(), caption.asText(), lineNumber));
        }
        return captions;
    }
}

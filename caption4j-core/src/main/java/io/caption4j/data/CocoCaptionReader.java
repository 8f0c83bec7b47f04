package io.caption4j.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.util.InputException;
import io.caption4j.util.JsonErrors;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * COCO captions JSON: {@code images} (each with {@code id} and {@code file_name}) and {@code annotations} (each with
 * {@code image_id} and {@code caption}); other fields are ignored. Streamed element by element so that every
 * problem can name the line of the element it is about.
 */
final class CocoCaptionReader {
    private static final ObjectMapper JSON = new ObjectMapper();

    private CocoCaptionReader() {}

    private record Located(JsonNode node, long line) {}

    static List<RawCaption> read(Path file, Problems problems) throws IOException {
        List<Located> images = new ArrayList<>();
        List<Located> annotations = new ArrayList<>();
        try (JsonParser parser = JSON.createParser(file.toFile())) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw InputException.at(file, 1, "expected a COCO captions object {\"images\": [...], "
                        + "\"annotations\": [...]}");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                switch (field) {
                    case "images" -> readArray(file, parser, field, images);
                    case "annotations" -> readArray(file, parser, field, annotations);
                    default -> parser.skipChildren();
                }
            }
        } catch (JsonProcessingException e) {
            throw JsonErrors.malformed(file, "JSON", e);
        }
        if (images.isEmpty() && annotations.isEmpty()) {
            throw InputException.at(file, "no \"images\" or \"annotations\"; not a COCO captions file");
        }
        return captionsInImageOrder(file, fileNames(file, images, problems), annotations, problems);
    }

    private static void readArray(Path file, JsonParser parser, String field, List<Located> into) throws IOException {
        if (parser.currentToken() != JsonToken.START_ARRAY) {
            throw InputException.at(file, parser.currentTokenLocation().getLineNr(), "\"" + field
                    + "\" must be an array");
        }
        while (parser.nextToken() != JsonToken.END_ARRAY) {
            long line = parser.currentTokenLocation().getLineNr();
            into.add(new Located(parser.readValueAsTree(), line));
        }
    }

    private static Map<Long, String> fileNames(Path file, List<Located> images, Problems problems) {
        Map<Long, String> names = new LinkedHashMap<>();
        for (Located image : images) {
            JsonNode id = image.node().path("id");
            JsonNode name = image.node().path("file_name");
            if (!id.canConvertToLong() || !name.isTextual()) {
                problems.report(InputException.at(file, image.line(),
                        "image entry needs a numeric \"id\" and a \"file_name\"; skipped"));
                continue;
            }
            names.put(id.asLong(), name.asText());
        }
        return names;
    }

    private static List<RawCaption> captionsInImageOrder(Path file, Map<Long, String> names,
            List<Located> annotations, Problems problems) {
        Map<Long, List<RawCaption>> byImage = new LinkedHashMap<>();
        names.keySet().forEach(id -> byImage.put(id, new ArrayList<>()));
        for (Located annotation : annotations) {
            JsonNode imageId = annotation.node().path("image_id");
            JsonNode caption = annotation.node().path("caption");
            if (!imageId.canConvertToLong() || !caption.isTextual()) {
                problems.report(InputException.at(file, annotation.line(),
                        "annotation needs a numeric \"image_id\" and a \"caption\"; skipped"));
            } else if (!names.containsKey(imageId.asLong())) {
                problems.report(InputException.at(file, annotation.line(),
                        "annotation for image_id " + imageId.asLong() + ", which \"images\" does not list; skipped"));
            } else {
                byImage.get(imageId.asLong()).add(
                        new RawCaption(names.get(imageId.asLong()), caption.asText(), annotation.line()));
            }
        }
        return byImage.values().stream().flatMap(List::stream).toList();
    }
}

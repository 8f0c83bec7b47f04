package io.caption4j.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the COCO caption formats with Jackson's streaming parser: references as a COCO captions file
 * ({@code images} + {@code annotations}) and results as {@code [{"image_id": ..., "caption": ...}]}. Image ids may
 * be numbers or strings and are compared as text. Every problem is an {@link InputException} naming file and line.
 */
public final class CocoCaptionFiles {
    private static final JsonFactory JSON = new JsonFactory();
    private static final Set<String> USED_FIELDS = Set.of("id", "image_id", "caption");

    private CocoCaptionFiles() {}

    /**
     * @return image id → reference captions in file order; images listed in {@code images} come first, in that
     *     order, possibly with no captions; images only named by annotations follow
     */
    public static Map<String, List<String>> readReferences(Path file) {
        Map<String, List<String>> references = new LinkedHashMap<>();
        parse(file, p -> {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, file, "a COCO captions object {\"images\", \"annotations\"}");
            boolean sawAnnotations = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (field.equals("images")) {
                    forEachObject(p, value, file, "images", entry -> {
                        String id = entry.id("id");
                        references.computeIfAbsent(id, k -> new ArrayList<>());
                    });
                } else if (field.equals("annotations")) {
                    sawAnnotations = true;
                    forEachObject(p, value, file, "annotations", entry -> references
                            .computeIfAbsent(entry.id("image_id"), k -> new ArrayList<>()).add(entry.caption()));
                } else {
                    p.skipChildren();
                }
            }
            if (!sawAnnotations) {
                throw InputException.at(file, "no \"annotations\" array: not a COCO captions file");
            }
        });
        return references;
    }

    /**
     * Reads results and checks them against the references: every image id must be known and have at least one
     * reference caption, and have exactly one result. An empty caption is allowed and scores 0, as in pycocoevalcap.
     *
     * @return image id → candidate caption, in the references' image order (pycocoevalcap's order)
     */
    public static Map<String, String> readResults(Path file, Map<String, List<String>> references, Path referencesFile) {
        Map<String, String> captions = new HashMap<>();
        Map<String, Long> lineOf = new HashMap<>();
        parse(file, p -> {
            expect(p, p.nextToken(), JsonToken.START_ARRAY, file, "an array of {\"image_id\", \"caption\"}");
            forEachObject(p, JsonToken.START_ARRAY, file, "results", entry -> {
                String id = entry.id("image_id");
                String caption = entry.caption();
                List<String> refs = references.get(id);
                if (refs == null) {
                    throw InputException.at(file, entry.line, "image_id " + id + " is not in the references "
                            + referencesFile);
                }
                if (refs.isEmpty()) {
                    throw InputException.at(file, entry.line, "image_id " + id + " has no reference captions in "
                            + referencesFile);
                }
                Long first = lineOf.putIfAbsent(id, entry.line);
                if (first != null) {
                    throw InputException.at(file, entry.line, "a second result for image_id " + id
                            + " (the first is on line " + first + "); give one caption per image");
                }
                captions.put(id, caption);
            });
        });
        if (captions.isEmpty()) {
            throw InputException.at(file, "no results");
        }
        Map<String, String> ordered = new LinkedHashMap<>();
        for (String id : references.keySet()) {
            String caption = captions.get(id);
            if (caption != null) {
                ordered.put(id, caption);
            }
        }
        return ordered;
    }

    // --- streaming helpers ----------------------------------------------------------------------------------------

    @FunctionalInterface
    private interface Body {
        void read(JsonParser p) throws IOException;
    }

    @FunctionalInterface
    private interface EntryHandler {
        void accept(Entry entry);
    }

    /** One object of an array, with the fields we use. */
    private static final class Entry {
        final Path file;
        final String array;
        final long line;
        final Map<String, String> fields = new HashMap<>();

        Entry(Path file, String array, long line) {
            this.file = file;
            this.array = array;
            this.line = line;
        }

        String id(String field) {
            String id = fields.get(field);
            if (id == null) {
                throw InputException.at(file, line, "an entry of \"" + array + "\" has no \"" + field + "\"");
            }
            return id;
        }

        String caption() {
            String caption = fields.get("caption");
            if (caption == null) {
                throw InputException.at(file, line, "an entry of \"" + array + "\" has no \"caption\" string");
            }
            return caption;
        }
    }

    private static void parse(Path file, Body body) {
        try (InputStream in = Files.newInputStream(file); JsonParser p = JSON.createParser(in)) {
            body.read(p);
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            long column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
            throw InputException.at(file, line, "column " + column + ": not valid JSON: " + jacksonProblem(e));
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "no such file");
        } catch (IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        }
    }

    /** Jackson's message without its pointer to an unnamed source, which our prefix already gives. */
    private static String jacksonProblem(JsonProcessingException e) {
        return e.getOriginalMessage().replaceAll("\\s*\\(start marker at \\[Source: [^\\]]*\\]\\)", "")
                .replace('\n', ' ');
    }

    private static void expect(JsonParser p, JsonToken actual, JsonToken expected, Path file, String what) {
        if (actual != expected) {
            throw InputException.at(file, p.currentTokenLocation().getLineNr(), "expected " + what);
        }
    }

    /** Calls handler for each object of the array whose START_ARRAY is the current token. */
    private static void forEachObject(JsonParser p, JsonToken start, Path file, String array, EntryHandler handler)
            throws IOException {
        expect(p, start, JsonToken.START_ARRAY, file, "\"" + array + "\" to be an array");
        for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
            expect(p, t, JsonToken.START_OBJECT, file, "objects in \"" + array + "\"");
            Entry entry = new Entry(file, array, p.currentTokenLocation().getLineNr());
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (USED_FIELDS.contains(name) && (value == JsonToken.VALUE_STRING
                        || (value == JsonToken.VALUE_NUMBER_INT && !name.equals("caption")))) {
                    entry.fields.put(name, p.getText());
                } else {
                    p.skipChildren();
                }
            }
            handler.accept(entry);
        }
    }
}

package io.caption4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CocoCaptionFilesTest {
    private static final String REFS = """
            {"images": [{"id": 1}, {"id": 2}, {"id": 3}],
             "annotations": [
               {"image_id": 1, "id": 10, "caption": "A cat on a mat."},
               {"image_id": 2, "id": 11, "caption": "A dog in the park."},
               {"image_id": 1, "id": 12, "caption": "A cat sits on a mat."}
             ]}
            """;

    @TempDir
    Path dir;

    @Test
    void readsReferencesInFileOrderIncludingImagesWithoutCaptions() throws IOException {
        Map<String, List<String>> refs = CocoCaptionFiles.readReferences(write("refs.json", REFS));
        assertEquals(List.of("1", "2", "3"), List.copyOf(refs.keySet()));
        assertEquals(List.of("A cat on a mat.", "A cat sits on a mat."), refs.get("1"));
        assertEquals(List.of(), refs.get("3"));
    }

    @Test
    void readsResultsInReferenceOrderAndOnlyThoseImages() throws IOException {
        Path refsFile = write("refs.json", REFS);
        Map<String, String> results = CocoCaptionFiles.readResults(write("res.json",
                "[{\"image_id\": 2, \"caption\": \"a dog\"}, {\"image_id\": \"1\", \"caption\": \"a cat\"}]"),
                CocoCaptionFiles.readReferences(refsFile), refsFile);
        assertEquals(Map.of("1", "a cat", "2", "a dog"), results);
        assertEquals(List.of("1", "2"), List.copyOf(results.keySet()));
    }

    @Test
    void unknownImageIdIsAnErrorWithItsLine() throws IOException {
        String message = resultsProblem("[{\"image_id\": 1, \"caption\": \"a cat\"},\n{\"image_id\": 99, \"caption\": \"x\"}]");
        assertTrue(message.matches(".*res\\.json:2: image_id 99 is not in the references .*refs\\.json"), message);
    }

    @Test
    void duplicateResultForAnImageIsAnError() throws IOException {
        String message = resultsProblem("[{\"image_id\": 1, \"caption\": \"a cat\"},\n\n{\"image_id\": 1, \"caption\": \"b\"}]");
        assertTrue(message.endsWith("res.json:3: a second result for image_id 1 (the first is on line 1); give one "
                + "caption per image"), message);
    }

    @Test
    void resultForAnImageWithZeroReferenceCaptionsIsAnError() throws IOException {
        String message = resultsProblem("[{\"image_id\": 3, \"caption\": \"a cat\"}]");
        assertTrue(message.matches(".*res\\.json:1: image_id 3 has no reference captions in .*refs\\.json"), message);
    }

    @Test
    void missingCaptionIsAnError() throws IOException {
        String message = resultsProblem("[{\"image_id\": 1}]");
        assertTrue(message.endsWith("res.json:1: an entry of \"results\" has no \"caption\" string"), message);
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws IOException {
        String message = resultsProblem("[{\"image_id\": 1,\n  \"caption\": \"a cat\" \"x\"}]");
        assertTrue(message.contains("res.json:2: column 22: not valid JSON: Unexpected character"), message);
    }

    @Test
    void truncatedJsonIsOneCleanLine() throws IOException {
        String message = resultsProblem("[{\"image_id\": 1, \"caption\": \"x\"");
        assertTrue(message.endsWith("res.json:1: column 32: not valid JSON: Unexpected end-of-input: expected close "
                + "marker for Object"), message);
    }

    @Test
    void nonUtf8BytesAreAnErrorWithLine() throws IOException {
        Path refsFile = write("refs.json", REFS);
        byte[] bad = "[{\"image_id\": 1,\n \"caption\": \"caf\u00e9\"}]".getBytes(StandardCharsets.ISO_8859_1);
        Path results = dir.resolve("res.json");
        Files.write(results, bad);
        InputException e = assertThrows(InputException.class, () -> CocoCaptionFiles.readResults(results,
                CocoCaptionFiles.readReferences(refsFile), refsFile));
        assertTrue(e.getMessage().contains("res.json:2: column") && e.getMessage().contains("Invalid UTF-8"),
                e.getMessage());
    }

    @Test
    void emptyResultsAndWrongShapesAreErrors() throws IOException {
        assertTrue(resultsProblem("[]").endsWith("res.json: no results"));
        assertTrue(resultsProblem("{\"image_id\": 1}").endsWith("res.json:1: expected an array of {\"image_id\", "
                + "\"caption\"}"));
        InputException e = assertThrows(InputException.class,
                () -> CocoCaptionFiles.readReferences(write("refs.json", "{\"images\": []}")));
        assertTrue(e.getMessage().endsWith("refs.json: no \"annotations\" array: not a COCO captions file"));
        e = assertThrows(InputException.class, () -> CocoCaptionFiles.readReferences(dir.resolve("missing.json")));
        assertTrue(e.getMessage().endsWith("missing.json: no such file"));
    }

    private String resultsProblem(String resultsJson) throws IOException {
        Path refsFile = write("refs.json", REFS);
        Path results = write("res.json", resultsJson);
        Map<String, List<String>> refs = CocoCaptionFiles.readReferences(refsFile);
        return assertThrows(InputException.class, () -> CocoCaptionFiles.readResults(results, refs, refsFile))
                .getMessage();
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }
}

package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluateCommandTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @Test
    void jsonHasTheSixMetricsAndPerImageScores() throws IOException {
        int code = run("evaluate", "--references", refs(), "--results",
                results("[{\"image_id\": 1, \"caption\": \"A cat sits on the mat.\"},"
                        + " {\"image_id\": 2, \"caption\": \"two birds\"}]"), "--json", "--per-image");
        assertEquals(0, code, err.toString());
        JsonNode json = new ObjectMapper().readTree(out.toString(StandardCharsets.UTF_8));
        List<String> keys = List.of("Bleu_1", "Bleu_2", "Bleu_3", "Bleu_4", "ROUGE_L", "CIDEr", "per_image");
        List<String> actual = new java.util.ArrayList<>();
        json.fieldNames().forEachRemaining(actual::add);
        assertEquals(keys, actual);
        assertEquals(1.0, json.at("/per_image/1/Bleu_4").asDouble(), 1e-9);
        assertEquals(1.0, json.at("/per_image/1/ROUGE_L").asDouble(), 1e-12);
        assertEquals(0.0, json.at("/per_image/2/ROUGE_L").asDouble());
        // corpus ROUGE-L and CIDEr are means over the images
        assertEquals(0.5, json.get("ROUGE_L").asDouble(), 1e-12);
        assertEquals((json.at("/per_image/1/CIDEr").asDouble() + json.at("/per_image/2/CIDEr").asDouble()) / 2,
                json.get("CIDEr").asDouble(), 1e-12);
    }

    @Test
    void textModePrintsATable() throws IOException {
        int code = run("evaluate", "--references", refs(), "--results",
                results("[{\"image_id\": 2, \"caption\": \"A dog runs in the park.\"}]"));
        assertEquals(0, code, err.toString());
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("images   1\nBleu_1   1.000000\n"), text);
        assertTrue(text.contains("\nROUGE_L  1.000000\n"), text);
        assertFalse(text.contains("per_image"));
    }

    @Test
    void badInputIsOneErrorLineAndExitCodeOne() throws IOException {
        int code = run("evaluate", "--references", refs(), "--results",
                results("[{\"image_id\": 7, \"caption\": \"a cat\"}]"));
        assertEquals(1, code);
        String message = err.toString(StandardCharsets.UTF_8);
        assertTrue(message.matches("error: .*results\\.json:1: image_id 7 is not in the references .*refs\\.json\\R"),
                message);
    }

    @Test
    void resultsWithoutReferencesIsAUsageError() {
        assertEquals(2, run("evaluate", "--results", "x.json"));
    }

    private int run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            return Main.run(args);
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private String refs() throws IOException {
        return Files.writeString(dir.resolve("refs.json"), """
                {"images": [{"id": 1}, {"id": 2}, {"id": 3}], "annotations": [
                  {"image_id": 1, "caption": "A cat sits on the mat."},
                  {"image_id": 1, "caption": "A cat is lying on a mat."},
                  {"image_id": 2, "caption": "A dog runs in the park."},
                  {"image_id": 3, "caption": "Two people on a beach."}]}
                """).toString();
    }

    private String results(String json) throws IOException {
        return Files.writeString(dir.resolve("results.json"), json).toString();
    }
}

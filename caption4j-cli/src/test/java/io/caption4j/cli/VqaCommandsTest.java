package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** train --model-type vqa, ask and evaluate on a VQA model trained for one epoch on a tiny synthetic world. */
class VqaCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Path run;
    static Path image;
    static List<String> answers;

    @BeforeAll
    static void trainTinyModel() throws Exception {
        run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--model-type", "vqa", "--synthetic", "30", "--out", run.toString(),
                "--epochs", "1", "--batch-size", "16", "--warmup", "5", "--image-size", "32", "--feature-size", "16",
                "--embedding", "16", "--hidden", "32", "--attention", "16", "--heads", "2", "--fusion", "product");
        assertEquals(0, train.exitCode(), train.err());
        assertTrue(train.out().contains("product fusion"), train.out());
        answers = JSON.readValue(run.resolve("model/answers.json").toFile(), new TypeReference<List<String>>() {});
        image = run.resolve("synthetic-30-seed1/images/00000.png");
    }

    @Test
    void askPrintsTheAnswerAndItsProbability() {
        CliRun ask = CliRun.of("ask", "--model", run.toString(), image.toString(), "what colour is the circle?");
        assertEquals(0, ask.exitCode(), ask.err());
        String[] fields = ask.out().strip().split("\t");
        assertEquals(2, fields.length, ask.out());
        assertTrue(answers.contains(fields[0]), fields[0]);
        double p = Double.parseDouble(fields[1]);
        assertTrue(p > 1.0 / answers.size() && p <= 1, "the best answer beats a uniform guess: " + p);
        assertEquals("", ask.err());
    }

    @Test
    void askJsonListsTheTopAnswersBestFirst() throws Exception {
        CliRun ask = CliRun.of("ask", "--model", run.toString(), "--json", "--top-k", "3", image.toString(),
                "how many stars are there?");
        assertEquals(0, ask.exitCode(), ask.err());
        JsonNode json = JSON.readTree(ask.out());
        JsonNode top = json.get("top");
        assertEquals(3, top.size());
        assertEquals(json.get("answer").asText(), top.get(0).get("answer").asText());
        assertEquals(json.get("probability").asDouble(), top.get(0).get("probability").asDouble(), 1e-9);
        double sum = 0;
        for (int i = 0; i < 3; i++) {
            double p = top.get(i).get("probability").asDouble();
            assertTrue(i == 0 || p <= top.get(i - 1).get("probability").asDouble(), "best first");
            sum += p;
        }
        assertTrue(sum > 0 && sum <= 1 + 1e-6, "top-3 probability mass " + sum);
        assertEquals(0, json.get("unknown_words").size());
    }

    @Test
    void unknownWordsAreReadAsUnkAndNamed() throws Exception {
        CliRun ask = CliRun.of("ask", "--model", run.toString(), "--json", image.toString(),
                "what colour is the zorblax?");
        assertEquals(0, ask.exitCode(), ask.err());
        assertEquals("note: words the model does not know, read as <unk>: zorblax", ask.err().strip());
        assertEquals("[\"zorblax\"]", JSON.readTree(ask.out()).get("unknown_words").toString());

        CliRun unknown = CliRun.of("ask", "--model", run.toString(), image.toString(), "zorblax quux?");
        assertEquals(0, unknown.exitCode(), unknown.err());
        assertEquals("warning: the model knows none of the question's words, so the answer is a guess",
                unknown.err().strip());
        assertEquals(1, unknown.out().lines().count());
    }

    @Test
    void badImageOrQuestionIsOneErrorLine() throws Exception {
        Path missing = dir.resolve("missing.png");
        Path text = Files.writeString(dir.resolve("notes.png"), "this is not an image");
        for (String[] args : List.of(new String[] {missing.toString(), "what colour is the circle?"},
                new String[] {text.toString(), "what colour is the circle?"},
                new String[] {image.toString(), "  "})) {
            CliRun ask = CliRun.of("ask", "--model", run.toString(), args[0], args[1]);
            assertEquals(1, ask.exitCode(), ask.err());
            assertEquals("", ask.out());
            assertEquals(1, ask.err().lines().count(), ask.err());
            assertTrue(ask.err().startsWith("error: "), ask.err());
            assertFalse(ask.err().contains("Exception"), ask.err());
        }
        assertTrue(CliRun.of("ask", "--model", run.toString(), missing.toString(), "what?").err()
                .contains(missing + ": no such file"));
        assertEquals("error: the question is empty", CliRun.of("ask", "--model", run.toString(), image.toString(), "")
                .err().strip());
    }

    @Test
    void evaluatePrintsAccuracyPerQuestionType() throws Exception {
        CliRun eval = CliRun.of("evaluate", "--model", run.toString(), "--synthetic", "30", "--split", "test");
        assertEquals(0, eval.exitCode(), eval.err());
        List<String> lines = eval.out().lines().toList();
        assertEquals(7, lines.size(), eval.out());
        assertTrue(lines.get(0).matches("product fusion, small CNN, test split: [0-9]+ images"), lines.get(0));
        assertEquals(List.of("type", "colour", "count", "relation", "shape", "overall"),
                lines.subList(1, 7).stream().map(l -> l.split("\\s+")[0]).toList());
        Path world = run.resolve("synthetic-30-seed1");
        Set<String> test = new HashSet<>();
        JSON.readTree(world.resolve("splits.json").toFile()).get("test").forEach(id -> test.add(id.asText()));
        long testQuestions = 0;
        for (String line : Files.readAllLines(world.resolve("questions.jsonl"))) {
            testQuestions += test.contains(JSON.readTree(line).get("image").asText()) ? 1 : 0;
        }
        JsonNode json = JSON.readTree(CliRun.of("evaluate", "--model", run.toString(), "--synthetic", "30", "--split",
                "test", "--json").out());
        String[] overall = lines.get(6).trim().split("\\s+");
        assertEquals(testQuestions, Integer.parseInt(overall[1]));
        assertEquals(testQuestions, json.get("questions").asInt());
        assertEquals(json.get("accuracy").asDouble(), Double.parseDouble(overall[2]), 1e-4);
        double accuracy = json.get("accuracy").asDouble();
        assertTrue(accuracy >= 0 && accuracy <= 1);
    }

    @Test
    void vqaTrainingNeedsTheSyntheticWorld() {
        CliRun train = CliRun.of("train", "--model-type", "vqa", "--images", "x", "--captions", "y.csv", "--out",
                dir.resolve("other").toString());
        assertEquals(1, train.exitCode());
        assertEquals("error: --model-type vqa trains on the synthetic world's questions: give --synthetic N",
                train.err().strip());
    }
}

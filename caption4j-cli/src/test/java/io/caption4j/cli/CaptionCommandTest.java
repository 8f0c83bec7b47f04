package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.model.Captioner;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.text.Vocabulary;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The caption command on good and bad input; the model is untrained, so only shapes and messages are checked. */
class CaptionCommandTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path good;

    @BeforeAll
    static void setUp() throws Exception {
        Vocabulary vocabulary = Vocabulary.build(List.of(List.of("a", "red", "circle")), 1);
        CaptionerConfig config = new CaptionerConfig(CaptionerConfig.SMALL_CNN, "pixels", 32, 16, vocabulary.size(),
                8, 16, 8, 0f, "pooled", 5, false);
        model = dir.resolve("model");
        try (Captioner captioner = Captioner.create(config, vocabulary, 1)) {
            captioner.save(model);
        }
        good = dir.resolve("good.png");
        BufferedImage image = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        image.getGraphics().setColor(Color.RED);
        image.getGraphics().fillRect(0, 0, 20, 20);
        ImageIO.write(image, "png", good.toFile());
    }

    @Test
    void captionsAnImageAsJsonWithPerWordProbabilities() throws Exception {
        CliRun run = CliRun.of("caption", "--model", model.toString(), "--json", "--beam", "2", "--n-best", "2",
                "--attention", good.toString());
        assertEquals(0, run.exitCode(), run.err());
        JsonNode json = new ObjectMapper().readTree(run.out().strip());
        assertEquals(good.toString(), json.get("image").asText());
        assertEquals(2, json.get("n_best").size());
        assertEquals("[4,4]", json.get("attention_grid").toString());
        JsonNode words = json.get("words");
        assertTrue(words.size() <= 5, "max length is 5");
        for (JsonNode word : words) {
            double p = word.get("probability").asDouble();
            assertTrue(p > 0 && p <= 1, "probability in (0, 1]: " + p);
            assertEquals(16, word.get("attention").size(), "4x4 regions for a 32 px input");
        }
        assertEquals(json.get("caption").asText(), json.get("n_best").get(0).get("caption").asText());
    }

    @Test
    void anEnsembleOfAModelWithItselfCaptionsLikeTheModel() throws Exception {
        CliRun single = CliRun.of("caption", "--model", model.toString(), good.toString());
        CliRun twice = CliRun.of("caption", "--model", model.toString(), "--model", model.toString(), good.toString());
        assertEquals(0, twice.exitCode(), twice.err());
        assertEquals(single.out(), twice.out());
    }

    @Test
    void anEnsembleMemberOfAnotherKindIsRefusedInOneLine() throws Exception {
        Path vocabularyOnly = Files.createDirectories(dir.resolve("not-a-model"));
        CliRun run = CliRun.of("caption", "--model", model.toString(), "--model", vocabularyOnly.toString(),
                good.toString());
        assertEquals(1, run.exitCode());
        assertEquals(1, run.err().lines().count(), run.err());
        assertTrue(run.err().startsWith("error: ") && run.err().contains("not-a-model"), run.err());
    }

    @Test
    void badFilesAreReportedOneLineEachAndTheRestIsCaptioned() throws Exception {
        Path empty = Files.write(dir.resolve("empty.jpg"), new byte[0]);
        Path text = Files.writeString(dir.resolve("notes.jpg"), "this is not an image");
        Path missing = dir.resolve("missing.png");
        CliRun run = CliRun.of("caption", "--model", model.toString(), empty.toString(), good.toString(),
                text.toString(), missing.toString());
        assertEquals(1, run.exitCode());
        assertEquals(1, run.out().lines().count(), run.out());
        assertTrue(run.out().startsWith(good + "\t"));
        List<String> errors = run.err().lines().toList();
        assertEquals(3, errors.size(), run.err());
        assertTrue(errors.stream().allMatch(l -> l.startsWith("error: ")), run.err());
        assertTrue(run.err().contains(empty.toString()) && run.err().contains(text.toString())
                && run.err().contains(missing.toString()));
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void beamZeroIsAUsageErrorWithoutStackTrace() {
        CliRun run = CliRun.of("caption", "--model", model.toString(), "--beam", "0", good.toString());
        assertEquals(1, run.exitCode());
        assertTrue(run.err().contains("--beam must be at least 1"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void samplingDrawsTheAskedNumberOfCaptionsReproduciblyAndTopOneIsGreedy() throws Exception {
        String[] sample = {"caption", "--model", model.toString(), "--json", "--sample", "--n-best", "4",
            "--temperature", "3", good.toString()};
        CliRun first = CliRun.of(sample);
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(4, new ObjectMapper().readTree(first.out().strip()).get("n_best").size());
        assertEquals(first.out(), CliRun.of(sample).out(), "the same --sample-seed draws the same captions");

        CliRun greedy = CliRun.of("caption", "--model", model.toString(), good.toString());
        CliRun topOne = CliRun.of("caption", "--model", model.toString(), "--sample", "--top-k", "1", good.toString());
        assertEquals(0, topOne.exitCode(), topOne.err());
        assertEquals(greedy.out(), topOne.out());
    }

    @Test
    void aMinimumLengthKeepsTheEndTokenAwayAndBadRulesAreUsageErrors() throws Exception {
        for (String beam : List.of("1", "3")) {
            CliRun run = CliRun.of("caption", "--model", model.toString(), "--json", "--beam", beam, "--min-length", "5",
                    "--max-length", "5", "--repetition-penalty", "1.3", "--no-repeat-ngram", "3", good.toString());
            assertEquals(0, run.exitCode(), run.err());
            assertEquals(5, new ObjectMapper().readTree(run.out().strip()).get("words").size(), "beam " + beam);
        }
        CliRun tooLong = CliRun.of("caption", "--model", model.toString(), "--min-length", "6", good.toString(),
                "--max-length", "5");
        assertEquals(1, tooLong.exitCode());
        assertEquals("error: --min-length 6 is more than --max-length 5", tooLong.err().strip());
        CliRun penalty = CliRun.of("caption", "--model", model.toString(), "--repetition-penalty", "0", good.toString());
        assertEquals(1, penalty.exitCode());
        assertTrue(penalty.err().contains("--repetition-penalty must be positive"), penalty.err());
        assertFalse(penalty.err().contains("\tat "), penalty.err());
    }

    @Test
    void samplingSettingsOutOfPlaceAreUsageErrors() {
        CliRun withBeam = CliRun.of("caption", "--model", model.toString(), "--sample", "--beam", "3", good.toString());
        assertEquals(1, withBeam.exitCode());
        assertEquals(1, withBeam.err().lines().count(), withBeam.err());
        assertTrue(withBeam.err().contains("--sample") && withBeam.err().contains("--beam"), withBeam.err());
        CliRun alone = CliRun.of("caption", "--model", model.toString(), "--temperature", "0.7", good.toString());
        assertEquals(1, alone.exitCode());
        assertTrue(alone.err().contains("only with --sample"), alone.err());
        assertFalse(alone.err().contains("\tat "), alone.err());
    }

    @Test
    void corruptedOrMissingWeightsAreRefusedClearly() throws Exception {
        Path broken = dir.resolve("broken");
        copy(model, broken);
        byte[] weights = Files.readAllBytes(broken.resolve("weights.safetensors"));
        weights[weights.length - 3] ^= 0x55;
        Files.write(broken.resolve("weights.safetensors"), weights);
        CliRun corrupted = CliRun.of("caption", "--model", broken.toString(), good.toString());
        assertEquals(1, corrupted.exitCode());
        assertTrue(corrupted.err().contains("weights.safetensors") && corrupted.err().contains("corrupted"),
                corrupted.err());

        Files.delete(broken.resolve("weights.safetensors"));
        CliRun missing = CliRun.of("caption", "--model", broken.toString(), good.toString());
        assertEquals(1, missing.exitCode());
        assertTrue(missing.err().contains("weights.safetensors") && missing.err().contains("missing"), missing.err());
        assertFalse(missing.err().contains("\tat "), missing.err());
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }
}

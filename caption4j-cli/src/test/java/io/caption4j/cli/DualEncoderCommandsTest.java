package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.data.synthetic.SyntheticWorld;
import io.caption4j.model.joint.DualEncoder;
import io.caption4j.model.joint.DualEncoderConfig;
import io.caption4j.text.Vocabulary;
import io.caption4j.vision.FrozenBackbone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** classify and evaluate on a tiny untrained dual encoder: what the commands print, not how well it classifies. */
class DualEncoderCommandsTest {
    @TempDir
    static Path dir;
    static Path model;
    static Path images;

    @BeforeAll
    static void tinyModelAndImages() throws Exception {
        Path json = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "mobilenetv2-tm",
                "model.json");
        assertTrue(Files.isRegularFile(json), "MobileNetV2 fixture missing: " + json.toAbsolutePath());
        Vocabulary vocabulary = Vocabulary.build(List.of(List.of("a", "photo", "of", "red", "blue", "circle")), 1);
        FrozenBackbone backbone = FrozenBackbone.mobileNetV2(json);
        DualEncoderConfig config = new DualEncoderConfig(DualEncoderConfig.TRAINED, DualEncoderConfig.MEAN, 0, 16, 8,
                vocabulary.size(), 8, 8, 10, 0f, "", "").withBackbone(backbone.encoder());
        model = dir.resolve("model");
        try (DualEncoder encoder = DualEncoder.create(config, vocabulary, 1, backbone)) {
            encoder.save(model);
        }
        Path world = dir.resolve("world");
        new SyntheticWorld(3, SyntheticWorld.DEFAULT_IMAGE_SIZE).writeDataset(world, 3);
        images = world.resolve("images");
    }

    @Test
    void classifyPrintsProbabilitiesThatSumToOnePerImage() throws Exception {
        CliRun run = CliRun.of("classify", "--model", model.toString(), "--labels", "red circle, blue circle,dog",
                "--template", "a photo of a {}", "--template", "a {}", "--json", images.toString());
        assertEquals(0, run.exitCode(), run.err());
        List<String> lines = run.out().lines().toList();
        assertEquals(3, lines.size(), run.out());
        for (String line : lines) {
            JsonNode result = new ObjectMapper().readTree(line);
            assertTrue(result.get("image").asText().endsWith(".png"), line);
            double sum = 0;
            double previous = 1;
            Set<String> labels = new HashSet<>();
            for (JsonNode label : result.get("labels")) {
                double p = label.get("probability").asDouble();
                assertTrue(p <= previous, "most probable first: " + line);
                previous = p;
                sum += p;
                labels.add(label.get("label").asText());
            }
            assertEquals(1.0, sum, 1e-5, line);
            assertEquals(Set.of("red circle", "blue circle", "dog"), labels);
        }
        CliRun table = CliRun.of("classify", "--model", model.toString(), "--labels", "red,blue", "--top", "1",
                images.resolve("00000.png").toString());
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().matches("(?s).*00000\\.png: +(red|blue) [01]\\.\\d{3}\\R"), table.out());
    }

    @Test
    void emptyOrDuplicateLabelsAreOneErrorLine() {
        for (List<String> labels : List.of(List.of("", "the labels list is empty"),
                List.of("dog,cat,dog", "label \"dog\" is given twice"), List.of("dog,,cat", "label 2 of 3 is empty"))) {
            CliRun run = CliRun.of("classify", "--model", model.toString(), "--labels", labels.get(0),
                    images.toString());
            assertEquals(1, run.exitCode(), run.err());
            assertEquals("", run.out());
            assertEquals(1, run.err().lines().count(), run.err());
            assertTrue(run.err().startsWith("error: " + labels.get(1)), run.err());
        }
    }

    /** Only captioners, ClipCap and VQA record the backbone's input side; a dual encoder reads it as exported. */
    @Test
    void imageSizeIsRefusedForADualEncoderAndMustSuitMobileNetV2() {
        String json = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "mobilenetv2-tm",
                "model.json").toString();
        CliRun dual = CliRun.of("train", "--model-type", "dual-encoder", "--backbone", json, "--image-size", "320",
                "--synthetic", "3", "--out", dir.resolve("refused-dual").toString());
        assertEquals(1, dual.exitCode(), dual.err());
        assertEquals("error: --image-size is not supported for --model-type dual-encoder: it reads the backbone at"
                + " the size it was exported for", dual.err().strip());
        CliRun odd = CliRun.of("train", "--encoder", "mobilenetv2", "--backbone", json, "--image-size", "300",
                "--synthetic", "20", "--out", dir.resolve("refused-size").toString());
        assertEquals(1, odd.exitCode(), odd.err());
        assertEquals("error: MobileNetV2 takes images whose side is a multiple of 32 pixels (its export: 224), got"
                + " 300", odd.err().strip());
    }

    @Test
    void evaluatePrintsRetrievalScoresForAJointModel() throws Exception {
        CliRun run = CliRun.of("evaluate", "--model", model.toString(), "--synthetic", "30", "--split", "test",
                "--json");
        assertEquals(0, run.exitCode(), run.err());
        JsonNode scores = new ObjectMapper().readTree(run.out());
        assertEquals(3, scores.get("images").asInt(), run.out());
        assertEquals(15, scores.get("texts").asInt());
        for (String direction : List.of("image_to_text", "text_to_image")) {
            JsonNode d = scores.get(direction);
            double r1 = d.get("R@1").asDouble();
            double r5 = d.get("R@5").asDouble();
            assertTrue(0 <= r1 && r1 <= r5 && r5 <= d.get("R@10").asDouble() && d.get("R@10").asDouble() <= 1,
                    run.out());
            assertTrue(d.get("median_rank").asDouble() >= 1, run.out());
        }
        assertEquals(1.0, scores.get("text_to_image").get("R@5").asDouble(), "only 3 images to rank");
        CliRun table = CliRun.of("evaluate", "--model", model.toString(), "--synthetic", "30", "--split", "test");
        assertEquals(0, table.exitCode(), table.err());
        assertTrue(table.out().contains("image→text") && table.out().contains("text→image"), table.out());
    }
}

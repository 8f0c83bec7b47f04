package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionDatasets;
import io.caption4j.data.Splits;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.eval.Baselines;
import io.caption4j.eval.CaptionEvaluation;
import io.caption4j.model.Captioner;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.util.Problems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End to end through the command line: train on a small synthetic world, then check on held-out images that the
 * model says what it sees, far better than the best image-blind caption.
 */
class SyntheticTrainingTest {

    @Test
    void trainedModelBeatsTheImageBlindBaselineOnHeldOutImages(@TempDir Path dir) throws Exception {
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--synthetic", "800", "--out", run.toString(), "--epochs", "3",
                "--hidden", "128", "--embedding", "64", "--attention", "64", "--feature-size", "64",
                "--lr", "0.004", "--warmup", "30", "--dropout", "0.1", "--min-count", "2");
        assertEquals(0, train.exitCode(), train.err());
        List<String> log = Files.readAllLines(run.resolve("train-log.jsonl"));
        assertEquals(3, log.size(), "one log line per epoch");
        JsonNode first = new ObjectMapper().readTree(log.get(0));
        assertTrue(first.get("validation").has("CIDEr"), log.get(0));

        Path world = dir.resolve("run").resolve("synthetic-800-seed1");
        CaptionDataset dataset = CaptionDatasets.read(world.resolve("captions.csv"), world.resolve("images"),
                Problems.silent());
        Splits splits = Splits.read(world.resolve("splits.json"), dataset, Problems.silent());
        CaptionDataset test = splits.apply(dataset, Splits.Split.TEST);
        try (Captioner captioner = Captioner.load(run)) {
            Map<String, Double> model = CaptionEvaluation.evaluate(captioner, test, DecodingOptions.greedy(16),
                    Problems.silent(), null).scores().corpus();
            Map<String, Double> blind = CaptionEvaluation.constantCaption(test,
                    Baselines.mostFrequentCaption(splits.apply(dataset, Splits.Split.TRAIN))).corpus();
            System.out.printf("test CIDEr-D: model %.3f, image-blind %.3f; BLEU-4 %.3f vs %.3f%n", model.get("CIDEr"),
                    blind.get("CIDEr"), model.get("Bleu_4"), blind.get("Bleu_4"));
            assertTrue(model.get("CIDEr") > 2 * blind.get("CIDEr") + 0.3,
                    "model " + model + " should beat the image-blind caption " + blind + " by a wide margin");
        }
    }

    /**
     * {@code --fine-tune-top}: MobileNetV2's features are cached from below its last layer, which the saved model
     * carries as its own trained block; the model captions from image files like any other.
     */
    @Test
    void aCaptionerThatFineTunesMobileNetsTopTrainsAndCaptions(@TempDir Path dir) throws Exception {
        Path backbone = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "mobilenetv2-tm",
                "model.json");
        assertTrue(Files.isRegularFile(backbone), "MobileNetV2 fixture missing: " + backbone.toAbsolutePath());
        Path run = dir.resolve("run");
        CliRun train = CliRun.of("train", "--synthetic", "40", "--encoder", "mobilenetv2", "--backbone",
                backbone.toString(), "--fine-tune-top", "--top-lr", "0.5", "--hidden", "32", "--embedding", "16",
                "--attention", "16", "--epochs", "1", "--feature-cache", dir.resolve("cache").toString(), "--out",
                run.toString());
        assertEquals(0, train.exitCode(), train.err());
        JsonNode config = new ObjectMapper().readTree(run.resolve("model/config.json").toFile());
        assertEquals(112, config.get("trunkChannels").asInt(), config.toString());
        assertEquals(1280, config.get("featureSize").asInt(), config.toString());

        Path image;
        try (var images = Files.list(run.resolve("synthetic-40-seed1/images"))) {
            image = images.sorted().findFirst().orElseThrow();
        }
        CliRun caption = CliRun.of("caption", "--model", run.toString(), "--json", "--attention", "--min-length", "2",
                image.toString());
        assertEquals(0, caption.exitCode(), caption.err());
        JsonNode line = new ObjectMapper().readTree(caption.out().lines().findFirst().orElseThrow());
        assertEquals("[7,7]", line.get("attention_grid").toString(), line.toString());
        assertEquals(49, line.get("words").get(0).get("attention").size(), line.toString());
    }

    @Test
    void gruTrainingOptionsAreRefusedWhereTheyCannotApply(@TempDir Path dir) {
        CliRun pixels = CliRun.of("train", "--synthetic", "40", "--out", dir.resolve("a").toString(), "--epochs", "1",
                "--flip");
        assertEquals(1, pixels.exitCode());
        assertTrue(pixels.err().contains("flip augmentation works on a frozen backbone's features"), pixels.err());
        assertTrue(!pixels.err().contains("Exception"), pixels.err());

        CliRun selfCritical = CliRun.of("train", "--synthetic", "40", "--out", dir.resolve("b").toString(),
                "--objective", "self-critical", "--scheduled-sampling", "0.25");
        assertEquals(1, selfCritical.exitCode());
        assertTrue(selfCritical.err().contains("are for cross-entropy training"), selfCritical.err());

        CliRun top = CliRun.of("train", "--synthetic", "40", "--out", dir.resolve("e").toString(), "--fine-tune-top");
        assertEquals(1, top.exitCode());
        assertEquals("error: --fine-tune-top needs --encoder mobilenetv2", top.err().strip());

        CliRun vqa = CliRun.of("train", "--model-type", "vqa", "--synthetic", "40", "--out",
                dir.resolve("c").toString(), "--flip");
        assertEquals(1, vqa.exitCode());
        assertTrue(vqa.err().contains("apply to --model-type gru only"), vqa.err());

        CliRun clipCap = CliRun.of("train", "--model-type", "clipcap", "--synthetic", "40", "--out",
                dir.resolve("d").toString(), "--feed-context");
        assertEquals(1, clipCap.exitCode());
        assertTrue(clipCap.err().contains("apply to --model-type gru only"), clipCap.err());
    }
}

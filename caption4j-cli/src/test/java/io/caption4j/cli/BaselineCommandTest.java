package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.data.synthetic.SyntheticWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The baselines of evaluate on a small synthetic world, with the MobileNetV2 fixture as the nearest-neighbour space. */
class BaselineCommandTest {
    @TempDir
    static Path dir;
    static List<String> data;

    @BeforeAll
    static void world() throws Exception {
        Path backbone = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "mobilenetv2-tm",
                "model.json");
        assertTrue(Files.isRegularFile(backbone), "MobileNetV2 fixture missing: " + backbone.toAbsolutePath());
        Path world = dir.resolve("world");
        new SyntheticWorld(5, SyntheticWorld.DEFAULT_IMAGE_SIZE).writeDataset(world, 40);
        data = List.of("evaluate", "--images", world.resolve("images").toString(), "--captions",
                world.resolve("captions.csv").toString(), "--splits", world.resolve("splits.json").toString(),
                "--backbone", backbone.toString(), "--feature-cache", dir.resolve("cache").toString(),
                "--baseline-split", "val");
    }

    private static CliRun run(String... extra) {
        List<String> args = new java.util.ArrayList<>(data);
        args.addAll(List.of(extra));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static double cider(CliRun run) {
        Matcher m = Pattern.compile("CIDEr\\s+([0-9.]+)").matcher(run.out());
        assertTrue(m.find(), run.out() + run.err());
        return Double.parseDouble(m.group(1));
    }

    @Test
    void theRetrievalBaselineBeatsTheImageBlindOneByEitherConsensus() {
        double blind = cider(run("--baseline", "most-frequent"));
        for (String consensus : List.of("bleu", "cider")) {
            CliRun nearest = run("--baseline", "nearest-neighbour", "--neighbours", "3", "--consensus", consensus);
            assertEquals(0, nearest.exitCode(), nearest.err());
            assertTrue(cider(nearest) > blind, consensus + ": " + cider(nearest) + " vs image-blind " + blind);
        }
    }

    @Test
    void anUnknownConsensusIsOneErrorLine() {
        CliRun run = run("--baseline", "nearest-neighbour", "--consensus", "rouge");
        assertEquals(1, run.exitCode());
        assertEquals("error: --consensus must be bleu or cider, got rouge", run.err().strip());
    }
}

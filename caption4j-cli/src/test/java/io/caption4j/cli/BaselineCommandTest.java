package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.data.synthetic.SyntheticWorld;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What evaluate does with the nearest training images, on a small synthetic world with the MobileNetV2 fixture as the
 * nearest-neighbour space: the baselines, and consensus reranking of a captioner's n-best.
 */
class BaselineCommandTest {
    @TempDir
    static Path dir;
    static List<String> data;
    static List<String> modelOnVal;

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
        List<String> dataset = List.of("--images", world.resolve("images").toString(), "--captions",
                world.resolve("captions.csv").toString(), "--splits", world.resolve("splits.json").toString(),
                "--feature-cache", dir.resolve("cache").toString());
        List<String> train = new ArrayList<>(List.of("train", "--encoder", "mobilenetv2", "--backbone",
                backbone.toString(), "--hidden", "32", "--embedding", "16", "--attention", "16", "--epochs", "2",
                "--out", dir.resolve("run").toString()));
        train.addAll(dataset);
        CliRun trained = CliRun.of(train.toArray(String[]::new));
        assertEquals(0, trained.exitCode(), trained.err());
        modelOnVal = new ArrayList<>(List.of("evaluate", "--model", dir.resolve("run").toString(), "--split", "val"));
        modelOnVal.addAll(dataset);
    }

    private static CliRun run(String... extra) {
        return run(data, extra);
    }

    private static CliRun run(List<String> base, String... extra) {
        List<String> args = new ArrayList<>(base);
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

    @Test
    void rerankingLeavesTheDecodersChoiceWhenItsScoreOutweighsTheAgreement() {
        CliRun plain = run(modelOnVal, "--beam", "3", "--n-best", "3");
        CliRun deferring = run(modelOnVal, "--beam", "3", "--n-best", "3", "--rerank-neighbours", "3",
                "--rerank-weight", "1e6");
        CliRun reranked = run(modelOnVal, "--beam", "3", "--n-best", "3", "--rerank-neighbours", "3");
        for (CliRun run : List.of(plain, deferring, reranked)) {
            assertEquals(0, run.exitCode(), run.err());
        }
        assertEquals(plain.out(), deferring.out());
        assertTrue(reranked.err().contains("reranked by agreement with the captions of the 3 nearest training images"),
                reranked.err());
        assertEquals(plain.out().lines().findFirst(), reranked.out().lines().findFirst(), "the same images scored");
    }

    @Test
    void rerankingNeedsAnNBestAndWeightsNeedReranking() {
        CliRun single = run(modelOnVal, "--rerank-neighbours", "3");
        assertEquals(1, single.exitCode());
        assertEquals("error: --rerank-neighbours chooses among each image's --n-best captions: give --n-best 2 or more"
                + " (with --beam at least as large, or --sample)", single.err().strip());
        CliRun weightAlone = run(modelOnVal, "--rerank-weight", "2");
        assertEquals(1, weightAlone.exitCode());
        assertEquals("error: --rerank-weight applies only with --rerank-neighbours", weightAlone.err().strip());
    }
}

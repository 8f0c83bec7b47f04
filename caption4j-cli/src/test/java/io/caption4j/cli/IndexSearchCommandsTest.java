package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * index and search end to end on a tiny untrained dual encoder (MobileNetV2 fixture backbone) and synthetic images:
 * what the commands print and refuse. The model knows nothing, so rankings are checked only where any model must
 * get them right: an image, or a caption, is its own nearest neighbour.
 */
class IndexSearchCommandsTest {
    private static final int MAX_WORDS = 10;

    @TempDir
    static Path dir;
    static Path model;
    static Path otherModel;
    static Path world;

    @TempDir
    Path work;

    @BeforeAll
    static void tinyModelsAndImages() throws Exception {
        model = dualEncoder(1, "model");
        otherModel = dualEncoder(2, "other-model");
        world = dir.resolve("world");
        new SyntheticWorld(3, SyntheticWorld.DEFAULT_IMAGE_SIZE).writeDataset(world, 4);
    }

    private static Path dualEncoder(long seed, String name) throws Exception {
        Path json = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "mobilenetv2-tm",
                "model.json");
        assertTrue(Files.isRegularFile(json), "MobileNetV2 fixture missing: " + json.toAbsolutePath());
        Vocabulary vocabulary = Vocabulary.build(List.of(List.of("a", "red", "blue", "circle", "square")), 1);
        FrozenBackbone backbone = FrozenBackbone.mobileNetV2(json);
        DualEncoderConfig config = new DualEncoderConfig(DualEncoderConfig.TRAINED, DualEncoderConfig.MEAN, 0, 16, 8,
                vocabulary.size(), 8, 8, MAX_WORDS, 0f, "", "").withBackbone(backbone.encoder());
        Path directory = dir.resolve(name);
        try (DualEncoder encoder = DualEncoder.create(config, vocabulary, seed, backbone)) {
            encoder.save(directory);
        }
        return directory;
    }

    @Test
    void indexesIncrementallyAndSearchesBothWaysAsJson() throws Exception {
        Path index = work.resolve("index");
        Path captions = world.resolve("captions.csv");
        String[] indexArgs = {"index", "--model", model.toString(), "--index", index.toString(), "--images",
            world.resolve("images").toString(), "--captions", captions.toString()};
        CliRun first = CliRun.of(indexArgs);
        assertEquals(0, first.exitCode(), first.err());
        int captionCount = (int) Files.lines(captions).count() - 1;
        assertTrue(first.out().contains("images: 4 added, 0 updated, 0 unchanged, 0 removed, 0 failed"), first.out());
        assertTrue(first.out().contains("captions of " + captions + ": " + captionCount + " added, 0 unchanged"),
                first.out());
        assertTrue(first.out().contains("index " + index + ": 4 images, " + captionCount + " captions"), first.out());

        CliRun again = CliRun.of(Stream.concat(Stream.of(indexArgs), Stream.of("--merge")).toArray(String[]::new));
        assertEquals(0, again.exitCode(), again.err());
        assertTrue(again.out().contains("images: 0 added, 0 updated, 4 unchanged, 0 removed, 0 failed"), again.out());
        assertTrue(again.out().contains(": 0 added, " + captionCount + " unchanged, 0 removed"), again.out());
        try (Stream<Path> files = Files.list(index)) {
            assertEquals(1, files.filter(f -> f.toString().endsWith(".si")).count(), "--merge leaves one segment");
        }

        JsonNode byText = json("search", "--index", index.toString(), "a red circle", "-k", "3", "--json");
        assertEquals("a red circle", byText.get("query").get("text").asText());
        assertEquals(3, byText.get("query").get("tokens").asInt());
        assertEquals(MAX_WORDS, byText.get("query").get("max_tokens").asInt());
        assertFalse(byText.get("query").get("truncated").asBoolean());
        assertEquals("images", byText.get("find").asText());
        JsonNode results = byText.get("results");
        assertEquals(3, results.size());
        for (int i = 0; i < results.size(); i++) {
            JsonNode result = results.get(i);
            assertEquals(i + 1, result.get("rank").asInt());
            assertEquals("image", result.get("kind").asText());
            assertTrue(Files.isRegularFile(Path.of(result.get("path").asText())), result.toString());
            assertEquals(Path.of(result.get("path").asText()).getFileName().toString(), result.get("id").asText());
            if (i > 0) {
                assertTrue(result.get("score").asDouble() <= results.get(i - 1).get("score").asDouble());
            }
        }

        Path image = world.resolve("images").resolve("00002.png");
        JsonNode sameImage = json("search", "--index", index.toString(), "--image", image.toString(), "--find",
                "images", "-k", "1", "--json");
        assertEquals(image.toAbsolutePath().toString(), sameImage.get("results").get(0).get("path").asText());
        assertEquals(1.0, sameImage.get("results").get(0).get("score").asDouble(), 1e-4);

        JsonNode byImage = json("search", "--index", index.toString(), "--image", image.toString(), "-k", "2",
                "--json");
        assertEquals("captions", byImage.get("find").asText());
        assertEquals(image.toString(), byImage.get("query").get("image").asText());
        for (JsonNode result : byImage.get("results")) {
            assertEquals("caption", result.get("kind").asText());
            assertFalse(result.get("text").asText().isBlank());
            assertTrue(result.get("id").asText().endsWith(".png"), result.toString());
        }
        String caption = Files.readAllLines(captions).get(1).split(",", 2)[1].replace("\"", "");
        CliRun sameCaption = CliRun.of("search", "--index", index.toString(), caption, "--find", "captions", "-k", "1");
        assertEquals(0, sameCaption.exitCode(), sameCaption.err());
        assertTrue(sameCaption.out().matches("1\\.0000\t" + Pattern.quote(caption) + "\t\\d+\\.png\\R"),
                sameCaption.out());
    }

    @Test
    void aQueryPastTheTextLimitIsCutWithANoteAndAnswered() throws Exception {
        Path index = work.resolve("index");
        Path texts = Files.writeString(work.resolve("captions.txt"), "a red circle\na blue square\n");
        assertEquals(0, CliRun.of("index", "--model", model.toString(), "--index", index.toString(), "--texts",
                texts.toString()).exitCode());
        String query = "a red circle and a blue square next to a small green star";
        CliRun run = CliRun.of("search", "--index", index.toString(), query, "--find", "captions");
        assertEquals(0, run.exitCode(), run.err());
        assertEquals("note: the query has 13 tokens and the text encoder reads only the first " + MAX_WORDS
                + "; the rest was ignored", run.err().strip());
        assertEquals(2, run.out().lines().count(), run.out());

        CliRun noImages = CliRun.of("search", "--index", index.toString(), "a red circle");
        assertEquals(1, noImages.exitCode());
        assertEquals("error: " + index + ": holds no images to search (index some with --images)",
                noImages.err().strip());
    }

    @Test
    void anIndexBuiltByAnotherModelIsRefused() {
        Path index = work.resolve("index");
        CliRun built = CliRun.of("index", "--model", model.toString(), "--index", index.toString(), "--images",
                world.resolve("images").resolve("00000.png").toString());
        assertEquals(0, built.exitCode(), built.err());
        CliRun indexing = CliRun.of("index", "--model", otherModel.toString(), "--index", index.toString(),
                "--images", world.resolve("images").toString());
        assertEquals(1, indexing.exitCode());
        assertTrue(indexing.err().startsWith("error: " + index + ": built with another model (the one at " + model),
                indexing.err());
        assertEquals(1, indexing.err().lines().count(), indexing.err());
        CliRun searching = CliRun.of("search", "--index", index.toString(), "--model", otherModel.toString(), "red");
        assertEquals(1, searching.exitCode());
        assertTrue(searching.err().startsWith("error: " + index + ": built with another model"), searching.err());
    }

    @Test
    void unreadableImagesAreReportedAndTheOthersIndexed() throws Exception {
        Path images = Files.createDirectories(work.resolve("images"));
        Files.copy(world.resolve("images").resolve("00001.png"), images.resolve("good.png"));
        Path broken = Files.writeString(images.resolve("broken.png"), "not an image");
        CliRun run = CliRun.of("index", "--model", model.toString(), "--index", work.resolve("index").toString(),
                "--images", images.toString());
        assertEquals(1, run.exitCode());
        List<String> errors = run.err().lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), run.err());
        assertTrue(errors.get(0).startsWith("error: " + broken.toAbsolutePath()), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
        assertTrue(run.out().contains("images: 1 added, 0 updated, 0 unchanged, 0 removed, 1 failed"), run.out());
    }

    @Test
    void emptyQueryIsRefused() {
        assertRefused("error: empty query: give some words to search for", "search", "--index",
                work.toString(), "  ");
    }

    @Test
    void missingIndexIsRefused() {
        Path missing = work.resolve("no-index");
        assertRefused("error: " + missing + ": no such index (build one with: caption4j index)", "search", "--index",
                missing.toString(), "a dog");
    }

    @Test
    void aFolderThatIsNotAnIndexIsRefused() throws Exception {
        Files.writeString(work.resolve("photo.jpg"), "not an index");
        assertRefused("error: " + work + ": not a caption4j index (the folder holds no Lucene index)", "search",
                "--index", work.toString(), "a dog");
        assertRefused("error: " + work + ": not a caption4j index and not empty; give an index folder, or a new one",
                "index", "--model", model.toString(), "--index", work.toString(), "--images", world.toString());
    }

    @Test
    void aQueryIsATextOrAnImage() {
        assertRefused("error: give a text query or --image FILE", "search", "--index", work.toString());
        assertRefused("error: give a text query or --image FILE, not both", "search", "--index", work.toString(),
                "--image", "photo.jpg", "a dog");
    }

    @Test
    void indexNeedsSomethingToIndex() {
        assertRefused("error: nothing to index: give --images, --captions or --texts", "index", "--model",
                model.toString(), "--index", work.resolve("index").toString());
    }

    private static JsonNode json(String... args) throws Exception {
        CliRun run = CliRun.of(args);
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(1, run.out().lines().count(), "one JSON document: " + run.out());
        return new ObjectMapper().readTree(run.out());
    }

    private static void assertRefused(String message, String... args) {
        CliRun run = CliRun.of(args);
        assertEquals(1, run.exitCode(), run.err());
        assertEquals(message, run.err().strip());
        assertFalse(run.err().contains("\tat "), run.err());
        assertEquals("", run.out());
    }
}

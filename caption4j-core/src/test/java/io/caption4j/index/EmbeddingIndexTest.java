package io.caption4j.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Indexing and searching with a colour-space stand-in model: ranking, incremental runs, refusals, concurrency. */
class EmbeddingIndexTest {
    @TempDir
    Path dir;

    private final ColourEmbedder embedder = new ColourEmbedder();

    @Test
    void textQueryFindsTheImageOfItsColourFirst() throws IOException {
        Path images = colourImages("red", Color.RED, "green", Color.GREEN, "blue", Color.BLUE);
        Path folder = dir.resolve("index");
        IndexingCounts counts = indexImages(folder, images, Problems.silent());
        assertEquals(new IndexingCounts(3, 0, 0, 0, 0), counts);

        try (EmbeddingIndexReader index = EmbeddingIndexReader.open(folder)) {
            Retrieval retrieval = new Retrieval(index, embedder);
            List<SearchHit> hits = retrieval.search(retrieval.textQuery("a blue square"), ItemKind.IMAGE, 10);
            assertEquals(3, hits.size());
            assertEquals(images.resolve("blue.png").toAbsolutePath(), hits.get(0).image());
            assertEquals("blue.png", hits.get(0).imageId());
            assertEquals(ItemKind.IMAGE, hits.get(0).kind());
            // pure blue pixels (0, 0, 1) against the text vector (0, 0, 1, 0.05), both made unit: cosine 1
            assertEquals(1.0, hits.get(0).score(), 1e-3);
            assertEquals(0.0025 / 1.0025, hits.get(1).score(), 1e-3, "another primary colour: only the 4th component");
            assertEquals(1, retrieval.search(retrieval.textQuery("red"), ItemKind.IMAGE, 1).size());
        }
    }

    @Test
    void reRunEmbedsOnlyNewAndChangedFilesAndRemovesDeletedOnes() throws IOException {
        Path images = colourImages("red", Color.RED, "green", Color.GREEN, "blue", Color.BLUE);
        Path folder = dir.resolve("index");
        indexImages(folder, images, Problems.silent());
        assertEquals(new IndexingCounts(0, 0, 3, 0, 0), indexImages(folder, images, Problems.silent()));

        writePng(images.resolve("yellow.png"), Color.YELLOW);
        writePng(images.resolve("blue.png"), Color.RED);
        Files.setLastModifiedTime(images.resolve("blue.png"), FileTime.fromMillis(System.currentTimeMillis() + 5000));
        Files.delete(images.resolve("green.png"));
        ColourEmbedder counting = new ColourEmbedder();
        IndexingCounts counts;
        try (EmbeddingIndexWriter index = EmbeddingIndexWriter.open(folder, model(counting))) {
            counts = ImageIndexing.index(counting, index, imageFiles(images), 2, Problems.silent(), null);
        }
        assertEquals(new IndexingCounts(1, 1, 1, 1, 0), counts);
        assertEquals(2, counting.imagesEmbedded(), "only yellow.png and the changed blue.png");

        try (EmbeddingIndexReader index = EmbeddingIndexReader.open(folder)) {
            assertEquals(3, index.count(ItemKind.IMAGE));
            Retrieval retrieval = new Retrieval(index, embedder);
            List<SearchHit> green = retrieval.search(retrieval.textQuery("green"), ItemKind.IMAGE, 3);
            assertTrue(green.stream().noneMatch(h -> h.imageId().equals("green.png")), green.toString());
            List<SearchHit> red = retrieval.search(retrieval.textQuery("red"), ItemKind.IMAGE, 2);
            assertEquals(1.0, red.get(0).score(), 1e-3);
            assertEquals(1.0, red.get(1).score(), 1e-3, "blue.png is red now, and re-embedded as such");
        }
    }

    @Test
    void unreadableImagesAreReportedAndTheOthersIndexed() throws IOException {
        Path images = colourImages("red", Color.RED, "green", Color.GREEN);
        Path broken = Files.writeString(images.resolve("broken.png"), "not an image");
        Problems problems = Problems.silent();
        IndexingCounts counts = indexImages(dir.resolve("index"), images, problems);
        assertEquals(new IndexingCounts(2, 0, 0, 0, 1), counts);
        assertEquals(1, problems.count());
        assertTrue(problems.messages().get(0).startsWith(broken.toAbsolutePath().toString()),
                problems.messages().toString());
    }

    @Test
    void imageQueryFindsTheCaptionOfItsColourAndCaptionRunsAreIncremental() throws IOException {
        Path folder = dir.resolve("index");
        Path texts = Files.writeString(dir.resolve("captions.txt"),
                "a red ball\n\na green field\na blue sky\na red ball\n");
        try (EmbeddingIndexWriter index = EmbeddingIndexWriter.open(folder, model(embedder))) {
            IndexingCounts counts = CaptionIndexing.index(embedder, index, CaptionCollections.source(texts),
                    CaptionCollections.readTexts(texts), null);
            assertEquals(new IndexingCounts(3, 0, 0, 0, 0), counts, "the repeated caption is one entry");
        }
        Path image = dir.resolve("query.png");
        writePng(image, Color.GREEN);
        try (EmbeddingIndexReader index = EmbeddingIndexReader.open(folder)) {
            List<SearchHit> hits = new Retrieval(index, embedder).search(image, ItemKind.CAPTION, 2);
            assertEquals("a green field", hits.get(0).text());
            assertEquals(ItemKind.CAPTION, hits.get(0).kind());
            assertEquals(null, hits.get(0).imageId());
            InputException noImages = assertThrows(InputException.class,
                    () -> new Retrieval(index, embedder).search(image, ItemKind.IMAGE, 2));
            assertTrue(noImages.getMessage().contains("holds no images"), noImages.getMessage());
        }

        Files.writeString(texts, "a red ball\na yellow flower\na blue sky\n");
        try (EmbeddingIndexWriter index = EmbeddingIndexWriter.open(folder, model(embedder))) {
            IndexingCounts counts = CaptionIndexing.index(embedder, index, CaptionCollections.source(texts),
                    CaptionCollections.readTexts(texts), null);
            assertEquals(new IndexingCounts(1, 0, 2, 1, 0), counts);
        }
    }

    @Test
    void emptyQueryIsRefusedAndALongOneIsCutWithANote() throws IOException {
        Path folder = dir.resolve("index");
        indexImages(folder, colourImages("red", Color.RED, "blue", Color.BLUE), Problems.silent());
        try (EmbeddingIndexReader index = EmbeddingIndexReader.open(folder)) {
            Retrieval retrieval = new Retrieval(index, embedder);
            InputException empty = assertThrows(InputException.class, () -> retrieval.textQuery("   "));
            assertTrue(empty.getMessage().startsWith("empty query"), empty.getMessage());

            TextQuery query = retrieval.textQuery("one two three four five six blue");
            assertTrue(query.truncated());
            assertEquals("note: the query has 7 tokens and the text encoder reads only the first 6; the rest was"
                    + " ignored", query.note().orElseThrow());
            List<SearchHit> hits = retrieval.search(query, ItemKind.IMAGE, 2);
            assertEquals(2, hits.size(), "still answered");
            assertEquals(hits.get(0).score(), hits.get(1).score(), 1e-6, "'blue' was past the limit, so no colour");
            assertTrue(retrieval.textQuery("a blue sky").note().isEmpty());
        }
    }

    @Test
    void anIndexBuiltByAnotherModelIsRefused() throws IOException {
        Path folder = dir.resolve("index");
        indexImages(folder, colourImages("red", Color.RED), Problems.silent());
        ColourEmbedder other = new ColourEmbedder("colour-v2");
        InputException writing = assertThrows(InputException.class,
                () -> EmbeddingIndexWriter.open(folder, model(other)));
        assertTrue(writing.getMessage().startsWith(folder + ": built with another model"), writing.getMessage());
        assertTrue(writing.getMessage().contains("colour-v1") && writing.getMessage().contains("colour-v2"));
        try (EmbeddingIndexReader index = EmbeddingIndexReader.open(folder)) {
            assertEquals("colour-v1", index.model().identity());
            assertEquals(4, index.model().dimension());
            InputException searching = assertThrows(InputException.class, () -> new Retrieval(index, other));
            assertTrue(searching.getMessage().contains("built with another model"), searching.getMessage());
        }
    }

    @Test
    void aFolderThatIsNoIndexIsRefused() throws IOException {
        Path missing = dir.resolve("missing");
        assertMessage(missing + ": no such index", () -> EmbeddingIndexReader.open(missing));

        Path photos = Files.createDirectories(dir.resolve("photos"));
        Files.writeString(photos.resolve("notes.txt"), "hello");
        assertMessage(photos + ": not a caption4j index (the folder holds no Lucene index)",
                () -> EmbeddingIndexReader.open(photos));
        assertMessage(photos + ": not a caption4j index and not empty",
                () -> EmbeddingIndexWriter.open(photos, model(embedder)));

        Path file = photos.resolve("notes.txt");
        assertMessage(file + ": not a folder", () -> EmbeddingIndexReader.open(file));

        Path foreign = dir.resolve("foreign");
        try (FSDirectory directory = FSDirectory.open(foreign);
                IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
            Document doc = new Document();
            doc.add(new StringField("title", "someone else's index", Field.Store.YES));
            writer.addDocument(doc);
        }
        assertMessage(foreign + ": a Lucene index, but not a caption4j index",
                () -> EmbeddingIndexReader.open(foreign));
        assertMessage(foreign + ": a Lucene index, but not a caption4j index",
                () -> EmbeddingIndexWriter.open(foreign, model(embedder)));
    }

    @Test
    void aReaderOpensWhileAWriterHoldsTheIndexAndSeesTheLastCommit() throws IOException {
        Path folder = dir.resolve("index");
        float[] red = ColourEmbedder.unit(new float[] {1, 0, 0, 0.05f});
        float[] blue = ColourEmbedder.unit(new float[] {0, 0, 1, 0.05f});
        try (EmbeddingIndexWriter writer = EmbeddingIndexWriter.open(folder, model(embedder))) {
            writer.putImage(image("red.png"), red);
            writer.commit();
            writer.putImage(image("blue.png"), blue);

            try (EmbeddingIndexReader reader = EmbeddingIndexReader.open(folder)) {
                assertEquals(1, reader.count(ItemKind.IMAGE), "the uncommitted blue.png is not visible");
                List<SearchHit> hits = reader.nearest(ItemKind.IMAGE, blue, 10);
                assertEquals(List.of("red.png"), hits.stream().map(SearchHit::imageId).toList());
            }
            InputException second = assertThrows(InputException.class,
                    () -> EmbeddingIndexWriter.open(folder, model(embedder)));
            assertTrue(second.getMessage().contains("another process is writing this index"), second.getMessage());
            writer.commit();
            try (EmbeddingIndexReader reader = EmbeddingIndexReader.open(folder)) {
                assertEquals("blue.png", reader.nearest(ItemKind.IMAGE, blue, 10).get(0).imageId());
            }
        }
    }

    private IndexingCounts indexImages(Path folder, Path images, Problems problems) throws IOException {
        try (EmbeddingIndexWriter index = EmbeddingIndexWriter.open(folder, model(embedder))) {
            return ImageIndexing.index(embedder, index, imageFiles(images), 2, problems, null);
        }
    }

    private IndexModel model(ColourEmbedder model) {
        return IndexModel.of(model, dir.resolve("model"));
    }

    private static IndexedImage image(String name) {
        return new IndexedImage(name, Path.of("/photos", name), new FileStamp(1, 1));
    }

    private static List<Path> imageFiles(Path images) throws IOException {
        try (var files = Files.list(images)) {
            return files.sorted().toList();
        }
    }

    /** A folder of solid-colour PNGs named NAME.png, from (name, colour) pairs. */
    private Path colourImages(Object... namesAndColours) throws IOException {
        Path images = Files.createDirectories(dir.resolve("images"));
        for (int i = 0; i < namesAndColours.length; i += 2) {
            writePng(images.resolve(namesAndColours[i] + ".png"), (Color) namesAndColours[i + 1]);
        }
        return images;
    }

    private static void writePng(Path file, Color colour) throws IOException {
        BufferedImage image = new BufferedImage(16, 12, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(colour);
        g.fillRect(0, 0, 16, 12);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }

    private static void assertMessage(String start, org.junit.jupiter.api.function.Executable action) {
        InputException e = assertThrows(InputException.class, action);
        assertTrue(e.getMessage().startsWith(start), e.getMessage());
    }
}

package io.caption4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptionDatasetsTest {
    @TempDir
    Path dir;
    Path images;
    final Problems problems = Problems.silent();

    @BeforeEach
    void images() throws IOException {
        images = Files.createDirectories(dir.resolve("images"));
        for (String name : List.of("a.jpg", "b.jpg", "c.jpg")) {
            Files.write(images.resolve(name), new byte[] {1});
        }
    }

    private Path file(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void csvWithQuotedCommasAndQuotes() throws IOException {
        Path csv = file("captions.csv", """
                image,caption
                a.jpg,"A dog, brown, runs ."
                a.jpg,"A sign saying "" hi "" ."
                b.jpg,A cat .
                """);
        CaptionDataset data = CaptionDatasets.read(csv, images, problems);
        assertEquals(List.of("a.jpg", "b.jpg"), data.ids());
        assertEquals(List.of("A dog, brown, runs .", "A sign saying \" hi \" ."), data.get("a.jpg").captions());
        assertEquals(images.resolve("b.jpg"), data.get("b.jpg").image());
        assertEquals(0, problems.count());
    }

    @Test
    void csvRowWithMissingColumnIsReportedWithItsLineAndSkipped() throws IOException {
        Path csv = file("captions.csv", "image,caption\na.jpg,one\nb.jpg\nb.jpg,two\n");
        CaptionDataset data = CaptionDatasets.read(csv, images, problems);
        assertEquals(List.of("one"), data.get("a.jpg").captions());
        assertEquals(List.of("two"), data.get("b.jpg").captions());
        assertEquals(List.of(csv + ":3: row has 1 column(s), expected 2 (image,caption); row skipped"),
                problems.messages());
    }

    @Test
    void csvColumnsMayComeInAnyOrderWithExtraColumns() throws IOException {
        Path csv = file("captions.csv", "caption,source,image\none,x,a.jpg\n");
        assertEquals(List.of("one"), CaptionDatasets.read(csv, images, problems).get("a.jpg").captions());
    }

    @Test
    void csvWithByteOrderMarkAndWindowsLineEnds() throws IOException {
        Path csv = file("captions.csv", "\uFEFFimage,caption\r\na.jpg,one\r\nb.jpg\r\n");
        assertEquals(List.of("one"), CaptionDatasets.read(csv, images, problems).get("a.jpg").captions());
        assertEquals(List.of(csv + ":3: row has 1 column(s), expected 2 (image,caption); row skipped"),
                problems.messages());
    }

    @Test
    void jsonLinesImagesInSubfoldersOrAbsolute() throws IOException {
        Files.createDirectories(images.resolve("sub"));
        Files.write(images.resolve("sub/d.jpg"), new byte[] {1});
        Path absolute = images.resolve("c.jpg").toAbsolutePath();
        Path jsonl = file("captions.jsonl", "{\"image\": \"sub/d.jpg\", \"captions\": [\"nested\"]}\n"
                + "{\"image\": \"" + absolute + "\", \"captions\": [\"absolute\"]}\n"
                + "{\"image\": \"sub/none.jpg\", \"captions\": [\"missing\"]}\n");
        CaptionDataset data = CaptionDatasets.read(jsonl, images, problems);
        assertEquals(List.of("sub/d.jpg", absolute.toString()), data.ids());
        assertEquals(images.resolve("sub/d.jpg"), data.get("sub/d.jpg").image());
        assertEquals(absolute, data.get(absolute.toString()).image());
        assertEquals(List.of(jsonl + ":3: image sub/none.jpg does not exist in " + images
                + "; its captions are skipped"), problems.messages());
    }

    @Test
    void csvWithoutHeaderIsAnError() throws IOException {
        Path csv = file("captions.csv", "a.jpg,one\n");
        InputException e = assertThrows(InputException.class, () -> CaptionDatasets.read(csv, images, problems));
        assertTrue(e.getMessage().startsWith(csv + ":1: header must name the columns"), e.getMessage());
    }

    @Test
    void csvWithUnterminatedQuoteNamesTheLine() throws IOException {
        Path csv = file("captions.csv", "image,caption\na.jpg,one\nb.jpg,\"two\n");
        InputException e = assertThrows(InputException.class, () -> CaptionDatasets.read(csv, images, problems));
        assertTrue(e.getMessage().startsWith(csv + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed CSV"), e.getMessage());
    }

    @Test
    void missingImagesAreReportedOncePerImageAndSkipped() throws IOException {
        Path csv = file("captions.csv", "image,caption\nx.jpg,one\nx.jpg,two\na.jpg,three\ny.jpg,four\n");
        CaptionDataset data = CaptionDatasets.read(csv, images, problems);
        assertEquals(List.of("a.jpg"), data.ids());
        assertEquals(List.of(
                csv + ":2: image x.jpg does not exist in " + images + "; its captions are skipped",
                csv + ":5: image y.jpg does not exist in " + images + "; its captions are skipped"),
                problems.messages());
    }

    @Test
    void emptyCaptionsAreReportedAndSkipped() throws IOException {
        Path csv = file("captions.csv", "image,caption\na.jpg,\na.jpg,  \na.jpg,fine\nb.jpg,\"\"\n");
        CaptionDataset data = CaptionDatasets.read(csv, images, problems);
        assertEquals(List.of("a.jpg"), data.ids());
        assertEquals(List.of("fine"), data.get("a.jpg").captions());
        assertEquals(List.of(csv + ":2: empty caption for a.jpg; skipped", csv + ":3: empty caption for a.jpg; skipped",
                csv + ":5: empty caption for b.jpg; skipped"), problems.messages());
    }

    @Test
    void cocoJson() throws IOException {
        Path json = file("captions_val.json", """
                {"info": {"year": 2014},
                 "images": [{"id": 7, "file_name": "b.jpg"}, {"id": 3, "file_name": "a.jpg"}],
                 "annotations": [
                   {"id": 1, "image_id": 3, "caption": "first of a"},
                   {"id": 2, "image_id": 7, "caption": "first of b"},
                   {"id": 3, "image_id": 3, "caption": "second of a"},
                   {"id": 4, "image_id": 99, "caption": "orphan"},
                   {"id": 5, "image_id": 7}
                 ]}
                """);
        CaptionDataset data = CaptionDatasets.read(json, images, problems);
        assertEquals(List.of("b.jpg", "a.jpg"), data.ids());
        assertEquals(List.of("first of a", "second of a"), data.get("a.jpg").captions());
        assertEquals(List.of(
                json + ":7: annotation for image_id 99, which \"images\" does not list; skipped",
                json + ":8: annotation needs a numeric \"image_id\" and a \"caption\"; skipped"),
                problems.messages());
    }

    @Test
    void malformedJsonNamesLineAndColumn() throws IOException {
        Path json = file("captions.json", "{\"images\": [\n  {\"id\": 1, \"file_name\": \"a.jpg\",}\n]}\n");
        InputException e = assertThrows(InputException.class, () -> CaptionDatasets.read(json, images, problems));
        assertTrue(e.getMessage().startsWith(json + ":2: malformed JSON: "), e.getMessage());
        assertTrue(e.getMessage().contains("(column "), e.getMessage());
    }

    @Test
    void jsonLinesWithABadLineContinues() throws IOException {
        Path jsonl = file("captions.jsonl", """
                {"image": "a.jpg", "captions": ["one", "two"]}
                {"image": "b.jpg", "captions": ["three"
                
                {"image": "c.jpg", "captions": "not a list"}
                {"image": "b.jpg", "captions": ["four"]}
                """);
        CaptionDataset data = CaptionDatasets.read(jsonl, images, problems);
        assertEquals(List.of("a.jpg", "b.jpg"), data.ids());
        assertEquals(List.of("one", "two"), data.get("a.jpg").captions());
        assertEquals(List.of("four"), data.get("b.jpg").captions());
        assertEquals(2, problems.count());
        assertTrue(problems.messages().get(0).startsWith(jsonl + ":2: malformed JSON"), problems.messages().get(0));
        assertTrue(problems.messages().get(1).startsWith(jsonl + ":4: expected {"), problems.messages().get(1));
    }

    @Test
    void formatIsSniffedForOtherExtensions() throws IOException {
        assertEquals(CaptionFormat.JSONL, CaptionFormat.of(file("c.txt", "{\"image\": \"a.jpg\", \"captions\": []}\n")));
        assertEquals(CaptionFormat.COCO, CaptionFormat.of(file("d.txt", "{\n\"images\": []}\n")));
        assertEquals(CaptionFormat.CSV, CaptionFormat.of(file("e.txt", "image,caption\n")));
    }

    @Test
    void missingCaptionFileAndImageFolderAreErrors() throws IOException {
        Path absent = dir.resolve("absent.csv");
        InputException e = assertThrows(InputException.class, () -> CaptionDatasets.read(absent, images, problems));
        assertEquals(absent + ": no such file", e.getMessage());
        Path csv = file("captions.csv", "image,caption\na.jpg,one\n");
        Path noImages = dir.resolve("nope");
        e = assertThrows(InputException.class, () -> CaptionDatasets.read(csv, noImages, problems));
        assertEquals(noImages + ": no such image folder", e.getMessage());
    }

    @Test
    void combinedSourcesKeepIdsUnique() throws IOException {
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.write(other.resolve("a.jpg"), new byte[] {2});
        Files.write(other.resolve("d.jpg"), new byte[] {2});
        Path first = file("first.csv", "image,caption\na.jpg,first a\nb.jpg,first b\n");
        Path sameFolder = file("more.jsonl", "{\"image\": \"b.jpg\", \"captions\": [\"more b\"]}\n");
        Path second = file("second.csv", "image,caption\nd.jpg,second d\na.jpg,second a\n");
        CaptionDataset data = CaptionDatasets.read(List.of(new CaptionDatasets.Source(first, images),
                new CaptionDatasets.Source(sameFolder, images), new CaptionDatasets.Source(second, other)), problems);
        assertEquals(List.of("a.jpg", "b.jpg", "d.jpg"), data.ids());
        assertEquals(List.of("first a"), data.get("a.jpg").captions());
        assertEquals(List.of("first b", "more b"), data.get("b.jpg").captions());
        assertEquals(other.resolve("d.jpg"), data.get("d.jpg").image());
        assertEquals(List.of(second + ":3: image id a.jpg is already used by " + images.resolve("a.jpg") + "; "
                + other.resolve("a.jpg") + " skipped"), problems.messages());
    }
}

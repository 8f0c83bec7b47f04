package io.caption4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SplitsTest {
    @TempDir
    Path dir;
    final Problems problems = Problems.silent();

    private static final CaptionDataset DATA = CaptionDataset.of(IntStream.range(0, 10)
            .mapToObj(i -> new CaptionedImage(i + ".png", Path.of(i + ".png"), List.of("caption " + i)))
            .toList());

    @Test
    void deterministicSplitHasTheAskedSizesAndIgnoresInputOrder() {
        List<String> ids = IntStream.range(0, 1000).mapToObj(i -> String.format("%05d.png", i)).toList();
        Splits splits = Splits.deterministic(ids, 0.15, 0.05);
        assertEquals(800, splits.train().size());
        assertEquals(150, splits.val().size());
        assertEquals(50, splits.test().size());
        List<String> all = new ArrayList<>(splits.train());
        all.addAll(splits.val());
        all.addAll(splits.test());
        assertEquals(new HashSet<>(ids), new HashSet<>(all));
        List<String> shuffled = new ArrayList<>(ids);
        Collections.shuffle(shuffled, new Random(1));
        assertEquals(splits, Splits.deterministic(shuffled, 0.15, 0.05));
    }

    @Test
    void writtenSplitsReadBack() throws IOException {
        Splits splits = Splits.deterministic(DATA.ids());
        Path file = dir.resolve("splits.json");
        splits.write(file);
        assertEquals(splits, Splits.read(file, DATA, problems));
        assertEquals(8, splits.train().size());
        assertEquals(0, problems.count());
    }

    @Test
    void unknownIdsAreReportedPerSplitAndLeftOut() throws IOException {
        Path file = Files.writeString(dir.resolve("splits.json"),
                "{\"train\": [\"0.png\", \"x.png\", \"y.png\"], \"val\": [\"1.png\"], \"test\": [\"z.png\"]}");
        Splits splits = Splits.read(file, DATA, problems);
        assertEquals(List.of("0.png"), splits.train());
        assertEquals(List.of(), splits.test());
        assertEquals(List.of(
                file + ": 2 id(s) in \"train\" are not in the dataset and are left out, e.g. x.png, y.png",
                file + ": 1 id(s) in \"test\" are not in the dataset and are left out, e.g. z.png"),
                problems.messages());
    }

    @Test
    void badSplitsFilesAreErrors() throws IOException {
        assertError("{\"train\": [\"0.png\"], \"test\": [\"0.png\"]}", "image 0.png is in both train and test");
        assertError("{\"train\": [\"0.png\"], \"validation\": []}", "unknown split \"validation\"");
        assertError("{\"train\": \"0.png\"}", "\"train\" must be an array of image ids");
        assertError("{\"train\": [\"q.png\"]}", "the train split has no image of the dataset");
        assertError("[1, 2]", "expected {\"train\"");
        assertError("{\"train\": [\n\"0.png\",,]}", "malformed JSON");
        InputException e = assertThrows(InputException.class,
                () -> Splits.read(dir.resolve("none.json"), DATA, problems));
        assertEquals(dir.resolve("none.json") + ": no such file", e.getMessage());
    }

    private void assertError(String json, String expected) throws IOException {
        Path file = Files.writeString(dir.resolve("bad.json"), json);
        InputException e = assertThrows(InputException.class, () -> Splits.read(file, DATA, problems));
        assertTrue(e.getMessage().startsWith(file + ":"), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void splitNamesParse() {
        assertEquals(Splits.Split.VAL, Splits.Split.parse("val"));
        InputException e = assertThrows(InputException.class, () -> Splits.Split.parse("dev"));
        assertEquals("unknown split 'dev'; expected train, val or test", e.getMessage());
    }
}

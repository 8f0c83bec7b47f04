package io.caption4j.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.caption4j.util.Problems;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads the real Flickr8k captions of {@code ../shared/data}. */
class Flickr8kTest {
    @Test
    void flickr8k1k() {
        Path dir = SharedData.dir("data/flickr8k-1k");
        Problems problems = Problems.silent();
        CaptionDataset data = CaptionDatasets.read(dir.resolve("captions.csv"), dir.resolve("images"), problems);
        assertEquals(List.of(), problems.messages());
        assertEquals(1000, data.size());
        assertEquals(5000, data.captionCount());
        CaptionedImage first = data.get("1000268201_693b08cb0e.jpg");
        assertEquals(dir.resolve("images/1000268201_693b08cb0e.jpg"), first.image());
        assertEquals("A child in a pink dress is climbing up a set of stairs in an entry way .",
                first.captions().get(0));
        assertEquals("Young boy with a black \" ADHD \" t-shirt nodding off",
                data.get("1253275679_e955fb7304.jpg").captions().get(4));
    }

    @Test
    void flickr8k7kCombinedWith1k() {
        Path small = SharedData.dir("data/flickr8k-1k");
        Path large = SharedData.dir("data/flickr8k-7k");
        Problems problems = Problems.silent();
        CaptionDataset seven = CaptionDatasets.read(large.resolve("captions.csv"), large.resolve("images"), problems);
        assertEquals(7091, seven.size());
        assertEquals(35455, seven.captionCount());
        CaptionDataset both = CaptionDatasets.read(List.of(
                new CaptionDatasets.Source(small.resolve("captions.csv"), small.resolve("images")),
                new CaptionDatasets.Source(large.resolve("captions.csv"), large.resolve("images"))), problems);
        assertEquals(8091, both.size());
        assertEquals(40455, both.captionCount());
        assertEquals(List.of(), problems.messages());
    }

    @Test
    void splitsFileOf1kMatchesTheDeterministicSplit() {
        Path dir = SharedData.dir("data/flickr8k-1k");
        Problems problems = Problems.silent();
        CaptionDataset data = CaptionDatasets.read(dir.resolve("captions.csv"), dir.resolve("images"), problems);
        Splits splits = Splits.read(dir.resolve("splits.json"), data, problems);
        assertEquals(List.of(), problems.messages());
        assertEquals(800, splits.train().size());
        assertEquals(100, splits.val().size());
        assertEquals(100, splits.test().size());
        assertEquals(100, splits.apply(data, Splits.Split.TEST).size());
        assertEquals(splits, Splits.deterministic(data.ids()));
    }
}

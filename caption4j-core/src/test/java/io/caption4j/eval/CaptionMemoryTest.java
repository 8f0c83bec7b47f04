package io.caption4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.decode.GeneratedCaption;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptionMemoryTest {
    private static final CaptionDataset TRAIN = CaptionDataset.of(List.of(
            new CaptionedImage("dog", Path.of("dog.jpg"), List.of("a dog runs on the grass",
                    "a brown dog runs across the grass")),
            new CaptionedImage("bike", Path.of("bike.jpg"), List.of("a man rides a bike", "a man on a bicycle")),
            new CaptionedImage("beach", Path.of("beach.jpg"), List.of("children play on the beach"))));
    private static final CaptionMemory MEMORY = new CaptionMemory(TRAIN,
            new float[][] {{1, 0, 0}, {0, 1, 0}, {0.6f, 0, 0.8f}});

    @Test
    void poolsTheCaptionsOfTheNearestImagesByCosine() {
        assertEquals(List.of("a man rides a bike", "a man on a bicycle"), MEMORY.pool(new float[] {0, 5, 1}, 1).texts());
        assertEquals(List.of("children play on the beach", "a dog runs on the grass",
                "a brown dog runs across the grass"), MEMORY.pool(new float[] {0.5f, 0, 1}, 2).texts(),
                "nearest first; length does not matter, direction does");
        assertThrows(IllegalArgumentException.class, () -> MEMORY.pool(new float[] {1, 0, 0}, 0));
    }

    @Test
    void rerankingPrefersTheCandidateTheNeighboursAgreeWith() {
        GeneratedCaption likeliest = caption("a man rides a dog", -0.5);
        GeneratedCaption agreed = caption("a dog runs on the grass", -1.5);
        List<GeneratedCaption> nBest = List.of(likeliest, agreed);
        CaptionMemory.Pool dogs = MEMORY.pool(new float[] {1, 0.1f, 0}, 1);
        assertSame(agreed, dogs.rerank(nBest, 0), "the agreement alone decides with weight 0");
        assertSame(likeliest, dogs.rerank(nBest, 100), "a large weight leaves the decoder's order");
        assertSame(likeliest, MEMORY.pool(new float[] {0, 1, 0}, 1).rerank(nBest, 0),
                "next to a bike's captions the other candidate agrees better");
    }

    @Test
    void refusesAVectorPerImageMismatch() {
        assertThrows(IllegalArgumentException.class, () -> new CaptionMemory(TRAIN, new float[][] {{1, 0, 0}}));
    }

    private static GeneratedCaption caption(String text, double score) {
        List<String> words = Arrays.asList(text.split(" "));
        return new GeneratedCaption(text, words, new float[words.size()], List.of(), Float.NaN, score, score);
    }
}

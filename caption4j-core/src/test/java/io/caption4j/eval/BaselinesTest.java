package io.caption4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class BaselinesTest {
    private static final CaptionDataset TRAIN = CaptionDataset.of(List.of(
            new CaptionedImage("dog", Path.of("dog.jpg"), List.of("a cat sleeps on a sofa", "a dog runs on the grass",
                    "a brown dog runs on the grass", "a dog runs across the grass")),
            new CaptionedImage("beach", Path.of("beach.jpg"), List.of("children play on the beach",
                    "two children play in the sand on the beach", "kids play on a sandy beach")),
            new CaptionedImage("bike", Path.of("bike.jpg"), List.of("a man rides a bike", "a man on a bicycle"))));
    private static final CaptionMemory MEMORY = new CaptionMemory(TRAIN, new float[][] {{1, 0, 0}, {0, 1, 0}, {0, 0, 1}});

    @ParameterizedTest
    @EnumSource(Baselines.Consensus.class)
    void borrowsTheCaptionTheNearestImagesAgreeOn(Baselines.Consensus consensus) {
        Map<String, String> chosen = Baselines.nearestNeighbourConsensus(MEMORY,
                Map.of("q1", new float[] {0.9f, 0.1f, 0}, "q2", new float[] {0, 2, 0.5f}), 1, consensus);
        assertEquals("a dog runs on the grass", chosen.get("q1"), "the odd caption out is never the consensus");
        assertEquals("children play on the beach", chosen.get("q2"));
    }

    @ParameterizedTest
    @EnumSource(Baselines.Consensus.class)
    void moreNeighboursPoolMoreCaptions(Baselines.Consensus consensus) {
        Map<String, String> chosen = Baselines.nearestNeighbourConsensus(MEMORY, Map.of("q", new float[] {0.1f, 0, 1}),
                2, consensus);
        assertEquals("a dog runs on the grass", chosen.get("q"), "bike and dog pooled: the dog captions agree most");
    }

    @Test
    void mostFrequentCaptionCountsCaptionsAfterTokenisation() {
        CaptionDataset train = CaptionDataset.of(List.of(
                new CaptionedImage("a", Path.of("a.jpg"), List.of("A dog.", "a cat")),
                new CaptionedImage("b", Path.of("b.jpg"), List.of("a dog", "a bird"))));
        assertEquals("a dog", Baselines.mostFrequentCaption(train));
    }
}

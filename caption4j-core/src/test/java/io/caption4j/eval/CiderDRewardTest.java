package io.caption4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.text.PtbTokenizer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CiderDRewardTest {
    private static final List<List<String>> REFERENCES = List.of(
            List.of("A dog runs through the grass.", "A brown dog is running in a field.", "The dog plays outside."),
            List.of("Two children play on the beach.", "Kids are playing in the sand near the water."),
            List.of("A man rides a bicycle down a street.", "A cyclist on a city road.", "A man on a bike."),
            List.of("A dog jumps into the water.", "A black dog swims in a lake."));
    private static final List<String> CANDIDATES = List.of("a dog running in the grass", "two kids play in the sand",
            "a man riding a motorbike on a street", "a zebra eats lunch");

    /** When its document frequencies come from the very images scored, the reward is the evaluation's CIDEr-D. */
    @Test
    void equalsThePerImageCiderDOfTheScorer() {
        Map<String, List<String>> references = new LinkedHashMap<>();
        Map<String, String> candidates = new LinkedHashMap<>();
        for (int i = 0; i < REFERENCES.size(); i++) {
            references.put("img" + i, REFERENCES.get(i));
            candidates.put("img" + i, CANDIDATES.get(i));
        }
        CaptionScores expected = CaptionScorer.score(references, candidates);
        CiderDReward reward = new CiderDReward(REFERENCES);
        for (int i = 0; i < REFERENCES.size(); i++) {
            List<String> words = PtbTokenizer.instance().tokenize(CANDIDATES.get(i));
            assertEquals(expected.perImage().get("img" + i).get(CaptionScores.CIDER), reward.score(i, words), 1e-12,
                    CANDIDATES.get(i));
        }
        assertTrue(reward.score(0, List.of("a", "dog", "runs", "through", "the", "grass"))
                > reward.score(0, List.of("a", "man", "on", "a", "bike")), "the right image's words score higher");
        assertEquals(0.0, reward.score(1, List.of()), 0.0, "an empty caption earns nothing");
    }
}

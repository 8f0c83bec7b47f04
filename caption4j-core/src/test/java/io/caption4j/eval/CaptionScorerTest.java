package io.caption4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.caption4j.util.InputException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Small hand-checked cases; agreement with pycocoevalcap on real data is CaptionScorerAgreementTest. */
class CaptionScorerTest {
    private static final Map<String, List<String>> REFS = Map.of(
            "1", List.of("A cat sits on the mat.", "A cat is on a mat."),
            "2", List.of("A dog runs in the park.", "Dog running on grass."));

    @Test
    void candidateEqualToAReferenceScoresOneOnBleuAndRouge() {
        CaptionScores s = CaptionScorer.score(REFS, ordered("1", "a cat sits on the mat", "2", "A DOG RUNS IN THE PARK!"));
        for (String image : List.of("1", "2")) {
            Map<String, Double> m = s.perImage().get(image);
            assertEquals(1.0, m.get(CaptionScores.BLEU_4), 1e-9);
            assertEquals(1.0, m.get(CaptionScores.ROUGE_L), 1e-12);
        }
        assertEquals(1.0, s.corpus(CaptionScores.BLEU_1), 1e-9);
    }

    @Test
    void emptyCandidateScoresZero() {
        CaptionScores s = CaptionScorer.score(REFS, ordered("1", "", "2", "a dog runs in the park"));
        Map<String, Double> m = s.perImage().get("1");
        assertEquals(0.0, m.get(CaptionScores.ROUGE_L));
        assertEquals(0.0, m.get(CaptionScores.CIDER));
        assertEquals(0.0, m.get(CaptionScores.BLEU_1), 1e-6);
    }

    @Test
    void ciderUsesDocumentFrequenciesOfTheScoredImages() {
        // With 2 images, idf = log 2 - log df: "cat", "sits", "is", "mat" (only in image 1) weigh log 2; "a", "on",
        // "the" (in both images' references) weigh 0. Candidate "cat" against either reference of image 1: unigram
        // cosine log2·log2 / (log2 · sqrt(3)·log2) = 1/sqrt(3); no bigrams..4-grams; length penalty with 0 vs 5
        // bigrams exp(-25/72). CIDEr-D = mean over n (÷4), over references (÷2), × 10.
        CaptionScores s = CaptionScorer.score(REFS, ordered("1", "cat", "2", "dog"));
        double perReference = 1 / Math.sqrt(3) * Math.exp(-25 / 72.0);
        assertEquals(2 * perReference / 4 / 2 * 10, s.perImage().get("1").get(CaptionScores.CIDER), 1e-12);
    }

    @Test
    void candidateWithoutReferencesIsAnInputError() {
        assertThrows(InputException.class, () -> CaptionScorer.score(REFS, ordered("3", "a cat", "1", "a cat")));
    }

    private static Map<String, String> ordered(String... idCaption) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < idCaption.length; i += 2) {
            m.put(idCaption[i], idCaption[i + 1]);
        }
        return m;
    }
}

package io.caption4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.caption4j.text.PtbTokenizer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CiderDTest {
    /** A word twice in one caption ("dog ... dog") makes a pair's directions differ: a candidate is clipped. */
    private static final List<String> POOL = List.of("A dog runs through the grass.",
            "A brown dog is running in a field.", "A dog runs after another dog on a lawn.",
            "Two children play on the beach.", "A man on a bike.", "A dog runs through the grass.", "A dog runs.");

    @Test
    void eachCaptionAgainstTheRestOfThePoolIsScoredAsAgainstAnyReferences() {
        CaptionScorer.Encoded encoded = new CaptionScorer.Encoded();
        CaptionScorer.Caption[] captions = encoded.captions(PtbTokenizer.instance().tokenizeAll(POOL));
        // document frequencies of the pool split into three images, as a training set would give them
        CaptionScorer.Caption[][] images = {Arrays.copyOfRange(captions, 0, 3), Arrays.copyOfRange(captions, 3, 5),
            Arrays.copyOfRange(captions, 5, 7)};
        CiderD cider = new CiderD(encoded.grams, CaptionScorer.documentFrequency(images, encoded.grams), 3);
        NGrams.Counts[] pool = Arrays.stream(captions).map(CaptionScorer.Caption::counts).toArray(NGrams.Counts[]::new);

        double[] scores = cider.scoresAgainstOthers(pool);

        for (int c = 0; c < pool.length; c++) {
            int self = c;
            NGrams.Counts[] others = IntStream.range(0, pool.length).filter(o -> o != self).mapToObj(o -> pool[o])
                    .toArray(NGrams.Counts[]::new);
            assertEquals(cider.score(pool[c], others), scores[c], 0.0, POOL.get(c));
        }
        assertEquals(scores[0], scores[5], 1e-12, "the same caption twice agrees alike");
        NGrams.Counts[] pair = {pool[2], pool[6]};
        assertNotEquals(cider.score(pool[2], new NGrams.Counts[] {pool[6]}),
                cider.score(pool[6], new NGrams.Counts[] {pool[2]}), "a pair's directions differ");
        assertEquals(cider.score(pool[6], new NGrams.Counts[] {pool[2]}), cider.scoresAgainstOthers(pair)[1], 0.0);
    }
}

package io.caption4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LanguageModelPretrainingTest {
    private static final long EOT = 0;

    @Test
    void packingJoinsTextsWithOneEndOfTextBetweenThemAndTrainsEveryTokenOnce() {
        List<long[]> framed = List.of(new long[] {EOT, 5, 6, EOT}, new long[] {EOT, 7, EOT},
                new long[] {EOT, 8, 9, 10, EOT});
        // the stream: eot 5 6 eot 7 eot 8 9 10 eot; 4 inputs per sequence, the next one starting at the 4th target
        List<long[]> sequences = LanguageModelPretraining.pack(framed, 4);
        assertEquals(3, sequences.size());
        assertArrayEquals(new long[] {EOT, 5, 6, EOT, 7}, sequences.get(0));
        assertArrayEquals(new long[] {7, EOT, 8, 9, 10}, sequences.get(1));
        assertArrayEquals(new long[] {10, EOT}, sequences.get(2), "the rest, one target");
    }

    @Test
    void aStreamThatFitsIsOneSequence() {
        List<long[]> sequences = LanguageModelPretraining.pack(List.of(new long[] {EOT, 5, EOT}), 64);
        assertEquals(1, sequences.size());
        assertArrayEquals(new long[] {EOT, 5, EOT}, sequences.get(0));
    }
}

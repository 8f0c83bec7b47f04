package io.caption4j.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class ConvBnTest {
    @Test
    void kerasSamePaddingPutsTheExtraPixelAtTheBottomRight() {
        assertArrayEquals(new int[] {0, 1}, ConvBn.samePad(224, 3, 2));
        assertArrayEquals(new int[] {1, 1}, ConvBn.samePad(112, 3, 1));
        assertArrayEquals(new int[] {1, 1}, ConvBn.samePad(7, 3, 2));
        assertArrayEquals(new int[] {0, 0}, ConvBn.samePad(7, 1, 1));
        assertArrayEquals(new int[] {1, 2}, ConvBn.samePad(8, 5, 2));
    }
}

package io.caption4j.vision;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RgbImageTest {
    /**
     * A 3×2 image whose pixel (x, y) has R = 10·y + x (so the value names its position), G = 100, B = 200:
     * <pre>
     *  0  1  2
     * 10 11 12
     * </pre>
     */
    private static RgbImage labelled() {
        byte[] rgb = new byte[3 * 2 * 3];
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 3; x++) {
                int i = (y * 3 + x) * 3;
                rgb[i] = (byte) (10 * y + x);
                rgb[i + 1] = 100;
                rgb[i + 2] = (byte) 200;
            }
        }
        return new RgbImage(3, 2, rgb);
    }

    private static int[] reds(RgbImage image) {
        int[] reds = new int[image.width() * image.height()];
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                reds[y * image.width() + x] = image.sample(x, y, 0);
            }
        }
        return reds;
    }

    /** Expected layouts, row by row, as a viewer shows the image for each EXIF orientation (TIFF 6.0 / EXIF 2.3). */
    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "1; 3; 0 1 2 10 11 12",
        "2; 3; 2 1 0 12 11 10",       // mirrored left-right
        "3; 3; 12 11 10 2 1 0",       // rotated 180°
        "4; 3; 10 11 12 0 1 2",       // flipped top-bottom
        "5; 2; 0 10 1 11 2 12",       // transposed
        "6; 2; 10 0 11 1 12 2",       // rotated 90° clockwise
        "7; 2; 12 2 11 1 10 0",       // transversed
        "8; 2; 2 12 1 11 0 10",       // rotated 90° counter-clockwise
    })
    void orientationPutsEveryPixelWhereAViewerShowsIt(int orientation, int expectedWidth, String expectedReds) {
        RgbImage oriented = labelled().oriented(orientation);
        assertEquals(expectedWidth, oriented.width());
        assertEquals(6 / expectedWidth, oriented.height());
        int[] expected = java.util.Arrays.stream(expectedReds.split(" ")).mapToInt(Integer::parseInt).toArray();
        assertArrayEquals(expected, reds(oriented));
        assertEquals(100, oriented.sample(0, 0, 1));
        assertEquals(200, oriented.sample(0, 0, 2));
    }

    @Test
    void flipHorizontalMirrorsAndTwiceIsIdentity() {
        RgbImage flipped = labelled().flipHorizontal();
        assertArrayEquals(new int[] {2, 1, 0, 12, 11, 10}, reds(flipped));
        assertArrayEquals(labelled().rgb(), flipped.flipHorizontal().rgb());
    }

    @Test
    void boxShrinkAveragesBlocksAndKeepsPartialEdgeBlocks() {
        // reds 0 1 2 / 10 11 12 shrunk 2×2: blocks {0,1,10,11} and {2,12}
        RgbImage shrunk = labelled().boxShrink(2, 2);
        assertEquals(2, shrunk.width());
        assertEquals(1, shrunk.height());
        assertArrayEquals(new int[] {6, 7}, reds(shrunk)); // 5.5 and 7, rounded half up
        assertEquals(100, shrunk.sample(1, 0, 1));
        assertEquals(labelled().rgb().length, labelled().boxShrink(1, 1).rgb().length);
    }

    @Test
    void refusesInconsistentSizesAndOrientations() {
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(2, 2, new byte[11]));
        assertThrows(IllegalArgumentException.class, () -> new RgbImage(0, 2, new byte[0]));
        assertThrows(IllegalArgumentException.class, () -> labelled().oriented(9));
        assertThrows(IllegalArgumentException.class, () -> labelled().boxShrink(0, 1));
    }
}

package io.caption4j.vision;

import io.caption4j.vision.TfjsPreprocessor.Normalization;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TfjsPreprocessorTest {
    private static RgbImage gray(int width, int height, int... values) {
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < values.length; i++) {
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = (byte) values[i];
        }
        return new RgbImage(width, height, rgb);
    }

    /** Channel 0 of a single-image tensor as a size × size grid, row-major. */
    private static float[] red(float[] tensor) {
        float[] red = new float[tensor.length / 3];
        for (int i = 0; i < red.length; i++) {
            red[i] = tensor[3 * i];
        }
        return red;
    }

    @Test
    void upscalingUsesTfjsSourcePositionsWithoutHalfPixelCentres() {
        // 2x2 → 4x4: source position = out · 2/4, so columns read 0, 0.5, 1, 1.5 → clamped to the last pixel.
        float[] out = red(new TfjsPreprocessor(4, Normalization.ZERO_TO_ONE).toTensor(gray(2, 2, 0, 100, 200, 40)));
        float[] expected = {
            0, 50, 100, 100,
            100, 85, 70, 70,
            200, 120, 40, 40,
            200, 120, 40, 40,
        };
        for (int i = 0; i < expected.length; i++) {
            expected[i] /= 255f;
        }
        assertArrayEquals(expected, out, 1e-7f);
    }

    @Test
    void downscalingSamplesTheTwoNearestSourcePixels() {
        // 4x1 → 2x1 (and 1 row → 2 rows): columns read source 0 and 2 exactly, rows read row 0 twice (0 and 0.5 → clamped).
        float[] out = red(new TfjsPreprocessor(2, Normalization.ZERO_TO_ONE).toTensor(gray(4, 1, 10, 20, 30, 40)));
        assertArrayEquals(new float[] {10 / 255f, 30 / 255f, 10 / 255f, 30 / 255f}, out, 0f);
    }

    @Test
    void largeImagesAreBoxAveragedFirstSoFineDetailDoesNotAlias() {
        // 1-pixel black/white columns: point sampling at 8.9x would give pure black or white; the average is mid-gray.
        int width = 2000;
        int[] stripes = new int[width];
        for (int x = 0; x < width; x++) {
            stripes[x] = x % 2 == 0 ? 0 : 255;
        }
        float[] out = new TfjsPreprocessor(224, Normalization.ZERO_TO_ONE).toTensor(gray(width, 1, stripes));
        for (float v : out) {
            assertEquals(0.5f, v, 0.01f);
        }
    }

    @Test
    void normalisationsMapTheByteRangeAsDocumented() {
        RgbImage blackAndWhite = gray(2, 1, 0, 255);
        float[] minusOne = new TfjsPreprocessor(2, Normalization.MINUS_ONE_TO_ONE).toTensor(blackAndWhite);
        assertEquals(-1f, minusOne[0]);
        assertEquals(1f, minusOne[3]);
        float[] unit = new TfjsPreprocessor(2, Normalization.ZERO_TO_ONE).toTensor(blackAndWhite);
        assertEquals(0f, unit[0]);
        assertEquals(1f, unit[3]);
        float[] imagenet = new TfjsPreprocessor(2, Normalization.IMAGENET_MEAN_STD).toTensor(blackAndWhite);
        assertArrayEquals(new float[] {-0.485f / 0.229f, -0.456f / 0.224f, -0.406f / 0.225f}, copy(imagenet, 0, 3), 1e-6f);
        assertArrayEquals(new float[] {0.515f / 0.229f, 0.544f / 0.224f, 0.594f / 0.225f}, copy(imagenet, 3, 6), 1e-6f);
    }

    private static float[] copy(float[] values, int from, int to) {
        return java.util.Arrays.copyOfRange(values, from, to);
    }

    @Test
    void batchIsTheImagesOneAfterAnother() {
        ImagePreprocessor preprocessor = new TfjsPreprocessor(3, Normalization.MINUS_ONE_TO_ONE);
        RgbImage a = gray(2, 2, 0, 50, 100, 150);
        RgbImage b = gray(5, 1, 255, 0, 255, 0, 255);
        float[] batch = preprocessor.toBatchTensor(List.of(a, b));
        assertEquals(2 * 27, batch.length);
        assertArrayEquals(preprocessor.toTensor(a), copy(batch, 0, 27), 0f);
        assertArrayEquals(preprocessor.toTensor(b), copy(batch, 27, 54), 0f);
    }

    @Test
    void identityNamesSizeResizeAndNormalisation() {
        Set<String> identities = new HashSet<>();
        for (Normalization normalization : Normalization.values()) {
            for (int size : new int[] {224, 256}) {
                String identity = new TfjsPreprocessor(size, normalization).identity();
                assertTrue(identity.contains(size + "x" + size), identity);
                assertTrue(identity.contains(normalization.formula()), identity);
                identities.add(identity);
            }
        }
        assertEquals(6, identities.size());
        assertEquals("resize=box-prefilter-above-2x,tfjs-bilinear(alignCorners=false,halfPixelCenters=false),whole-image,"
                        + "224x224;norm=v/127.5-1",
                new TfjsPreprocessor(224, Normalization.MINUS_ONE_TO_ONE).identity());
    }
}

package io.caption4j.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClipPreprocessorTest {
    private static final float[] MEAN = ClipPreprocessor.CLIP_MEAN;
    private static final float[] STD = ClipPreprocessor.CLIP_STD;

    @Test
    void uniformColourMapsToItsExactNormalisedValue() {
        RgbImage image = uniform(97, 61, 200, 100, 50);
        float[] out = new ClipPreprocessor(224, 224, MEAN, STD).toTensor(image);
        assertEquals(224 * 224 * 3, out.length);
        int[] rgb = {200, 100, 50};
        for (int i = 0; i < out.length; i++) {
            int ch = i % 3;
            assertEquals((rgb[ch] / 255f - MEAN[ch]) / STD[ch], out[i], 0f, "value " + i);
        }
    }

    @Test
    void photoAtTheCropSizeIsOnlyNormalised() {
        RgbImage photo = centre(new ImageLoader().load(photo("1000268201_693b08cb0e.jpg")), 224);
        float[] out = new ClipPreprocessor(224, 224, MEAN, STD).toTensor(photo);
        assertEquals(224 * 224 * 3, out.length);
        for (int i = 0; i < out.length; i++) {
            int ch = i % 3;
            assertEquals(((photo.rgb()[i] & 0xFF) / 255f - MEAN[ch]) / STD[ch], out[i], 0f, "value " + i);
        }
    }

    @Test
    void photoIsResizedOnItsShortSideAndCentreCropped() {
        RgbImage photo = new ImageLoader().load(photo("1000268201_693b08cb0e.jpg"));
        ClipPreprocessor clip = new ClipPreprocessor(224, 224, MEAN, STD);
        float[] out = clip.toTensor(photo);
        assertArrayEquals(out, clip.toTensor(photo));
        // values stay in the normalised range, and the crop keeps the photo's middle: its mean red is the mean red
        // of the photo's centre square (resampling preserves a mean up to rounding and the kernel's edges)
        double lo = (0 - MEAN[0]) / STD[0];
        double hi = (1 - MEAN[0]) / STD[0];
        double sum = 0;
        for (int i = 0; i < out.length; i += 3) {
            assertTrue(out[i] >= lo - 1e-6 && out[i] <= hi + 1e-6, "red value " + out[i]);
            sum += out[i];
        }
        double meanRed = sum / (224 * 224);
        double photoRed = 0;
        RgbImage middle = centre(photo, Math.min(photo.width(), photo.height()));
        for (int i = 0; i < middle.rgb().length; i += 3) {
            photoRed += middle.rgb()[i] & 0xFF;
        }
        photoRed = (photoRed / (middle.width() * middle.height()) / 255 - MEAN[0]) / STD[0];
        assertEquals(photoRed, meanRed, 0.02, "mean red of the crop vs the photo's centre square");
    }

    @Test
    void readsTheFoldersPreprocessorConfigOrFallsBackToClipsDefaults(@TempDir Path dir) throws IOException {
        assertEquals(new ClipPreprocessor(32, 32, MEAN, STD).identity(), ClipPreprocessor.read(dir, 32).identity());
        Files.writeString(dir.resolve(ClipPreprocessor.CONFIG), "{\"size\": {\"shortest_edge\": 40},"
                + " \"crop_size\": {\"height\": 32, \"width\": 32}, \"image_mean\": [0.5, 0.5, 0.5],"
                + " \"image_std\": [0.25, 0.25, 0.25]}");
        ClipPreprocessor read = ClipPreprocessor.read(dir, 32);
        assertEquals(32, read.size());
        assertEquals(new ClipPreprocessor(40, 32, new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.25f, 0.25f, 0.25f})
                .identity(), read.identity());
        assertEquals((51 / 255f - 0.5f) / 0.25f, read.toTensor(uniform(50, 80, 51, 51, 51))[0], 0f);
        Files.writeString(dir.resolve(ClipPreprocessor.CONFIG), "{\"image_mean\": [0.5, 0.5]}");
        InputException e = assertThrows(InputException.class, () -> ClipPreprocessor.read(dir, 32));
        assertTrue(e.getMessage().contains("image_mean"), e.getMessage());
    }

    private static Path photo(String name) {
        Path images = Path.of(System.getProperty("caption4j.shared", "../shared"), "data", "flickr8k-1k", "images");
        Path file = images.resolve(name);
        assertTrue(Files.isRegularFile(file), "shared photo missing: " + file.toAbsolutePath()
                + " (set -Dcaption4j.shared=...)");
        return file;
    }

    private static RgbImage uniform(int width, int height, int r, int g, int b) {
        byte[] rgb = new byte[width * height * 3];
        for (int i = 0; i < rgb.length; i += 3) {
            rgb[i] = (byte) r;
            rgb[i + 1] = (byte) g;
            rgb[i + 2] = (byte) b;
        }
        return new RgbImage(width, height, rgb);
    }

    /** The centre side×side square of an image. */
    private static RgbImage centre(RgbImage image, int side) {
        int top = (image.height() - side) / 2;
        int left = (image.width() - side) / 2;
        byte[] rgb = new byte[side * side * 3];
        for (int r = 0; r < side; r++) {
            System.arraycopy(image.rgb(), ((top + r) * image.width() + left) * 3, rgb, r * side * 3, side * 3);
        }
        return new RgbImage(side, side, rgb);
    }
}

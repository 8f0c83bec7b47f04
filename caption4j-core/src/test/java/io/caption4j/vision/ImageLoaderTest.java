package io.caption4j.vision;

import io.caption4j.util.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.caption4j.vision.TestImages.blocks;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ImageLoaderTest {
    private static final int RED = 0xFF0000;
    private static final int GREEN = 0x00FF00;
    private static final int BLUE = 0x0000FF;
    private static final int WHITE = 0xFFFFFF;
    /** JPEG at quality 0.95 brings solid blocks back within this many levels. */
    private static final int JPEG_TOLERANCE = 6;

    private final ImageLoader loader = new ImageLoader();

    @TempDir
    Path dir;

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static void assertPixel(RgbImage image, int x, int y, int expectedRgb, int tolerance) {
        for (int c = 0; c < 3; c++) {
            int expected = (expectedRgb >> (16 - 8 * c)) & 0xFF;
            int actual = image.sample(x, y, c);
            int channel = c;
            assertTrue(Math.abs(expected - actual) <= tolerance, () -> "pixel (" + x + "," + y + ") channel " + channel
                    + ": expected " + expected + " ± " + tolerance + ", got " + actual);
        }
    }

    // ---- formats -------------------------------------------------------------------------------------------------

    @Test
    void pngAndBmpAreExact() throws IOException {
        BufferedImage image = blocks(BufferedImage.TYPE_3BYTE_BGR, 1, 1, 3, 2, RED, GREEN, BLUE, WHITE, 0x123456, 0);
        for (String format : List.of("png", "bmp")) {
            RgbImage loaded = loader.load(file("blocks." + format, TestImages.encode(image, format)));
            assertEquals(3, loaded.width());
            assertEquals(2, loaded.height());
            assertArrayEquals(new byte[] {
                (byte) 255, 0, 0, 0, (byte) 255, 0, 0, 0, (byte) 255,
                (byte) 255, (byte) 255, (byte) 255, 0x12, 0x34, 0x56, 0, 0, 0}, loaded.rgb(), format);
        }
    }

    @Test
    void grayscalePngKeepsItsGrayValues() throws IOException {
        BufferedImage gray = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 100, 255});
        RgbImage loaded = loader.load(file("gray.png", TestImages.encode(gray, "png")));
        // not brightened by Java's linear-gray colour space: 100 stays 100
        assertArrayEquals(new byte[] {0, 0, 0, 100, 100, 100, (byte) 255, (byte) 255, (byte) 255}, loaded.rgb());
    }

    @Test
    void palettePngWithTransparentEntryIsCompositedOverWhite() throws IOException {
        IndexColorModel palette = new IndexColorModel(2, 3,
                new byte[] {(byte) 200, 0, 0}, new byte[] {10, (byte) 150, 0}, new byte[] {20, 30, 0},
                new byte[] {(byte) 255, (byte) 255, 0});
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
        image.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 1, 2});
        RgbImage loaded = loader.load(file("palette.png", TestImages.encode(image, "png")));
        assertArrayEquals(new byte[] {(byte) 200, 10, 20, 0, (byte) 150, 30, (byte) 255, (byte) 255, (byte) 255},
                loaded.rgb());
    }

    @Test
    void alphaIsCompositedOverWhite() throws IOException {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_ARGB);
        image.setRGB(0, 0, 0xFFFF0000); // opaque red
        image.setRGB(1, 0, 0x80000000); // half-transparent black → mid gray
        image.setRGB(2, 0, 0x000000FF); // fully transparent blue → white
        RgbImage loaded = loader.load(file("alpha.png", TestImages.encode(image, "png")));
        assertArrayEquals(new byte[] {(byte) 255, 0, 0, 127, 127, 127, (byte) 255, (byte) 255, (byte) 255},
                loaded.rgb());
    }

    @Test
    void sixteenBitPngsAreRoundedTo8Bit() throws IOException {
        BufferedImage gray = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
        gray.getRaster().setPixels(0, 0, 3, 1, new int[] {65535, 32896, 1000});
        byte[] grayPng = TestImages.encode(gray, "png");
        assertEquals(16, grayPng[24], "PNG bit depth");
        assertArrayEquals(new byte[] {(byte) 255, (byte) 255, (byte) 255, (byte) 128, (byte) 128, (byte) 128, 4, 4, 4},
                loader.load(file("gray16.png", grayPng)).rgb());

        var rgb16 = new java.awt.image.ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
                java.awt.Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = rgb16.createCompatibleWritableRaster(1, 1);
        raster.setPixel(0, 0, new int[] {65535, 32896, 1000});
        byte[] rgbPng = TestImages.encode(new BufferedImage(rgb16, raster, false, null), "png");
        assertEquals(16, rgbPng[24], "PNG bit depth");
        assertArrayEquals(new byte[] {(byte) 255, (byte) 128, 4}, loader.load(file("rgb16.png", rgbPng)).rgb());
    }

    @Test
    void animatedGifGivesItsFirstFrame() throws IOException {
        Path gif = file("anim.gif", TestImages.animatedGif(
                blocks(BufferedImage.TYPE_3BYTE_BGR, 8, 8, 1, 1, RED),
                blocks(BufferedImage.TYPE_3BYTE_BGR, 8, 8, 1, 1, BLUE)));
        assertEquals(2, frameCount(gif));
        RgbImage loaded = loader.load(gif);
        assertEquals(8, loaded.width());
        assertPixel(loaded, 4, 4, RED, 0);
    }

    private static int frameCount(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            return reader.getNumImages(true);
        }
    }

    @Test
    void grayscaleJpegGivesEqualChannels() throws IOException {
        BufferedImage gray = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setPixels(0, 0, 16, 16, filled(256, 90));
        RgbImage loaded = loader.load(file("gray.jpg", TestImages.jpeg(gray)));
        assertPixel(loaded, 8, 8, 0x5A5A5A, 2);
    }

    private static int[] filled(int length, int value) {
        int[] values = new int[length];
        Arrays.fill(values, value);
        return values;
    }

    /**
     * Red in CMYK (Adobe-inverted: 255 = no ink) and in YCCK (those inverted C, M, Y taken as R, G, B — here cyan,
     * which inverts to red — in YCbCr, with K as is).
     */
    @ParameterizedTest
    @CsvSource({"cmyk, 0, 255, 0, 0, 255", "ycck, 2, 179, 171, 0, 255"})
    void cmykAndYcckJpegsBecomeRgb(String name, int adobeTransform, int b0, int b1, int b2, int b3) throws IOException {
        WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, 16, 16, 4, null);
        for (int i = 0; i < 16 * 16; i++) {
            raster.setPixel(i % 16, i / 16, new int[] {b0, b1, b2, b3});
        }
        byte[] jpeg = TestImages.withSegment(TestImages.jpeg(raster), TestImages.adobe(adobeTransform));
        RgbImage loaded = loader.load(file(name + ".jpg", jpeg));
        assertPixel(loaded, 8, 8, RED, JPEG_TOLERANCE);
    }

    @Test
    void embeddedIccProfileIsConvertedToSrgb() throws IOException {
        byte[] jpeg = TestImages.jpeg(blocks(BufferedImage.TYPE_3BYTE_BGR, 16, 16, 1, 1, 0x808080));
        byte[] linear = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        RgbImage loaded = loader.load(file("linear.jpg", TestImages.withSegment(jpeg, TestImages.iccProfile(linear))));
        // linear-light 128/255 is sRGB 188
        assertPixel(loaded, 8, 8, 0xBCBCBC, 2);
    }

    /** The JDK's own JPEG reader throws on this ("Numbers of source Raster bands and source color space ..."). */
    @Test
    void iccProfileThatDoesNotFitTheImageIsIgnored() throws IOException {
        byte[] jpeg = TestImages.jpeg(blocks(BufferedImage.TYPE_3BYTE_BGR, 16, 16, 1, 1, 0x808080));
        byte[] gray = ICC_Profile.getInstance(ColorSpace.CS_GRAY).getData();
        RgbImage loaded = loader.load(file("grayprofile.jpg", TestImages.withSegment(jpeg, TestImages.iccProfile(gray))));
        assertPixel(loaded, 8, 8, 0x808080, 2);
    }

    /**
     * Stored 48×32 as four 24×16 blocks (red, green / blue, white); expected: the colours at the four corners as a
     * viewer shows them, top-left, top-right, bottom-left, bottom-right.
     */
    @ParameterizedTest
    @CsvSource({
        "1, 48, FF0000, 00FF00, 0000FF, FFFFFF",
        "3, 48, FFFFFF, 0000FF, 00FF00, FF0000",
        "6, 32, 0000FF, FF0000, FFFFFF, 00FF00",
        "8, 32, 00FF00, FFFFFF, FF0000, 0000FF",
    })
    void exifOrientationIsApplied(int orientation, int expectedWidth, String topLeft, String topRight,
                                  String bottomLeft, String bottomRight) throws IOException {
        byte[] jpeg = TestImages.jpeg(blocks(BufferedImage.TYPE_3BYTE_BGR, 24, 16, 2, 2, RED, GREEN, BLUE, WHITE));
        RgbImage loaded = loader.load(file("exif.jpg", TestImages.withSegment(jpeg, TestImages.exifOrientation(orientation))));
        assertEquals(expectedWidth, loaded.width());
        assertEquals(80 - expectedWidth, loaded.height());
        int right = loaded.width() - 5;
        int bottom = loaded.height() - 5;
        assertPixel(loaded, 4, 4, Integer.parseInt(topLeft, 16), JPEG_TOLERANCE);
        assertPixel(loaded, right, 4, Integer.parseInt(topRight, 16), JPEG_TOLERANCE);
        assertPixel(loaded, 4, bottom, Integer.parseInt(bottomLeft, 16), JPEG_TOLERANCE);
        assertPixel(loaded, right, bottom, Integer.parseInt(bottomRight, 16), JPEG_TOLERANCE);
    }

    // ---- bad input: one InputException naming the file and the problem -------------------------------------------

    private InputException refused(Path file, String expectedProblem) {
        return refused(loader, file, expectedProblem);
    }

    private static InputException refused(ImageLoader loader, Path file, String expectedProblem) {
        InputException e = assertThrows(InputException.class, () -> loader.load(file));
        assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedProblem), e.getMessage());
        return e;
    }

    @Test
    void emptyFileIsRefused() throws IOException {
        refused(file("empty.jpg", new byte[0]), "empty file (0 bytes)");
    }

    @Test
    void truncatedJpegIsRefusedNotHalfDecoded() throws IOException {
        BufferedImage noise = new BufferedImage(64, 64, BufferedImage.TYPE_3BYTE_BGR);
        Random random = new Random(7);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 64; x++) {
                noise.setRGB(x, y, random.nextInt());
            }
        }
        byte[] jpeg = TestImages.jpeg(noise);
        assertEquals(64, loader.load(file("whole.jpg", jpeg)).width());
        refused(file("cut.jpg", Arrays.copyOf(jpeg, jpeg.length / 2)), "truncated JPEG");
    }

    @Test
    void truncatedPngIsRefused() throws IOException {
        byte[] png = TestImages.encode(blocks(BufferedImage.TYPE_3BYTE_BGR, 1, 1, 2, 1, RED, BLUE), "png");
        refused(file("cut.png", Arrays.copyOf(png, png.length / 2)), "cannot decode PNG image");
    }

    @Test
    void textFileNamedJpgIsNotAnImage() throws IOException {
        refused(file("notes.jpg", "a dog runs on the grass\n".getBytes(StandardCharsets.UTF_8)), "not an image");
    }

    @Test
    void jpegSignatureFollowedByGarbageIsRefused() throws IOException {
        byte[] garbage = new byte[500];
        new Random(5).nextBytes(garbage);
        garbage[0] = (byte) 0xFF;
        garbage[1] = (byte) 0xD8;
        garbage[2] = (byte) 0xFF;
        refused(file("garbage.jpg", garbage), "cannot decode JPEG");
    }

    @Test
    void hugeImageIsRefusedFromItsHeaderBeforeDecoding() throws IOException {
        Path huge = file("huge.png", TestImages.pngClaiming(30000, 30000));
        assertTrue(Files.size(huge) < 200);
        refused(huge, "image is 30000×30000 pixels (900.0 megapixels), more than the limit of 50.0 megapixels");
    }

    @Test
    void pixelLimitIsConfigurable() throws IOException {
        byte[] png = TestImages.encode(blocks(BufferedImage.TYPE_3BYTE_BGR, 10, 10, 1, 1, RED), "png");
        Path file = file("ten.png", png);
        assertEquals(10, new ImageLoader(100).load(file).width());
        refused(new ImageLoader(99), file, "more than the limit");
    }

    @Test
    void missingFileAndDirectoryAreRefused() {
        refused(dir.resolve("nowhere.jpg"), "no such file");
        refused(dir, "is a directory, not an image file");
    }

    // ---- threads -------------------------------------------------------------------------------------------------

    @Test
    void concurrentLoadsGiveTheSameImagesAsSequentialOnes() throws Exception {
        List<Path> files = new ArrayList<>();
        Random random = new Random(3);
        for (int i = 0; i < 8; i++) {
            BufferedImage image = new BufferedImage(40 + i, 30, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < image.getHeight(); y++) {
                for (int x = 0; x < image.getWidth(); x++) {
                    image.setRGB(x, y, random.nextInt());
                }
            }
            byte[] content = i % 2 == 0 ? TestImages.jpeg(image) : TestImages.encode(image, "png");
            files.add(file("noise" + i + (i % 2 == 0 ? ".jpg" : ".png"), content));
        }
        List<byte[]> sequential = files.stream().map(f -> loader.load(f).rgb()).toList();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<byte[]>> concurrent = new ArrayList<>();
            for (int round = 0; round < 25; round++) {
                for (Path file : files) {
                    concurrent.add(pool.submit(() -> loader.load(file).rgb()));
                }
            }
            for (int i = 0; i < concurrent.size(); i++) {
                assertArrayEquals(sequential.get(i % files.size()), concurrent.get(i).get(), "load " + i);
            }
        } finally {
            pool.shutdown();
        }
    }
}

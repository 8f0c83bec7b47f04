package io.caption4j.vision;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * Decoded {@link BufferedImage} of any layout → 8-bit {@link RgbImage}, alpha composited over white. Reads raster
 * rows in bulk rather than pixel by pixel, and treats gray samples as display values (Java's gray colour space is
 * linear, so its own conversion would brighten every grayscale PNG and JPEG).
 */
final class RgbConversion {
    private RgbConversion() {
    }

    static RgbImage toRgb(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        byte[] rgb = new byte[Math.multiplyExact(width * height, 3)];
        ColorModel colorModel = image.getColorModel();
        if (isGrayOrSrgbSamples(colorModel)) {
            fromSamples(image.getRaster(), colorModel, rgb);
        } else if (colorModel instanceof IndexColorModel palette) {
            fromPalette(image.getRaster(), palette, rgb);
        } else {
            fromArgb(image, rgb);
        }
        return new RgbImage(width, height, rgb);
    }

    /** Plain gray / gray+alpha / RGB / RGBA samples of up to 16 bits, not premultiplied. */
    private static boolean isGrayOrSrgbSamples(ColorModel colorModel) {
        if (!(colorModel instanceof ComponentColorModel) || colorModel.isAlphaPremultiplied()) {
            return false;
        }
        int transferType = colorModel.getTransferType();
        ColorSpace space = colorModel.getColorSpace();
        return (transferType == DataBuffer.TYPE_BYTE || transferType == DataBuffer.TYPE_USHORT)
                && (space.isCS_sRGB() || space.getType() == ColorSpace.TYPE_GRAY);
    }

    private static void fromSamples(Raster raster, ColorModel colorModel, byte[] rgb) {
        int width = raster.getWidth();
        int bands = raster.getNumBands();
        boolean gray = colorModel.getNumColorComponents() == 1;
        boolean alpha = colorModel.hasAlpha();
        int[] max = new int[bands];
        for (int b = 0; b < bands; b++) {
            max[b] = (1 << colorModel.getComponentSize(b)) - 1;
        }
        int[] row = new int[width * bands];
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getPixels(0, y, width, 1, row);
            for (int i = 0; i < row.length; i += bands) {
                int a = alpha ? to8Bit(row[i + bands - 1], max[bands - 1]) : 255;
                for (int c = 0; c < 3; c++) {
                    int band = gray ? 0 : c;
                    rgb[o++] = (byte) overWhite(to8Bit(row[i + band], max[band]), a);
                }
            }
        }
    }

    private static void fromPalette(Raster raster, IndexColorModel palette, byte[] rgb) {
        int width = raster.getWidth();
        int[] argb = new int[palette.getMapSize()];
        palette.getRGBs(argb);
        int[] row = new int[width];
        int o = 0;
        for (int y = 0; y < raster.getHeight(); y++) {
            raster.getSamples(0, y, width, 1, 0, row);
            for (int index : row) {
                o = putArgb(argb[index], rgb, o);
            }
        }
    }

    /** Anything else (packed int pixels, other colour spaces): Java2D's own conversion to sRGB, one row at a time. */
    private static void fromArgb(BufferedImage image, byte[] rgb) {
        int width = image.getWidth();
        int[] row = new int[width];
        int o = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            image.getRGB(0, y, width, 1, row, 0, width);
            for (int argb : row) {
                o = putArgb(argb, rgb, o);
            }
        }
    }

    private static int putArgb(int argb, byte[] rgb, int o) {
        int a = argb >>> 24;
        rgb[o] = (byte) overWhite((argb >> 16) & 0xFF, a);
        rgb[o + 1] = (byte) overWhite((argb >> 8) & 0xFF, a);
        rgb[o + 2] = (byte) overWhite(argb & 0xFF, a);
        return o + 3;
    }

    /** A {@code max}-scaled sample (e.g. 16-bit, max 65535) rounded to 0..255. */
    private static int to8Bit(int sample, int max) {
        return max == 255 ? sample : (sample * 255 + max / 2) / max;
    }

    /** Colour {@code c} with opacity {@code a} (both 0..255, not premultiplied) over a white background. */
    private static int overWhite(int c, int a) {
        return (c * a + 255 * (255 - a) + 127) / 255;
    }
}

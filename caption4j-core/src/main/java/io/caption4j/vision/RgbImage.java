package io.caption4j.vision;

/**
 * An 8-bit sRGB image: {@code rgb} holds R, G, B bytes (unsigned) interleaved, row-major, top row first, so the
 * sample of channel {@code c} at column {@code x}, row {@code y} is {@code rgb[(y * width + x) * 3 + c] & 0xFF}.
 * The array is shared, not copied: treat it as read-only. (Being a record over an array, {@code equals} compares the
 * array's identity, not its content.)
 */
public record RgbImage(int width, int height, byte[] rgb) {
    public RgbImage {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
        }
        if (rgb.length != (long) width * height * 3) {
            throw new IllegalArgumentException(
                    "expected " + (long) width * height * 3 + " bytes for " + width + "x" + height + " RGB, got " + rgb.length);
        }
    }

    /** Channel {@code c} (0 = R, 1 = G, 2 = B) at column {@code x}, row {@code y}, as 0..255. */
    public int sample(int x, int y, int c) {
        return rgb[(y * width + x) * 3 + c] & 0xFF;
    }

    /** The mirror image, left and right swapped (horizontal-flip augmentation). */
    public RgbImage flipHorizontal() {
        return oriented(2);
    }

    /**
     * The image as it is meant to be displayed, given its EXIF orientation tag (1 to 8, TIFF 6.0 / EXIF 2.3 meaning:
     * 1 as stored, 2 mirrored, 3 rotated 180°, 4 flipped, 5 transposed, 6 needs 90° clockwise rotation, 7 transversed,
     * 8 needs 90° counter-clockwise rotation). Orientations 5 to 8 swap width and height.
     */
    public RgbImage oriented(int exifOrientation) {
        if (exifOrientation < 1 || exifOrientation > 8) {
            throw new IllegalArgumentException("EXIF orientation must be 1..8, got " + exifOrientation);
        }
        if (exifOrientation == 1) {
            return this;
        }
        // Every orientation is: output (x, y) reads source (u, v) = transposed ? (y, x) : (x, y), then mirrored.
        boolean transposed = exifOrientation >= 5;
        boolean mirrorX = exifOrientation == 2 || exifOrientation == 3 || exifOrientation == 7 || exifOrientation == 8;
        boolean mirrorY = exifOrientation == 3 || exifOrientation == 4 || exifOrientation == 6 || exifOrientation == 7;
        int outWidth = transposed ? height : width;
        int outHeight = transposed ? width : height;
        byte[] out = new byte[rgb.length];
        int o = 0;
        for (int y = 0; y < outHeight; y++) {
            for (int x = 0; x < outWidth; x++) {
                int u = transposed ? y : x;
                int v = transposed ? x : y;
                int sx = mirrorX ? width - 1 - u : u;
                int sy = mirrorY ? height - 1 - v : v;
                int s = (sy * width + sx) * 3;
                out[o++] = rgb[s];
                out[o++] = rgb[s + 1];
                out[o++] = rgb[s + 2];
            }
        }
        return new RgbImage(outWidth, outHeight, out);
    }

    /**
     * The image shrunk by integer factors with a box filter: each output pixel is the rounded mean of a
     * {@code factorX} × {@code factorY} block (blocks at the right and bottom edges may be smaller, so no pixel is
     * dropped). Output size: ceil(width / factorX) × ceil(height / factorY).
     */
    public RgbImage boxShrink(int factorX, int factorY) {
        if (factorX < 1 || factorY < 1) {
            throw new IllegalArgumentException("shrink factors must be positive: " + factorX + ", " + factorY);
        }
        if (factorX == 1 && factorY == 1) {
            return this;
        }
        int outWidth = (width + factorX - 1) / factorX;
        int outHeight = (height + factorY - 1) / factorY;
        byte[] out = new byte[outWidth * outHeight * 3];
        int[] sums = new int[outWidth * 3];
        for (int oy = 0; oy < outHeight; oy++) {
            java.util.Arrays.fill(sums, 0);
            int rowEnd = Math.min(height, (oy + 1) * factorY);
            for (int y = oy * factorY; y < rowEnd; y++) {
                for (int x = 0, s = y * width * 3; x < width; x++, s += 3) {
                    int o = x / factorX * 3;
                    sums[o] += rgb[s] & 0xFF;
                    sums[o + 1] += rgb[s + 1] & 0xFF;
                    sums[o + 2] += rgb[s + 2] & 0xFF;
                }
            }
            int blockHeight = rowEnd - oy * factorY;
            for (int ox = 0; ox < outWidth; ox++) {
                int count = (Math.min(width, (ox + 1) * factorX) - ox * factorX) * blockHeight;
                for (int c = 0; c < 3; c++) {
                    out[(oy * outWidth + ox) * 3 + c] = (byte) ((sums[ox * 3 + c] + count / 2) / count);
                }
            }
        }
        return new RgbImage(outWidth, outHeight, out);
    }
}

package io.caption4j.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * CLIP's image preprocessing (Hugging Face's {@code CLIPImageProcessor}): the shorter side resized to
 * {@code shortestEdge} with Pillow's bicubic filter (antialiased: the kernel widens with the shrink factor), the
 * centre {@code cropSize}×{@code cropSize} cut out, values scaled to [0, 1] and normalised per channel,
 * {@code (v/255 − mean)/std}. Like Pillow on 8-bit images, each resize pass (horizontal, then vertical) rounds to
 * 0..255. Output layout HWC, channels R, G, B.
 */
public final class ClipPreprocessor implements ImagePreprocessor {
    /** CLIP's own normalisation (OpenAI), used when a folder has no {@code preprocessor_config.json}. */
    public static final float[] CLIP_MEAN = {0.48145466f, 0.4578275f, 0.40821073f};
    public static final float[] CLIP_STD = {0.26862954f, 0.26130258f, 0.27577711f};
    public static final String CONFIG = "preprocessor_config.json";
    private static final double BICUBIC_A = -0.5; // Pillow's bicubic
    private static final double BICUBIC_SUPPORT = 2;

    private final int shortestEdge;
    private final int cropSize;
    private final float[] mean;
    private final float[] std;

    public ClipPreprocessor(int shortestEdge, int cropSize, float[] mean, float[] std) {
        if (shortestEdge < cropSize || cropSize < 1) {
            throw new IllegalArgumentException("shortest edge " + shortestEdge + " must be ≥ crop size " + cropSize
                    + " ≥ 1");
        }
        this.shortestEdge = shortestEdge;
        this.cropSize = cropSize;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /**
     * The preprocessing of a Hugging Face CLIP folder: its {@code preprocessor_config.json} when present
     * ({@code size.shortest_edge}, {@code crop_size}, {@code image_mean}, {@code image_std}), else CLIP's defaults
     * for a vision tower of {@code imageSize} pixels.
     */
    public static ClipPreprocessor read(Path folder, int imageSize) {
        Path file = folder.resolve(CONFIG);
        if (!Files.exists(file)) {
            return new ClipPreprocessor(imageSize, imageSize, CLIP_MEAN, CLIP_STD);
        }
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw InputException.at(file, "is not valid JSON: " + e.getMessage());
        }
        int crop = side(file, json.path("crop_size"), "height", imageSize);
        if (crop != imageSize) {
            throw InputException.at(file, "crop_size " + crop + " differs from the vision tower's image_size "
                    + imageSize);
        }
        int edge = side(file, json.path("size"), "shortest_edge", imageSize);
        return new ClipPreprocessor(edge, crop, channels(file, json, "image_mean", CLIP_MEAN),
                channels(file, json, "image_std", CLIP_STD));
    }

    /** A side given as a number or as an object field (crop_size: {"height": …}, size: {"shortest_edge": …}). */
    private static int side(Path file, JsonNode node, String field, int fallback) {
        JsonNode value = node.isObject() ? node.path(field) : node;
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.canConvertToInt() || value.asInt() < 1) {
            throw InputException.at(file, "'" + field + "' must be a positive integer, got " + value);
        }
        return value.asInt();
    }

    private static float[] channels(Path file, JsonNode json, String field, float[] fallback) {
        JsonNode node = json.path(field);
        if (node.isMissingNode()) {
            return fallback;
        }
        if (!node.isArray() || node.size() != 3 || !node.get(0).isNumber() || !node.get(1).isNumber()
                || !node.get(2).isNumber()) {
            throw InputException.at(file, "'" + field + "' must be three numbers (R, G, B), got " + node);
        }
        return new float[] {node.get(0).floatValue(), node.get(1).floatValue(), node.get(2).floatValue()};
    }

    @Override
    public int size() {
        return cropSize;
    }

    @Override
    public String identity() {
        return String.format(Locale.ROOT, "resize=pillow-bicubic-antialias,shortest-edge=%d,center-crop=%dx%d;"
                + "norm=(v/255-mean)/std,mean=%s,std=%s", shortestEdge, cropSize, cropSize, Arrays.toString(mean),
                Arrays.toString(std));
    }

    @Override
    public void writeTensor(RgbImage image, float[] out, int offset) {
        int width = image.width();
        int height = image.height();
        int newWidth;
        int newHeight;
        if (width <= height) { // as Hugging Face: the longer side truncated, int(edge · long / short)
            newWidth = shortestEdge;
            newHeight = (int) ((long) shortestEdge * height / width);
        } else {
            newHeight = shortestEdge;
            newWidth = (int) ((long) shortestEdge * width / height);
        }
        int[] resized = resizeVertical(resizeHorizontal(image.rgb(), width, height, newWidth), newWidth, height,
                newHeight);
        int top = (newHeight - cropSize) / 2;
        int left = (newWidth - cropSize) / 2;
        int o = offset;
        for (int r = 0; r < cropSize; r++) {
            int row = ((top + r) * newWidth + left) * 3;
            for (int i = 0; i < cropSize * 3; i++) {
                int ch = i % 3;
                out[o++] = (resized[row + i] / 255f - mean[ch]) / std[ch];
            }
        }
    }

    /** 8-bit RGB rows [height][width] → [height][outWidth], rounded to 0..255 as Pillow does. */
    private static int[] resizeHorizontal(byte[] rgb, int width, int height, int outWidth) {
        Kernel k = new Kernel(width, outWidth);
        int[] out = new int[height * outWidth * 3];
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < outWidth; x++) {
                for (int ch = 0; ch < 3; ch++) {
                    double sum = 0;
                    for (int t = 0; t < k.weights[x].length; t++) {
                        sum += k.weights[x][t] * (rgb[(y * width + k.first[x] + t) * 3 + ch] & 0xFF);
                    }
                    out[(y * outWidth + x) * 3 + ch] = clip8(sum);
                }
            }
        }
        return out;
    }

    /** [height][width] → [outHeight][width]. */
    private static int[] resizeVertical(int[] rgb, int width, int height, int outHeight) {
        Kernel k = new Kernel(height, outHeight);
        int[] out = new int[outHeight * width * 3];
        for (int y = 0; y < outHeight; y++) {
            for (int i = 0; i < width * 3; i++) {
                double sum = 0;
                for (int t = 0; t < k.weights[y].length; t++) {
                    sum += k.weights[y][t] * rgb[(k.first[y] + t) * width * 3 + i];
                }
                out[y * width * 3 + i] = clip8(sum);
            }
        }
        return out;
    }

    private static int clip8(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** Pillow's resampling coefficients along one axis: output i reads inputs first[i].., weights normalised to 1. */
    private static final class Kernel {
        final int[] first;
        final double[][] weights;

        Kernel(int inSize, int outSize) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(1, scale);
            double support = BICUBIC_SUPPORT * filterScale;
            first = new int[outSize];
            weights = new double[outSize][];
            for (int i = 0; i < outSize; i++) {
                double center = (i + 0.5) * scale;
                int min = Math.max(0, (int) (center - support + 0.5));
                int max = Math.min(inSize, (int) (center + support + 0.5));
                double[] w = new double[max - min];
                double total = 0;
                for (int t = 0; t < w.length; t++) {
                    w[t] = bicubic((t + min - center + 0.5) / filterScale);
                    total += w[t];
                }
                for (int t = 0; t < w.length; t++) {
                    w[t] = total == 0 ? 0 : w[t] / total;
                }
                first[i] = min;
                weights[i] = w;
            }
        }

        private static double bicubic(double x) {
            double a = Math.abs(x);
            if (a < 1) {
                return ((BICUBIC_A + 2) * a - (BICUBIC_A + 3)) * a * a + 1;
            }
            if (a < 2) {
                return (((a - 5) * a + 8) * a - 4) * BICUBIC_A;
            }
            return 0;
        }
    }
}

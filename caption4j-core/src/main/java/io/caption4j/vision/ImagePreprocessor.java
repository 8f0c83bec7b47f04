package io.caption4j.vision;

import java.util.List;

/**
 * {@link RgbImage} → an image encoder's input: float[size × size × 3], layout HWC (NHWC with N = 1), channels R, G, B.
 * Implementations are immutable and thread-safe.
 */
public interface ImagePreprocessor {

    /** Side of the square output, in pixels. */
    int size();

    /** A stable description of this preprocessing; feature caches are keyed by it. */
    String identity();

    /** Writes one image's {@link #tensorLength()} floats into {@code out} from {@code offset} (fills a batch in place). */
    void writeTensor(RgbImage image, float[] out, int offset);

    /** Floats per image: size × size × 3. */
    default int tensorLength() {
        return size() * size() * 3;
    }

    /** One image as a float[size × size × 3]. */
    default float[] toTensor(RgbImage image) {
        float[] out = new float[tensorLength()];
        writeTensor(image, out, 0);
        return out;
    }

    /** Several images as one float[n × size × size × 3] (NHWC). */
    default float[] toBatchTensor(List<RgbImage> images) {
        float[] out = new float[images.size() * tensorLength()];
        for (int i = 0; i < images.size(); i++) {
            writeTensor(images.get(i), out, i * tensorLength());
        }
        return out;
    }
}

package io.caption4j.vision.tfjs;

import java.util.Arrays;

/** A named weight tensor of a TF.js model, dequantized to float32, in the row-major order TF.js stores it. */
public record TfjsWeight(String name, long[] shape, float[] values) {

    public long size() {
        return Arrays.stream(shape).reduce(1, Math::multiplyExact);
    }

    public String shapeText() {
        return Arrays.toString(shape);
    }
}

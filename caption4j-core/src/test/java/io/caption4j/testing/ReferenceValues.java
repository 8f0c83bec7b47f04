package io.caption4j.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/** Comparing our numbers with the reference numbers of the fixtures. */
public final class ReferenceValues {
    private ReferenceValues() {}

    /** All numbers of a (nested) JSON array, in order. */
    public static float[] floats(JsonNode node) {
        List<Float> values = new ArrayList<>();
        flatten(node, values);
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    private static void flatten(JsonNode node, List<Float> out) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, out));
        } else {
            out.add(node.floatValue());
        }
    }

    /** The largest absolute difference of two equally long arrays, in double precision. */
    public static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "number of values");
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }
}

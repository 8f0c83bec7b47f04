package io.caption4j.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ArrayValuesTest {

    @Test
    void writesValuesInPlaceRowMajorEvenIntoAnArrayThatTrains() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.zeros(new Shape(2, 3));
            target.setRequiresGradient(true);
            ArrayValues.assign(target, new float[] {1, 2, 3, 4, 5, 6});
            assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, target.toFloatArray());
            assertArrayEquals(new float[] {4, 5, 6}, target.get(1).toFloatArray());
        }
    }

    @Test
    void refusesAWrongNumberOfValues() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.zeros(new Shape(2, 3));
            assertThrows(IllegalArgumentException.class, () -> ArrayValues.assign(target, new float[5]));
        }
    }
}

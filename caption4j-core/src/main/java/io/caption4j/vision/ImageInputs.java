package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;

/**
 * The images of a split as the model takes them: decoded pixels for a captioner that trains its own encoder, or a
 * frozen backbone's cached region features. Indexed 0..size-1 in the split's order.
 */
public interface ImageInputs {
    int size();

    /** The model inputs of the given images, batch first, created in {@code manager}. */
    NDArray batch(NDManager manager, int[] indices);

    /** Inputs already in memory: row i of {@code rows} (batch first) is image i. */
    static ImageInputs of(NDArray rows) {
        return new ImageInputs() {
            @Override
            public int size() {
                return Math.toIntExact(rows.getShape().get(0));
            }

            @Override
            public NDArray batch(NDManager manager, int[] indices) {
                return rows.get(manager.create(Arrays.stream(indices).asLongStream().toArray()));
            }
        };
    }
}

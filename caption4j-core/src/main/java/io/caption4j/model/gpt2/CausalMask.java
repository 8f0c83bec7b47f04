package io.caption4j.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;

/**
 * GPT-2's causal mask, made once for all n_positions (Hugging Face keeps it as the {@code attn.bias} buffer): the
 * lowest float where query i may not see key j (j > i), 0 elsewhere, added to the attention scores. A forward pass
 * slices it instead of building it from position ids; the layers of one model share it.
 */
final class CausalMask {
    private final int positions;
    private NDArray mask;

    CausalMask(int positions) {
        this.positions = positions;
    }

    /** Makes the [n_positions, n_positions] mask on the manager of the model's parameters. */
    void initialize(NDManager manager) {
        try (NDManager scratch = manager.newSubManager()) {
            NDArray query = scratch.arange(0, positions, 1, DataType.INT64).reshape(positions, 1);
            NDArray key = scratch.arange(0, positions, 1, DataType.INT64).reshape(1, positions);
            NDArray hidden = query.lt(key).toType(DataType.FLOAT32, false).mul(-Float.MAX_VALUE);
            hidden.attach(manager);
            mask = hidden;
        }
    }

    /** The mask [T, P + T] for T new positions after P earlier ones. */
    NDArray forPositions(long past, long length) {
        return mask.get(new NDIndex().addSliceDim(past, past + length).addSliceDim(0, past + length));
    }
}

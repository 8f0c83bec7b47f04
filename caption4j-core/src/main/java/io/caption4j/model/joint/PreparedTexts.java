package io.caption4j.model.joint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.text.Vocabulary;
import java.util.Arrays;

/**
 * Texts made ready for a {@link DualEncoderNetwork} once, so that training reads them every epoch for free: word ids
 * for a trained text tower, or the frozen MiniLM embeddings themselves.
 */
public interface PreparedTexts {
    int size();

    /** The given texts as the network's text input, batch first, created in {@code manager}. */
    NDArray batch(NDManager manager, int[] indices);

    /** Word ids per text; a batch is padded with {@code <pad>} to its longest text. */
    static PreparedTexts ofTokens(int[][] tokens) {
        return new PreparedTexts() {
            @Override
            public int size() {
                return tokens.length;
            }

            @Override
            public NDArray batch(NDManager manager, int[] indices) {
                int longest = 1;
                for (int i : indices) {
                    longest = Math.max(longest, tokens[i].length);
                }
                long[] ids = new long[indices.length * longest];
                Arrays.fill(ids, Vocabulary.PAD);
                for (int b = 0; b < indices.length; b++) {
                    int[] text = tokens[indices[b]];
                    for (int t = 0; t < text.length; t++) {
                        ids[b * longest + t] = text[t];
                    }
                }
                return manager.create(ids, new Shape(indices.length, longest));
            }
        };
    }

    /** Fixed embeddings per text [N][d]. */
    static PreparedTexts ofVectors(float[][] vectors) {
        return new PreparedTexts() {
            @Override
            public int size() {
                return vectors.length;
            }

            @Override
            public NDArray batch(NDManager manager, int[] indices) {
                int d = vectors.length == 0 ? 0 : vectors[0].length;
                float[] values = new float[indices.length * d];
                for (int b = 0; b < indices.length; b++) {
                    System.arraycopy(vectors[indices[b]], 0, values, b * d, d);
                }
                return manager.create(values, new Shape(indices.length, d));
            }
        };
    }
}

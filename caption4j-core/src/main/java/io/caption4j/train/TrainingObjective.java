package io.caption4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;

/**
 * What a captioner's training step fits. Every objective comes down to a teacher-forced batch: token rows, each
 * with the weight of its loss. Cross-entropy fits the reference captions with weight 1; self-critical training fits
 * the model's own sampled captions, weighted by how much better than their siblings they scored.
 */
public interface TrainingObjective {

    /** The units an epoch visits once, in a fixed order before shuffling: (image, caption) pairs, or images. */
    List<int[]> examples(CaptionSplit split);

    /** Builds the batch of one step from some examples; runs before gradients are recorded. */
    Batch batch(CaptionSplit split, List<int[]> examples, long step, NDManager arrays);

    /** Whether the gradient pass runs with dropout. */
    boolean dropout();

    /** What the progress bar shows besides the loss, e.g. the mean reward of recent samples; empty by default. */
    default String progress() {
        return "";
    }

    /**
     * @param images   the model inputs of each row [N, ...]
     * @param captions each row's tokens from the start token on (start, words, end if any)
     * @param weights  each row's weight in the loss, or null when every row weighs 1
     * @param logitBias added to the logits [V] before the loss, so that the loss scores the distribution the
     *                 captions were drawn from (tokens the model may not generate get −1e9), or null
     */
    record Batch(NDArray images, List<int[]> captions, float[] weights, NDArray logitBias) {}

    /** Maximum likelihood of the reference captions: every (image, caption) pair once per epoch. */
    static TrainingObjective crossEntropy() {
        return crossEntropy(null);
    }

    /** {@link #crossEntropy()} with each pair's photo seen as taken or mirrored ({@code flips} null: as taken). */
    static TrainingObjective crossEntropy(FlipAugmentation flips) {
        return new TrainingObjective() {
            @Override
            public List<int[]> examples(CaptionSplit split) {
                List<int[]> pairs = new ArrayList<>();
                for (int i = 0; i < split.size(); i++) {
                    for (int c = 0; c < split.encodedCaptions().get(i).length; c++) {
                        pairs.add(new int[] {i, c});
                    }
                }
                return pairs;
            }

            @Override
            public Batch batch(CaptionSplit split, List<int[]> examples, long step, NDManager arrays) {
                if (flips != null) {
                    return flips.batch(split, examples, step, arrays);
                }
                int[] images = examples.stream().mapToInt(p -> p[0]).toArray();
                List<int[]> captions = examples.stream().map(p -> split.encodedCaptions().get(p[0])[p[1]]).toList();
                return new Batch(split.images().batch(arrays, images), captions, null, null);
            }

            @Override
            public boolean dropout() {
                return true;
            }
        };
    }
}

package io.caption4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.caption4j.text.Vocabulary;
import io.caption4j.vision.ImageInputs;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Horizontal-flip augmentation for a frozen backbone: every training photo also exists mirrored, its features
 * extracted once like the originals, and each (photo, caption) example of a step is seen one way or the other with
 * even odds. A mirrored photo's caption has "left" and "right" swapped. The coins are seeded by (seed, step), so a
 * resumed run flips the same coins.
 */
public final class FlipAugmentation {
    private final ImageInputs mirrored;
    private final int left;
    private final int right;
    private final long seed;

    /**
     * @param mirrored the mirrored photos' inputs, in the training split's order
     * @param vocabulary the words whose ids are swapped in mirrored captions
     */
    public FlipAugmentation(ImageInputs mirrored, Vocabulary vocabulary, long seed) {
        this.mirrored = mirrored;
        this.left = vocabulary.contains("left") ? vocabulary.id("left") : -1;
        this.right = vocabulary.contains("right") ? vocabulary.id("right") : -1;
        this.seed = seed;
    }

    /** The batch of (image, caption) {@code pairs}: the photos seen as taken first, then the mirrored ones. */
    TrainingObjective.Batch batch(CaptionSplit split, List<int[]> pairs, long step, NDManager arrays) {
        if (mirrored.size() != split.size()) {
            throw new IllegalArgumentException("mirrored inputs for " + mirrored.size() + " images, split has "
                    + split.size());
        }
        Random coins = new Random(seed * 1_000_003L + step * 31L + 5);
        List<int[]> asTaken = new ArrayList<>();
        List<int[]> flipped = new ArrayList<>();
        for (int[] pair : pairs) {
            (coins.nextBoolean() ? flipped : asTaken).add(pair);
        }
        List<int[]> captions = new ArrayList<>();
        NDList images = new NDList();
        if (!asTaken.isEmpty()) {
            images.add(split.images().batch(arrays, imagesOf(asTaken)));
            asTaken.forEach(p -> captions.add(split.encodedCaptions().get(p[0])[p[1]]));
        }
        if (!flipped.isEmpty()) {
            images.add(mirrored.batch(arrays, imagesOf(flipped)));
            flipped.forEach(p -> captions.add(mirror(split.encodedCaptions().get(p[0])[p[1]])));
        }
        NDArray batch = images.size() == 1 ? images.head() : NDArrays.concat(images, 0);
        return new TrainingObjective.Batch(batch, captions, null, null);
    }

    /** The caption of the mirrored photo: "left" and "right" swapped. */
    int[] mirror(int[] caption) {
        int[] out = caption.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == left) {
                out[i] = right;
            } else if (out[i] == right) {
                out[i] = left;
            }
        }
        return out;
    }

    private static int[] imagesOf(List<int[]> pairs) {
        return pairs.stream().mapToInt(p -> p[0]).toArray();
    }
}

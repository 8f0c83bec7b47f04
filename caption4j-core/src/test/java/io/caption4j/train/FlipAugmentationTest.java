package io.caption4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.caption4j.text.Vocabulary;
import io.caption4j.vision.ImageInputs;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FlipAugmentationTest {
    private static final Vocabulary WORDS = Vocabulary.build(List.of(List.of("dog", "turns", "left", "right")), 1);

    /** Image i is the single number {@code sign · (i + 1)}: +1 as taken, −1 mirrored. */
    private record Numbered(int images, float sign) implements ImageInputs {
        @Override
        public int size() {
            return images;
        }

        @Override
        public NDArray batch(NDManager manager, int[] indices) {
            float[] values = new float[indices.length];
            for (int i = 0; i < indices.length; i++) {
                values[i] = sign * (indices[i] + 1);
            }
            return manager.create(values).reshape(indices.length, 1);
        }
    }

    private static CaptionSplit split(int images) {
        List<String> ids = new ArrayList<>();
        List<List<String>> references = new ArrayList<>();
        List<int[][]> encoded = new ArrayList<>();
        for (int i = 0; i < images; i++) {
            ids.add("p" + i);
            references.add(List.of("dog turns left"));
            encoded.add(new int[][] {WORDS.encode(List.of("dog", "turns", i % 2 == 0 ? "left" : "right"), 5)});
        }
        return new CaptionSplit(ids, new Numbered(images, 1), references, encoded);
    }

    @Test
    void mirroredPhotosComeWithMirroredCaptionsAndBothKindsAppear() {
        CaptionSplit split = split(16);
        FlipAugmentation flips = new FlipAugmentation(new Numbered(16, -1), WORDS, 3);
        List<int[]> pairs = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            pairs.add(new int[] {i, 0});
        }
        int mirrored = 0;
        try (NDManager arrays = NDManager.newBaseManager()) {
            for (long step = 0; step < 8; step++) {
                TrainingObjective.Batch batch = flips.batch(split, pairs, step, arrays);
                float[] images = batch.images().toFloatArray();
                assertEquals(16, images.length);
                assertEquals(16, batch.captions().size());
                for (int row = 0; row < 16; row++) {
                    int image = Math.round(Math.abs(images[row])) - 1;
                    boolean flipped = images[row] < 0;
                    mirrored += flipped ? 1 : 0;
                    String side = (image % 2 == 0) != flipped ? "left" : "right";
                    assertArrayEquals(WORDS.encode(List.of("dog", "turns", side), 5), batch.captions().get(row),
                            "row " + row + " (image " + image + (flipped ? ", mirrored)" : ")"));
                }
                assertArrayEquals(images, flips.batch(split, pairs, step, arrays).images().toFloatArray(),
                        "the same step flips the same coins");
            }
        }
        assertTrue(mirrored > 8 * 16 / 4 && mirrored < 8 * 16 * 3 / 4, "about half mirrored, got " + mirrored);
    }

    @Test
    void captionsWithoutLeftOrRightAreUnchanged() {
        FlipAugmentation flips = new FlipAugmentation(new Numbered(1, -1), WORDS, 1);
        int[] caption = WORDS.encode(List.of("dog", "turns"), 5);
        assertArrayEquals(caption, flips.mirror(caption));
    }
}

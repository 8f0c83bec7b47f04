package io.caption4j.index;

import ai.djl.ndarray.NDManager;
import io.caption4j.vision.TfjsPreprocessor;
import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A stand-in joint model whose space is colour: an image is its mean R, G, B; a text is the sum of the colour words
 * it uses. Both get a small fourth component so no vector is zero. Reads at most {@link #MAX_TOKENS} words.
 */
final class ColourEmbedder implements JointEmbedder {
    static final int MAX_TOKENS = 6;
    private static final Map<String, float[]> WORDS = Map.of("red", new float[] {1, 0, 0}, "green",
            new float[] {0, 1, 0}, "blue", new float[] {0, 0, 1}, "yellow", new float[] {1, 1, 0});

    private final String identity;
    private int imagesEmbedded;

    ColourEmbedder(String identity) {
        this.identity = identity;
    }

    ColourEmbedder() {
        this("colour-v1");
    }

    int imagesEmbedded() {
        return imagesEmbedded;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public int dimension() {
        return 4;
    }

    @Override
    public ImagePreprocessor preprocessor() {
        return new TfjsPreprocessor(8, TfjsPreprocessor.Normalization.ZERO_TO_ONE);
    }

    @Override
    public float[][] embedImages(ImageInputs pixels) {
        imagesEmbedded += pixels.size();
        float[] all;
        try (NDManager manager = NDManager.newBaseManager()) {
            all = pixels.batch(manager, IntStream.range(0, pixels.size()).toArray()).toFloatArray();
        }
        int length = all.length / pixels.size();
        float[][] vectors = new float[pixels.size()][];
        for (int i = 0; i < pixels.size(); i++) {
            float[] v = new float[] {0, 0, 0, 0.05f};
            for (int p = 0; p < length; p++) {
                v[p % 3] += all[i * length + p] * 3 / length;
            }
            vectors[i] = unit(v);
        }
        return vectors;
    }

    @Override
    public float[][] embedTexts(List<String> texts) {
        return texts.stream().map(text -> {
            float[] v = new float[] {0, 0, 0, 0.05f};
            Arrays.stream(words(text)).limit(MAX_TOKENS).map(WORDS::get).filter(w -> w != null)
                    .forEach(w -> IntStream.range(0, 3).forEach(c -> v[c] += w[c]));
            return unit(v);
        }).toArray(float[][]::new);
    }

    @Override
    public int maxTextTokens() {
        return MAX_TOKENS;
    }

    @Override
    public int countTextTokens(String text) {
        return words(text).length;
    }

    @Override
    public void close() {}

    private static String[] words(String text) {
        return text.strip().toLowerCase().split("\\s+");
    }

    static float[] unit(float[] v) {
        double norm = Math.sqrt(IntStream.range(0, v.length).mapToDouble(i -> v[i] * v[i]).sum());
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) (v[i] / norm);
        }
        return out;
    }
}

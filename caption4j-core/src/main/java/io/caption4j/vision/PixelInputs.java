package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.util.ProgressBar;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Decoded, resized and normalised pixels of a split, held in memory: for a captioner that trains its own encoder on
 * small images (the synthetic world's 64×64), where decoding every epoch would cost more than the model.
 */
public final class PixelInputs implements ImageInputs {
    private final ImagePreprocessor preprocessor;
    private final List<float[]> pixels;

    private PixelInputs(ImagePreprocessor preprocessor, List<float[]> pixels) {
        this.preprocessor = preprocessor;
        this.pixels = pixels;
    }

    /** The result of loading: the inputs, and which of the requested files they hold (bad files are left out). */
    public record Loaded(PixelInputs inputs, List<Integer> kept) {}

    /** Decodes the files on all cores; each bad file is reported once and left out. */
    public static Loaded load(List<Path> files, ImageLoader loader, ImagePreprocessor preprocessor,
            Problems problems, PrintStream progress) {
        float[][] decoded = new float[files.size()][];
        try (ProgressBar bar = new ProgressBar(progress, "decoding images", files.size())) {
            IntStream.range(0, files.size()).parallel().forEach(i -> {
                try {
                    decoded[i] = preprocessor.toTensor(loader.load(files.get(i)));
                } catch (InputException e) {
                    problems.report(e);
                }
                bar.step(1);
            });
        }
        List<float[]> pixels = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < decoded.length; i++) {
            if (decoded[i] != null) {
                pixels.add(decoded[i]);
                kept.add(i);
            }
        }
        return new Loaded(new PixelInputs(preprocessor, pixels), kept);
    }

    @Override
    public int size() {
        return pixels.size();
    }

    @Override
    public NDArray batch(NDManager manager, int[] indices) {
        int length = preprocessor.tensorLength();
        float[] batch = new float[indices.length * length];
        for (int b = 0; b < indices.length; b++) {
            System.arraycopy(pixels.get(indices[b]), 0, batch, b * length, length);
        }
        int side = preprocessor.size();
        return manager.create(batch, new Shape(indices.length, side, side, 3));
    }
}

package io.caption4j.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.model.CaptionModel;
import io.caption4j.model.CaptionModels;
import io.caption4j.model.Captioner;
import io.caption4j.model.FileCaptioning;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageFiles;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.text.Vocabulary;
import io.caption4j.train.CaptionSplit;
import io.caption4j.train.CaptionTrainer;
import io.caption4j.train.TrainingOptions;
import io.caption4j.vision.ImageInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measure training and captioning speed.",
            "Without --model: speed of the attention-GRU decoder from precomputed region features (7×7×1280,",
            "as MobileNetV2 gives): training ms/step, and captions/second for greedy and beam search.",
            "With --model M IMAGE_OR_DIR...: end to end from image files (decode, resize, backbone, decoder, greedy):",
            "single-image latency, batched throughput with decoding overlapped, peak memory. Prints machine and settings."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "DIR", description = "Benchmark this model end to end on the given images.")
    Path model;

    @Parameters(arity = "0..*", paramLabel = "IMAGE_OR_DIR", description = "Images for the end-to-end benchmark.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--latency-images", defaultValue = "50", description = "Images captioned one at a time for the latency figure (default: ${DEFAULT-VALUE}).")
    int latencyImages;

    @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--length", defaultValue = "20", description = "Words per caption (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--vocabulary", defaultValue = "3000", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabularySize;

    @Option(names = "--steps", defaultValue = "50", description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--decode-images", defaultValue = "256", description = "Images captioned per decoding figure (default: ${DEFAULT-VALUE}).")
    int decodeImages;

    @Option(names = "--feed-context", description = "Time the captioner that feeds each step's attended vector back into the GRU (train --feed-context).")
    boolean feedContext;

    @Override
    public Integer call() throws Exception {
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, Java %s, DJL %s engine %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), Engine.getDjlVersion(),
                Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        if (model != null) {
            return pipeline();
        }
        Vocabulary vocabulary = syntheticVocabulary(vocabularySize);
        CaptionerConfig config = new CaptionerConfig(CaptionerConfig.FEATURES, "random-7x7x1280", 224, 1280,
                vocabulary.size(), 256, 512, 256, 0.3f, "pooled", length, feedContext);
        System.out.printf(Locale.ROOT,
                "model: regions 49x1280, embedding %d, GRU %d, attention %d, vocabulary %d, context fed back: %s%n",
                config.embeddingSize(), config.hiddenSize(), config.attentionSize(), config.vocabularySize(),
                feedContext);
        try (Captioner captioner = Captioner.create(config, vocabulary, 1)) {
            CaptionSplit split = randomSplit(Math.max(decodeImages, batchSize), length, vocabulary.size());
            CaptionTrainer trainer = new CaptionTrainer(captioner,
                    new TrainingOptions(1, batchSize, 1e-3, 10, 1e-4, 5, 0f, 0, 1), c -> Map.of(), "none", null);
            List<int[]> batch = IntStream.range(0, batchSize).mapToObj(i -> new int[] {i, 0}).toList();
            for (int i = 0; i < 5; i++) {
                trainer.step(split, batch, 1e-3);
            }
            long start = System.nanoTime();
            for (int i = 0; i < steps; i++) {
                trainer.step(split, batch, 1e-3);
            }
            double msPerStep = (System.nanoTime() - start) / 1e6 / steps;
            System.out.printf(Locale.ROOT, "training: batch %d, %d words + end: %.1f ms/step (%d steps)%n",
                    batchSize, length, msPerStep, steps);
            for (int beam : new int[] {1, 3, 5}) {
                // an untrained decoder rarely says <end>, so every caption runs the full length: the worst case
                DecodingOptions options = new DecodingOptions(beam, length, 1.0, 0, 1);
                captioner.caption(split.images(), options, batchSize);
                start = System.nanoTime();
                captioner.caption(split.images(), options, batchSize);
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf(Locale.ROOT, "captioning %-7s batch %d: %.0f captions/s (%d images, %d words)%n",
                        options.describe().split(" \\(")[0] + ":", batchSize, split.size() / seconds, split.size(), length);
            }
        }
        return 0;
    }

    /** End to end from image files: one at a time (latency), then all in batches (throughput). */
    private int pipeline() {
        Problems problems = new Problems(System.err);
        List<Path> files = ImageFiles.expand(images, problems);
        if (files.isEmpty()) {
            throw new InputException("give image files or folders to benchmark on");
        }
        DecodingOptions greedy = DecodingOptions.greedy(length);
        try (CaptionModel captioner = CaptionModels.load(model)) {
            System.out.printf(Locale.ROOT, "model: %s (%s), greedy, at most %d tokens%n", model,
                    captioner.getClass().getSimpleName(), length);
            List<Path> warmup = files.subList(0, Math.min(files.size(), batchSize));
            FileCaptioning.caption(captioner, warmup, greedy, batchSize, problems, (f, c) -> { });
            int n = Math.min(latencyImages, files.size());
            double[] latencies = new double[n];
            for (int i = 0; i < n; i++) {
                long start = System.nanoTime();
                FileCaptioning.caption(captioner, List.of(files.get(i)), greedy, 1, problems, (f, c) -> { });
                latencies[i] = (System.nanoTime() - start) / 1e6;
            }
            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "single image (decode + resize + encoder + decoder): median %.1f ms, "
                    + "p90 %.1f ms over %d images%n", latencies[n / 2], latencies[(int) (n * 0.9)], n);
            int[] done = {0};
            long start = System.nanoTime();
            FileCaptioning.caption(captioner, files, greedy, batchSize, problems, (f, c) -> done[0]++);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "batched (batch %d, decoding overlapped): %d images in %.1f s = %.0f images/s%n",
                    batchSize, done[0], seconds, done[0] / seconds);
        }
        System.out.println("peak memory (resident): " + peakResidentMemory());
        return problems.count() == 0 ? 0 : 1;
    }

    private static String peakResidentMemory() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                    .map(l -> l.replaceAll("\\s+", " ").substring(7)).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Vocabulary syntheticVocabulary(int size) {
        List<List<String>> captions = new ArrayList<>();
        for (int i = 0; i < size - Vocabulary.SPECIALS.size(); i++) {
            captions.add(List.of("w" + i));
        }
        return Vocabulary.build(captions, 1);
    }

    private static CaptionSplit randomSplit(int count, int length, int vocabularySize) {
        Random random = new Random(1);
        List<String> ids = new ArrayList<>();
        List<List<String>> references = new ArrayList<>();
        List<int[][]> encoded = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add("image" + i);
            references.add(List.of("w1"));
            int[] caption = new int[length + 2];
            caption[0] = Vocabulary.START;
            for (int t = 1; t <= length; t++) {
                caption[t] = Vocabulary.SPECIALS.size() + random.nextInt(vocabularySize - Vocabulary.SPECIALS.size());
            }
            caption[length + 1] = Vocabulary.END;
            encoded.add(new int[][] {caption});
        }
        ImageInputs features = new ImageInputs() {
            @Override
            public int size() {
                return count;
            }

            @Override
            public NDArray batch(NDManager manager, int[] indices) {
                manager.getEngine().setRandomSeed(Arrays.hashCode(indices));
                return manager.randomNormal(new Shape(indices.length, 49, 1280)).maximum(0f);
            }
        };
        return new CaptionSplit(ids, features, references, encoded);
    }
}

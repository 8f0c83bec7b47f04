package io.caption4j.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.model.Captioner;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.text.Vocabulary;
import io.caption4j.train.CaptionSplit;
import io.caption4j.train.CaptionTrainer;
import io.caption4j.train.TrainingOptions;
import io.caption4j.vision.ImageInputs;
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

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Speed of the attention-GRU decoder from precomputed region features (7×7×1280, as MobileNetV2",
            "gives): training ms/step, and captions/second for greedy and beam search. Prints machine and settings."})
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--batch-size", defaultValue = "32", description = "Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--length", defaultValue = "20", description = "Words per caption (default: ${DEFAULT-VALUE}).")
    int length;

    @Option(names = "--vocabulary", defaultValue = "3000", description = "Vocabulary size (default: ${DEFAULT-VALUE}).")
    int vocabularySize;

    @Option(names = "--steps", defaultValue = "50", description = "Timed training steps (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--images", defaultValue = "256", description = "Images captioned per decoding figure (default: ${DEFAULT-VALUE}).")
    int images;

    @Override
    public Integer call() throws Exception {
        Vocabulary vocabulary = syntheticVocabulary(vocabularySize);
        CaptionerConfig config = new CaptionerConfig(CaptionerConfig.FEATURES, "random-7x7x1280", 224, 1280,
                vocabulary.size(), 256, 512, 256, 0.3f, "pooled", length);
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, Java %s, DJL %s engine %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), Engine.getDjlVersion(),
                Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
        System.out.printf(Locale.ROOT, "model: regions 49x1280, embedding %d, GRU %d, attention %d, vocabulary %d%n",
                config.embeddingSize(), config.hiddenSize(), config.attentionSize(), config.vocabularySize());
        try (Captioner captioner = Captioner.create(config, vocabulary, 1)) {
            CaptionSplit split = randomSplit(Math.max(images, batchSize), length, vocabulary.size());
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

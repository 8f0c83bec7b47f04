package io.caption4j.model.gpt2;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import io.caption4j.decode.CaptionSearch;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.Hypothesis;
import io.caption4j.decode.StepModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Prints the speed of greedy generation with and without the key/value cache: median ms per caption and the ratio,
 * per batch size. Usage: {@code Gpt2Benchmark MODEL [tokens=20] [prefix-length=10] [runs=100] [batch-sizes=1,8,32]};
 * MODEL is a Hugging Face folder or {@code random:LAYERS,N_EMBD,HEADS,VOCAB,POSITIONS} (a randomly initialised
 * GPT-2 of that size). The prefix is random vectors, as a mapping network would give, followed by bos_token_id.
 * A batch of B captions is timed as a whole and counts B captions; max(10, runs / B) batches are timed per mode.
 */
public final class Gpt2Benchmark {
    private Gpt2Benchmark() {}

    public static void main(String[] args) {
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int prefixLength = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        int[] batchSizes = Arrays.stream((args.length > 4 ? args[4] : "1,8,32").split(","))
                .mapToInt(Integer::parseInt).toArray();
        try (Gpt2LanguageModel lm = model(args[0]); NDManager manager = NDManager.newBaseManager()) {
            Gpt2Config c = lm.config();
            System.out.printf(Locale.ROOT, "engine %s, %d cores, %d intra-op threads; GPT-2 %d layers, n_embd %d,"
                    + " vocab %d; prefix %d vectors, greedy %d tokens%n",
                    Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion(),
                    Runtime.getRuntime().availableProcessors(), JniUtils.getNumThreads(), c.layers(),
                    c.embeddingSize(), c.vocabSize(), prefixLength, tokens);
            System.out.println("batch  captions  with cache  without cache  speed-up  load average");
            for (int batch : batchSizes) {
                Engine.getInstance().setRandomSeed(1);
                NDArray prefix = manager.randomNormal(new Shape(batch, prefixLength, c.embeddingSize()));
                int batches = Math.max(10, runs / batch);
                double[] ms = measure(lm, prefix, tokens, batches);
                System.out.printf(Locale.ROOT, "%5d  %8d  %7.2f ms  %10.2f ms  %7.1fx  %.2f%n", batch,
                        batches * batch, ms[0], ms[1], ms[1] / ms[0],
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                prefix.close();
            }
        }
    }

    private static Gpt2LanguageModel model(String spec) {
        if (!spec.startsWith("random:")) {
            return Gpt2LanguageModel.load(Path.of(spec));
        }
        int[] n = Arrays.stream(spec.substring("random:".length()).split(",")).mapToInt(Integer::parseInt).toArray();
        return Gpt2LanguageModel.create(new Gpt2Config(n[3], n[4], n[1], n[0], n[2], 4 * n[1], 1e-5, n[3] - 1,
                n[3] - 1, 0.1f), 1);
    }

    /**
     * The generator with no end token, so every caption runs all its steps (Hugging Face's min_new_tokens): a trained
     * language model would otherwise end a caption of a random prefix after a few tokens.
     */
    private static StepModel allSteps(Gpt2Generator generator) {
        return new StepModel() {
            @Override
            public NDList start(NDArray prefix) {
                return generator.start(prefix);
            }

            @Override
            public Step step(NDArray previousTokens, NDList state) {
                return generator.step(previousTokens, state);
            }

            @Override
            public int startToken() {
                return generator.startToken();
            }

            @Override
            public int endToken() {
                return -1;
            }
        };
    }

    /**
     * Median milliseconds per caption with and without the cache. The two alternate, batch by batch, so both see
     * the same machine load; as many warm-up rounds precede the timed ones (PyTorch keeps getting faster over the
     * first few dozen captions).
     */
    private static double[] measure(Gpt2LanguageModel lm, NDArray prefix, int tokens, int batches) {
        StepModel[] models = {allSteps(new Gpt2Generator(lm, new long[0], true)),
            allSteps(new Gpt2Generator(lm, new long[0], false))};
        DecodingOptions greedy = DecodingOptions.greedy(tokens);
        long batch = prefix.getShape().get(0);
        double[][] ms = new double[2][batches];
        for (int run = -batches; run < batches; run++) {
            for (int m = 0; m < 2; m++) {
                long start = System.nanoTime();
                Hypothesis h = CaptionSearch.generate(models[m], prefix, greedy).get(0).get(0);
                if (run >= 0) {
                    ms[m][run] = (System.nanoTime() - start) / 1e6 / batch;
                }
                if (run == 0 && h.tokens().length != tokens) {
                    System.out.printf(Locale.ROOT, "note: the caption ended after %d tokens%n", h.tokens().length);
                }
            }
        }
        for (double[] times : ms) {
            Arrays.sort(times);
        }
        return new double[] {ms[0][batches / 2], ms[1][batches / 2]};
    }
}

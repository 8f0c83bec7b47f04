package io.caption4j.model.gpt2;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.decode.CaptionSearch;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.Hypothesis;
import io.caption4j.decode.StepModel;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Prints the speed of greedy generation with and without the key/value cache: median ms per caption (batch of
 * one) and the ratio. Usage: {@code Gpt2Benchmark MODEL [tokens=20] [prefix-length=10] [runs=100]}; MODEL is a
 * Hugging Face folder or {@code random:LAYERS,N_EMBD,HEADS,VOCAB,POSITIONS} (a randomly initialised GPT-2 of that
 * size). The prefix is random vectors, as a mapping network would give, followed by bos_token_id.
 */
public final class Gpt2Benchmark {
    private Gpt2Benchmark() {}

    public static void main(String[] args) {
        int tokens = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        int prefixLength = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 100;
        try (Gpt2LanguageModel lm = model(args[0]); NDManager manager = NDManager.newBaseManager()) {
            Gpt2Config c = lm.config();
            System.out.printf(Locale.ROOT, "engine %s, %d cores, load average %.1f; GPT-2 %d layers, n_embd %d,"
                    + " vocab %d; prefix %d vectors, greedy %d tokens, %d runs each%n",
                    Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion(),
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(), c.layers(),
                    c.embeddingSize(), c.vocabSize(), prefixLength, tokens, runs);
            Engine.getInstance().setRandomSeed(1);
            NDArray prefix = manager.randomNormal(new Shape(1, prefixLength, c.embeddingSize()));
            double[] ms = measure(lm, prefix, tokens, runs);
            System.out.printf(Locale.ROOT, "with cache    %.2f ms/caption%nwithout cache %.2f ms/caption%n"
                    + "cache speed-up %.1fx%n", ms[0], ms[1], ms[1] / ms[0]);
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
     * Median milliseconds of one greedy caption with and without the cache. The two alternate, caption by caption,
     * so both see the same machine load; as many warm-up rounds precede the timed ones (PyTorch keeps getting
     * faster over the first few dozen captions).
     */
    private static double[] measure(Gpt2LanguageModel lm, NDArray prefix, int tokens, int runs) {
        StepModel[] models = {allSteps(new Gpt2Generator(lm, new long[0], true)),
            allSteps(new Gpt2Generator(lm, new long[0], false))};
        DecodingOptions greedy = DecodingOptions.greedy(tokens);
        double[][] ms = new double[2][runs];
        for (int run = -runs; run < runs; run++) {
            for (int m = 0; m < 2; m++) {
                long start = System.nanoTime();
                Hypothesis h = CaptionSearch.generate(models[m], prefix, greedy).get(0).get(0);
                if (run >= 0) {
                    ms[m][run] = (System.nanoTime() - start) / 1e6;
                }
                if (run == 0 && h.tokens().length != tokens) {
                    System.out.printf(Locale.ROOT, "note: the caption ended after %d tokens%n", h.tokens().length);
                }
            }
        }
        for (double[] times : ms) {
            Arrays.sort(times);
        }
        return new double[] {ms[0][runs / 2], ms[1][runs / 2]};
    }
}

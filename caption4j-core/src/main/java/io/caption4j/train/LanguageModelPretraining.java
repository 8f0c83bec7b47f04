package io.caption4j.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.caption4j.model.gpt2.Gpt2Config;
import io.caption4j.model.gpt2.Gpt2LanguageModel;
import io.caption4j.model.gpt2.Gpt2Tokenizer;
import io.caption4j.text.CaptionText;
import io.caption4j.text.WordLevelTokenizer;
import io.caption4j.util.InputException;
import io.caption4j.util.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Pretrains a small GPT-2 on caption text (next-token prediction) and saves it in the Hugging Face layout, so that
 * ClipCap's frozen-LM recipe can run where no pretrained GPT-2 can be downloaded. Texts are normalised as captions
 * are everywhere in the project ({@link CaptionText}), each one framed as end-of-text, tokens, end-of-text;
 * 2 % of them (chosen by hash, so the same every run) measure validation perplexity, which picks the epoch saved.
 *
 * <p>Each text is one sequence starting at position 0, or, {@linkplain Options#pack() packed}, the texts follow one
 * another in their given order (end-of-text between them) and the stream is cut into sequences of n_positions
 * tokens, as GPT-2 itself was trained. Packed, every position is trained and every text is read after the texts
 * before it: what ClipCap asks of a frozen language model, whose captions start after the prefix, at position
 * prefix length, and should follow from it.
 */
public final class LanguageModelPretraining {
    private static final int PADDING = -1;

    /**
     * @param tokenizer a {@code tokenizer.json} to use (e.g. GPT-2's BPE), or null to build a word-level one from
     *                  the texts' words seen at least {@code minCount} times
     * @param maxTokens texts are cut to this many tokens
     * @param pack      texts packed into sequences of {@code positions} tokens, in their given order, instead of one
     *                  sequence each
     */
    public record Options(int layers, int embeddingSize, int heads, int positions, float dropout, Path tokenizer,
            int minCount, int maxTokens, boolean pack, TrainingOptions training) {}

    private LanguageModelPretraining() {}

    /** Trains on {@code texts} and writes the best epoch's model to {@code out}; returns its validation perplexity. */
    public static double run(List<String> texts, Options options, Path out, PrintStream log) throws IOException {
        List<String> normalised = texts.stream().map(CaptionText::normalise).filter(t -> !t.isEmpty()).toList();
        if (normalised.size() < 50) {
            throw new InputException("language-model pretraining needs at least 50 texts, got " + normalised.size());
        }
        Path tokenizerFile = options.tokenizer();
        if (tokenizerFile == null) {
            tokenizerFile = Files.createTempFile("caption4j-tokenizer", ".json");
            tokenizerFile.toFile().deleteOnExit();
            List<List<String>> words = normalised.stream().map(t -> List.of(t.split(" "))).toList();
            WordLevelTokenizer.write(tokenizerFile, WordLevelTokenizer.frequentWords(words, options.minCount()));
        }
        List<long[]> train = new ArrayList<>();
        List<long[]> val = new ArrayList<>();
        int vocabulary;
        int endOfText;
        try (Gpt2Tokenizer tokenizer = Gpt2Tokenizer.open(tokenizerFile)) {
            vocabulary = tokenizer.vocabularySize();
            endOfText = tokenizer.endOfText();
            for (String text : normalised) {
                long[] ids = tokenizer.encode(text);
                long[] framed = new long[Math.min(ids.length, options.maxTokens()) + 2];
                framed[0] = endOfText;
                System.arraycopy(ids, 0, framed, 1, framed.length - 2);
                framed[framed.length - 1] = endOfText;
                (Math.floorMod(text.hashCode(), 50) == 0 ? val : train).add(framed);
            }
        }
        if (val.isEmpty() || train.isEmpty()) {
            throw new InputException("the " + normalised.size() + " texts hold too few distinct ones to set 2 % aside"
                    + " for validation; give more varied text");
        }
        if (options.pack()) {
            train = pack(train, options.positions());
            val = pack(val, options.positions());
        }
        Gpt2Config config = new Gpt2Config(vocabulary, options.positions(), options.embeddingSize(), options.layers(),
                options.heads(), 4 * options.embeddingSize(), 1e-5, endOfText, endOfText, options.dropout());
        TrainingOptions t = options.training();
        log.printf(Locale.ROOT, "language model: %d layers, width %d, vocabulary %d; %d training %s, %d validation%n",
                config.layers(), config.embeddingSize(), vocabulary, train.size(),
                options.pack() ? "sequences of packed texts" : "texts", val.size());
        try (Gpt2LanguageModel lm = Gpt2LanguageModel.create(config, t.seed())) {
            ParameterStore parameters = new ParameterStore(lm.manager(), false);
            AdamW optimizer = new AdamW(lm.network().getParameters(), lm.manager(), t.weightDecay());
            MaskedCrossEntropy loss = new MaskedCrossEntropy(t.labelSmoothing(), PADDING);
            long stepsPerEpoch = (train.size() + t.batchSize() - 1) / t.batchSize();
            LearningRateSchedule schedule = new LearningRateSchedule(t.learningRate(), t.warmupSteps(),
                    stepsPerEpoch * t.epochs(), 0.05);
            double best = Double.POSITIVE_INFINITY;
            int sinceBest = 0;
            for (int epoch = 1; epoch <= t.epochs(); epoch++) {
                List<long[]> order = new ArrayList<>(train);
                Collections.shuffle(order, new Random(t.seed() * 1_000_003L + epoch));
                double sum = 0;
                int batches = 0;
                try (ProgressBar bar = new ProgressBar(log, "epoch " + epoch, order.size())) {
                    for (int from = 0; from < order.size(); from += t.batchSize()) {
                        List<long[]> batch = order.subList(from, Math.min(order.size(), from + t.batchSize()));
                        try (NDScope scope = new NDScope(); NDManager arrays = lm.manager().newSubManager()) {
                            try (GradientCollector gradients = Engine.getInstance().newGradientCollector()) {
                                NDArray batchLoss = batchLoss(lm, parameters, loss, batch, arrays, true);
                                gradients.backward(batchLoss);
                                sum += batchLoss.getFloat();
                            }
                            optimizer.clipGradients(t.clipNorm());
                            optimizer.step(schedule.at(optimizer.steps()));
                        }
                        batches++;
                        bar.step(batch.size(), String.format(Locale.ROOT, "loss %.3f", sum / batches));
                    }
                }
                double perplexity = Math.exp(validationLoss(lm, parameters, val, t.batchSize()));
                boolean better = perplexity < best;
                log.printf(Locale.ROOT, "epoch %d: training loss %.4f, validation perplexity %.2f%s%n", epoch,
                        sum / batches, perplexity, better ? " *best*" : "");
                if (better) {
                    best = perplexity;
                    sinceBest = 0;
                    lm.save(out, tokenizerFile);
                } else if (t.patience() > 0 && ++sinceBest >= t.patience()) {
                    break;
                }
            }
            return best;
        }
    }

    /**
     * Framed texts (end-of-text, tokens, end-of-text) one after another, neighbours sharing their end-of-text, cut
     * into sequences of {@code positions} inputs: each sequence holds one token more (the last input's target), and
     * the next starts at that token. The last sequence may be shorter.
     */
    static List<long[]> pack(List<long[]> framed, int positions) {
        int length = 1 + framed.stream().mapToInt(text -> text.length - 1).sum();
        long[] stream = new long[length];
        int at = 0;
        for (long[] text : framed) {
            System.arraycopy(text, 0, stream, at, text.length - 1);
            at += text.length - 1;
        }
        stream[at] = framed.get(framed.size() - 1)[0];
        List<long[]> sequences = new ArrayList<>();
        for (int from = 0; from + 1 < length; from += positions) {
            sequences.add(Arrays.copyOfRange(stream, from, Math.min(length, from + positions + 1)));
        }
        return sequences;
    }

    /** Mean next-token loss of a batch of framed texts, padded to the longest. */
    private static NDArray batchLoss(Gpt2LanguageModel lm, ParameterStore parameters, MaskedCrossEntropy loss,
            List<long[]> batch, NDManager arrays, boolean training) {
        int longest = batch.stream().mapToInt(s -> s.length).max().orElse(2) - 1;
        long[][] inputs = new long[batch.size()][longest];
        long[][] targets = new long[batch.size()][longest];
        for (int b = 0; b < batch.size(); b++) {
            long[] sequence = batch.get(b);
            Arrays.fill(targets[b], PADDING);
            for (int i = 0; i + 1 < sequence.length; i++) {
                inputs[b][i] = sequence[i];
                targets[b][i] = sequence[i + 1];
            }
        }
        NDArray embedded = lm.network().embed(parameters, arrays.create(inputs));
        NDArray logits = lm.network().forward(parameters, new NDList(embedded), training).head();
        return loss.loss(logits, arrays.create(targets));
    }

    private static double validationLoss(Gpt2LanguageModel lm, ParameterStore parameters, List<long[]> val,
            int batchSize) {
        MaskedCrossEntropy loss = new MaskedCrossEntropy(0, PADDING);
        double weighted = 0;
        long tokens = 0;
        for (int from = 0; from < val.size(); from += batchSize) {
            List<long[]> batch = val.subList(from, Math.min(val.size(), from + batchSize));
            long batchTokens = batch.stream().mapToLong(s -> s.length - 1).sum();
            try (NDScope scope = new NDScope(); NDManager arrays = lm.manager().newSubManager()) {
                weighted += batchLoss(lm, parameters, loss, batch, arrays, false).getFloat() * batchTokens;
            }
            tokens += batchTokens;
        }
        return weighted / tokens;
    }
}

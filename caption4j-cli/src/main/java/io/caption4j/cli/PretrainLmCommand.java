package io.caption4j.cli;

import io.caption4j.data.CaptionFormat;
import io.caption4j.train.LanguageModelPretraining;
import io.caption4j.train.TrainingOptions;
import io.caption4j.util.Problems;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "pretrain-lm", mixinStandardHelpOptions = true,
        description = {"Pretrain a small GPT-2 on caption text and save it in the Hugging Face layout "
                + "(config.json, model.safetensors, tokenizer.json), for ClipCap's --lm."})
final class PretrainLmCommand implements Callable<Integer> {
    @Option(names = "--text", required = true, paramLabel = "FILE",
            description = "Caption texts: a caption file (CSV/COCO/JSON Lines; only the captions are read) or .txt, one per line;"
                    + " repeat to join several, in the order given.")
    List<Path> textFiles;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the language model is written.")
    Path out;

    @Option(names = "--tokenizer", paramLabel = "TOKENIZER_JSON",
            description = "A Hugging Face tokenizer.json to use (e.g. GPT-2's BPE); default: a word-level one built from the text.")
    Path tokenizer;

    @Option(names = "--min-count", defaultValue = "3", description = "Word-level tokenizer: rarer words become <unk> (default: ${DEFAULT-VALUE}).")
    int minCount;

    @Option(names = "--layers", defaultValue = "4", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
    int layers;

    @Option(names = "--width", defaultValue = "256", description = "Model width n_embd (default: ${DEFAULT-VALUE}).")
    int width;

    @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default: ${DEFAULT-VALUE}).")
    int heads;

    @Option(names = "--positions", defaultValue = "64",
            description = "Longest sequence n_positions, prefix included when used by ClipCap (default: ${DEFAULT-VALUE}).")
    int positions;

    @Option(names = "--max-tokens", defaultValue = "30", description = "Texts are cut to this many tokens (default: ${DEFAULT-VALUE}).")
    int maxTokens;

    @Option(names = "--pack", description = "Pack the texts, in file order, into sequences of --positions tokens"
            + " (GPT-2's own layout): every position is trained and each text follows the ones before it (in a caption"
            + " file sorted by image, the same photo's other captions), as a ClipCap caption follows its prefix."
            + " Default: one sequence per text, from position 0.")
    boolean pack;

    @Option(names = "--dropout", defaultValue = "0.1", description = "Dropout (default: ${DEFAULT-VALUE}).")
    float dropout;

    @Option(names = "--epochs", defaultValue = "10", description = "Most epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "2", description = "Stop after this many epochs without lower validation perplexity (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--batch-size", defaultValue = "64", description = "Texts per step; with --pack, sequences of --positions tokens (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.001", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--warmup", defaultValue = "200", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--weight-decay", defaultValue = "0.01", description = "Decoupled weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--seed", defaultValue = "1", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Problems problems = new Problems(System.err);
        List<String> texts = new ArrayList<>();
        for (Path file : textFiles) {
            texts.addAll(CaptionFormat.captionTexts(file, problems));
        }
        TrainingOptions training = new TrainingOptions(epochs, batchSize, learningRate, warmup, weightDecay, 1.0, 0f,
                patience, seed);
        double perplexity = LanguageModelPretraining.run(texts, new LanguageModelPretraining.Options(layers, width,
                heads, positions, dropout, tokenizer, minCount, maxTokens, pack, training), out, System.out);
        System.out.printf(Locale.ROOT, "validation perplexity %.2f; language model in %s%n", perplexity, out);
        return problems.count() == 0 ? 0 : 1;
    }
}

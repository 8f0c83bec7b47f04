package io.caption4j.cli;

import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.Sampling;
import io.caption4j.decode.TokenRules;
import io.caption4j.util.InputException;
import java.util.Random;
import picocli.CommandLine.Option;

/** The decoding options shared by every command that generates captions. */
final class DecodingMixin {
    @Option(names = "--beam", defaultValue = "1", description = "Beam size; 1 = greedy search (default: ${DEFAULT-VALUE}).")
    int beam;

    @Option(names = "--max-length", defaultValue = "20", description = "Most words per caption (default: ${DEFAULT-VALUE}).")
    int maxLength;

    @Option(names = "--length-penalty", defaultValue = "1.0",
            description = "α in log P / length^α used to rank finished beams; 0 = total log-probability (default: ${DEFAULT-VALUE}).")
    double lengthPenalty;

    @Option(names = "--no-repeat-ngram", defaultValue = "0",
            description = "Forbid repeating any n-gram of this size; 0 = off (default: ${DEFAULT-VALUE}).")
    int noRepeatNgram;

    @Option(names = "--min-length", defaultValue = "0",
            description = "Fewest words before the caption may end (Hugging Face's min_new_tokens); 0 = off (default: ${DEFAULT-VALUE}).")
    int minLength;

    @Option(names = "--repetition-penalty", defaultValue = "1.0",
            description = "Multiplies the log-probability of every word already in the caption (Hugging Face's repetition_penalty):"
            + " above 1 discourages repeats; 1 = off (default: ${DEFAULT-VALUE}).")
    double repetitionPenalty;

    @Option(names = "--n-best", defaultValue = "1",
            description = "Captions returned per image: at most the beam size, or with --sample how many are drawn (default: ${DEFAULT-VALUE}).")
    int nBest;

    @Option(names = "--sample", description = "Draw each word at random from the model's distribution instead of searching"
            + " for the likeliest caption (Hugging Face's do_sample); shaped by --temperature, --top-k and --top-p.")
    boolean sample;

    @Option(names = "--temperature", defaultValue = "1.0",
            description = "With --sample: above 1 flattens the distribution, below 1 sharpens it (default: ${DEFAULT-VALUE}).")
    double temperature;

    @Option(names = "--top-k", defaultValue = "0",
            description = "With --sample: draw among the k likeliest words only; 0 = all (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--top-p", defaultValue = "1.0",
            description = "With --sample: draw among the likeliest words whose probability reaches p (nucleus); 1 = all (default: ${DEFAULT-VALUE}).")
    double topP;

    @Option(names = "--sample-seed", defaultValue = "1",
            description = "With --sample: the seed of the draws; the same seed gives the same captions (default: ${DEFAULT-VALUE}).")
    long sampleSeed;

    DecodingOptions options() {
        if (!sample && (temperature != 1 || topK != 0 || topP != 1 || sampleSeed != 1)) {
            throw new InputException("--temperature, --top-k, --top-p and --sample-seed apply only with --sample");
        }
        Sampling sampling = sample ? new Sampling(temperature, topK, topP, new Random(sampleSeed)) : null;
        return new DecodingOptions(beam, maxLength, lengthPenalty, nBest,
                new TokenRules(noRepeatNgram, minLength, repetitionPenalty), sampling);
    }
}

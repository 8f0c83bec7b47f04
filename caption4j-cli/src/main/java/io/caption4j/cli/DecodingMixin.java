package io.caption4j.cli;

import io.caption4j.decode.DecodingOptions;
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

    @Option(names = "--n-best", defaultValue = "1", description = "Captions returned per image, at most the beam size (default: ${DEFAULT-VALUE}).")
    int nBest;

    DecodingOptions options() {
        return new DecodingOptions(beam, maxLength, lengthPenalty, noRepeatNgram, nBest);
    }
}

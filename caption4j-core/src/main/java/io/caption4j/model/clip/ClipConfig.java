package io.caption4j.model.clip;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A CLIP architecture as a Hugging Face {@code CLIPModel} {@code config.json} describes it. Fields the file leaves
 * out take Hugging Face's defaults (those of openai/clip-vit-base-patch32).
 *
 * @param projectionDim the size of the shared image–text embedding space ({@code projection_dim})
 */
public record ClipConfig(int projectionDim, Text text, Vision vision) {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The transformer stack of one tower. */
    public record Encoder(int hiddenSize, int intermediateSize, int layers, int heads, Activation activation,
            double layerNormEps) {
        public Encoder {
            if (hiddenSize % heads != 0) {
                throw new IllegalArgumentException("hidden_size " + hiddenSize + " is not a multiple of "
                        + "num_attention_heads " + heads);
            }
        }

        public int headSize() {
            return hiddenSize / heads;
        }
    }

    /**
     * The text tower.
     *
     * @param eosTokenId the end-of-text token whose position is pooled; 2 in old configs, meaning the largest id
     */
    public record Text(Encoder encoder, int vocabSize, int maxPositions, int eosTokenId) {}

    /** The vision tower: square images of {@code imageSize} pixels cut into square patches. */
    public record Vision(Encoder encoder, int imageSize, int patchSize, int channels) {
        public int patchesPerSide() {
            return imageSize / patchSize;
        }

        /** The class token and one position per patch. */
        public int positions() {
            return patchesPerSide() * patchesPerSide() + 1;
        }
    }

    /** {@code hidden_act}: the MLP's nonlinearity. */
    public enum Activation {
        /** OpenAI CLIP's x·σ(1.702·x). */
        QUICK_GELU("quick_gelu"),
        /** The exact GELU, x·Φ(x) = x·(1 + erf(x/√2))/2. */
        GELU("gelu");

        private final String configName;

        Activation(String configName) {
            this.configName = configName;
        }

        public NDArray apply(NDArray x) {
            return switch (this) {
                case QUICK_GELU -> x.mul(ai.djl.nn.Activation.sigmoid(x.mul(1.702)));
                case GELU -> x.mul(x.div(Math.sqrt(2)).erf().add(1)).mul(0.5);
            };
        }
    }

    public static ClipConfig read(Path file) {
        JsonNode json;
        try {
            json = JSON.readTree(Files.readString(file));
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
        Fields text = new Fields(file, "text_config", section(json, "text_config"));
        Fields vision = new Fields(file, "vision_config", section(json, "vision_config"));
        return new ClipConfig(new Fields(file, "", json).positive("projection_dim", 512),
                new Text(text.encoder(512, 2048, 8), text.positive("vocab_size", 49408),
                        text.positive("max_position_embeddings", 77), text.integer("eos_token_id", 49407)),
                new Vision(vision.encoder(768, 3072, 12), vision.positive("image_size", 224),
                        vision.positive("patch_size", 32), vision.positive("num_channels", 3)));
    }

    /** A tower's section; legacy {@code text_config_dict} / {@code vision_config_dict} fields win, as in HF. */
    private static JsonNode section(JsonNode json, String name) {
        ObjectNode merged = JSON.createObjectNode();
        for (String key : new String[] {name, name + "_dict"}) {
            if (json.path(key).isObject()) {
                merged.setAll((ObjectNode) json.get(key));
            }
        }
        return merged;
    }

    /** Reads the fields of one section, naming them "section.field" in messages. */
    private record Fields(Path file, String section, JsonNode json) {
        Encoder encoder(int hiddenSize, int intermediateSize, int heads) {
            int hidden = positive("hidden_size", hiddenSize);
            int headCount = positive("num_attention_heads", heads);
            if (hidden % headCount != 0) {
                throw InputException.at(file, name("hidden_size") + " " + hidden + " is not a multiple of "
                        + name("num_attention_heads") + " " + headCount);
            }
            return new Encoder(hidden, positive("intermediate_size", intermediateSize),
                    positive("num_hidden_layers", 12), headCount, activation(),
                    json.path("layer_norm_eps").asDouble(1e-5));
        }

        Activation activation() {
            String act = json.path("hidden_act").asText("quick_gelu");
            for (Activation a : Activation.values()) {
                if (a.configName.equals(act)) {
                    return a;
                }
            }
            throw InputException.at(file, name("hidden_act") + " '" + act
                    + "' is not supported (quick_gelu or gelu)");
        }

        int positive(String field, int fallback) {
            int value = integer(field, fallback);
            if (value <= 0) {
                throw InputException.at(file, "'" + name(field) + "' must be a positive integer, got " + value);
            }
            return value;
        }

        int integer(String field, int fallback) {
            JsonNode value = json.get(field);
            if (value == null || value.isNull()) {
                return fallback;
            }
            if (!value.canConvertToInt()) {
                throw InputException.at(file, "'" + name(field) + "' must be an integer, got " + value);
            }
            return value.asInt();
        }

        private String name(String field) {
            return section.isEmpty() ? field : section + "." + field;
        }
    }
}

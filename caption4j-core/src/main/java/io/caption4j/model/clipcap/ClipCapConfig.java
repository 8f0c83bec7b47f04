package io.caption4j.model.clipcap;

/**
 * A ClipCap captioner's shape: how an image embedding becomes prefix vectors for the language model.
 *
 * @param mapping         {@code mlp} or {@code transformer}
 * @param prefixLength    prefix vectors given to the language model (the paper: 10)
 * @param embeddingSize   size of the image embedding (1280 for MobileNetV2's pooled vector, 512 for CLIP ViT-B/32)
 * @param projectedLength transformer mapping: vectors the embedding is first projected to (the paper: 10)
 * @param mappingLayers   transformer mapping: encoder layers (the paper: 8)
 * @param mappingHeads    transformer mapping: attention heads
 * @param fineTuneLm      whether the language model is trained too, or frozen
 * @param backbone        identity of the frozen image backbone whose pooled vector is the embedding
 * @param imageSize       side of the backbone's input image
 * @param maxLength       most tokens generated per caption
 */
public record ClipCapConfig(String mapping, int prefixLength, int embeddingSize, int projectedLength,
        int mappingLayers, int mappingHeads, boolean fineTuneLm, String backbone, int imageSize, int maxLength) {
    public static final String MLP = "mlp";
    public static final String TRANSFORMER = "transformer";

    public ClipCapConfig {
        if (!MLP.equals(mapping) && !TRANSFORMER.equals(mapping)) {
            throw new IllegalArgumentException("mapping must be mlp or transformer, got " + mapping);
        }
        if (prefixLength < 1 || embeddingSize < 1 || maxLength < 1) {
            throw new IllegalArgumentException("prefix length, embedding size and max length must be positive");
        }
    }
}

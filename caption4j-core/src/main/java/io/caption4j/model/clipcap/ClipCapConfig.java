package io.caption4j.model.clipcap;

/**
 * A ClipCap captioner's shape: how an image embedding becomes prefix vectors for the language model.
 *
 * @param mapping         {@code mlp} or {@code transformer}
 * @param prefixLength    prefix vectors given to the language model (the paper: 10)
 * @param embeddingSize   size of the image embedding, or of each region vector (1280 for MobileNetV2, 512 for
 *                        CLIP ViT-B/32)
 * @param projectedLength transformer mapping: vectors the embedding is first projected to (the paper: 10)
 * @param mappingLayers   transformer mapping: encoder layers (the paper: 8)
 * @param mappingHeads    transformer mapping: attention heads
 * @param fineTuneLm      whether the language model is trained too, or frozen
 * @param backbone        identity of the frozen image backbone the embedding comes from
 * @param imageSize       side of the backbone's input image
 * @param maxLength       most tokens generated per caption
 * @param regions         0: the mapping reads the backbone's pooled vector (the paper); R &gt; 0: the Transformer
 *                        mapping reads the backbone's R region vectors instead (a saved config without the field
 *                        reads 0)
 */
public record ClipCapConfig(String mapping, int prefixLength, int embeddingSize, int projectedLength,
        int mappingLayers, int mappingHeads, boolean fineTuneLm, String backbone, int imageSize, int maxLength,
        int regions) {
    public static final String MLP = "mlp";
    public static final String TRANSFORMER = "transformer";

    /** Whether the mapping reads region vectors [B, R, C] rather than the pooled embedding [B, C]. */
    public boolean readsRegions() {
        return regions > 0;
    }

    public ClipCapConfig {
        if (!MLP.equals(mapping) && !TRANSFORMER.equals(mapping)) {
            throw new IllegalArgumentException("mapping must be mlp or transformer, got " + mapping);
        }
        if (prefixLength < 1 || embeddingSize < 1 || maxLength < 1) {
            throw new IllegalArgumentException("prefix length, embedding size and max length must be positive");
        }
        if (regions < 0 || regions > 0 && !TRANSFORMER.equals(mapping)) {
            throw new IllegalArgumentException("only the transformer mapping reads regions, got " + regions
                    + " regions for the " + mapping + " mapping");
        }
    }
}

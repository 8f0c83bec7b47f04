package io.caption4j.model.vqa;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.caption4j.model.joint.Fusion;
import io.caption4j.vision.ImagePreprocessor;

/**
 * Everything needed to rebuild a VQA network; saved as {@code config.json} in the model directory.
 *
 * @param imageSize      side of the square input image in pixels (the small CNN makes (side/8)² regions)
 * @param featureSize    channels of each image region
 * @param vocabularySize question words, specials included
 * @param embeddingSize  word embedding width
 * @param hiddenSize     width of the GRUs, of the attended image context and of the fusion inputs
 * @param attentionSize  query/key width of the cross-modal attention, split over {@code heads}
 * @param heads          attention heads
 * @param fusion         {@link Fusion.Mode#key()}: concat, product or weighted-sum
 * @param textOnly       an image-blind baseline: the question encoder and the answer head, nothing else
 * @param answerCount    classes of the answer head
 * @param dropout        dropout rate of the fused sequence and of the head's hidden layer
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record VqaConfig(
        int imageSize,
        int featureSize,
        int vocabularySize,
        int embeddingSize,
        int hiddenSize,
        int attentionSize,
        int heads,
        String fusion,
        boolean textOnly,
        int answerCount,
        float dropout) {

    public VqaConfig {
        Fusion.Mode.parse(fusion);
        if (imageSize % 8 != 0 || imageSize < 8) {
            throw new IllegalArgumentException("image size must be a positive multiple of 8, got " + imageSize);
        }
    }

    public Fusion.Mode fusionMode() {
        return Fusion.Mode.parse(fusion);
    }

    /** Image regions the small CNN makes. */
    public int regions() {
        return (imageSize / 8) * (imageSize / 8);
    }

    /** How image files become this model's input pixels, the same in training and in use. */
    public ImagePreprocessor preprocessor() {
        return new ImagePreprocessor(imageSize, ImagePreprocessor.Normalization.MINUS_ONE_TO_ONE);
    }

    public VqaConfig withVocabularies(int vocabulary, int answers) {
        return new VqaConfig(imageSize, featureSize, vocabulary, embeddingSize, hiddenSize, attentionSize, heads,
                fusion, textOnly, answers, dropout);
    }

    /** "concat fusion" or "text-only": what the evaluation table calls the model. */
    public String describe() {
        return textOnly ? "text-only (image-blind)" : fusion + " fusion";
    }
}

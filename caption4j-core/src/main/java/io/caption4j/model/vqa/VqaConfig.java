package io.caption4j.model.vqa;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.caption4j.vision.TfjsPreprocessor;
import io.caption4j.model.joint.Fusion;
import io.caption4j.vision.ImageEncoder;
import io.caption4j.vision.ImagePreprocessor;

/**
 * Everything needed to rebuild a VQA network; saved as {@code config.json} in the model directory.
 *
 * @param encoder        {@code "small-cnn"} (trained with the model, input is pixels) or {@code "features"} (input is
 *                       a frozen backbone's region features, see {@code backbone})
 * @param backbone       identity of the frozen backbone whose features the model reads, or {@code "pixels"}
 * @param imageSize      side of the square input image in pixels
 * @param featureSize    channels of each image region
 * @param regionCount    image regions (the small CNN makes (side/8)²)
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
        String encoder,
        String backbone,
        int imageSize,
        int featureSize,
        int regionCount,
        int vocabularySize,
        int embeddingSize,
        int hiddenSize,
        int attentionSize,
        int heads,
        String fusion,
        boolean textOnly,
        int answerCount,
        float dropout) {

    public static final String SMALL_CNN = "small-cnn";
    public static final String FEATURES = "features";

    public VqaConfig {
        Fusion.Mode.parse(fusion);
        if (!SMALL_CNN.equals(encoder) && !FEATURES.equals(encoder)) {
            throw new IllegalArgumentException("encoder must be small-cnn or features: " + encoder);
        }
        if (SMALL_CNN.equals(encoder) && (imageSize % 8 != 0 || regionCount != (imageSize / 8) * (imageSize / 8))) {
            throw new IllegalArgumentException("the small CNN needs an image side that is a multiple of 8 and makes "
                    + "(side/8)² regions; got side " + imageSize + ", " + regionCount + " regions");
        }
    }

    /** A model whose small CNN is trained with it, on {@code imageSize}-pixel images. */
    public static VqaConfig smallCnn(int imageSize, int featureSize, int embeddingSize, int hiddenSize,
            int attentionSize, int heads, String fusion, boolean textOnly, float dropout) {
        return new VqaConfig(SMALL_CNN, "pixels", imageSize, featureSize, (imageSize / 8) * (imageSize / 8), 0,
                embeddingSize, hiddenSize, attentionSize, heads, fusion, textOnly, 0, dropout);
    }

    public boolean trainsEncoder() {
        return SMALL_CNN.equals(encoder);
    }

    /** This architecture reading the regions of a frozen backbone, at its input size, channels and region count. */
    public VqaConfig withBackbone(ImageEncoder backbone, int regions) {
        return new VqaConfig(FEATURES, backbone.identity(), backbone.inputSize(), backbone.featureSize(), regions,
                vocabularySize, embeddingSize, hiddenSize, attentionSize, heads, fusion, textOnly, answerCount,
                dropout);
    }

    public Fusion.Mode fusionMode() {
        return Fusion.Mode.parse(fusion);
    }

    /**
     * How image files become the small CNN's input pixels, the same in training and in use; a model on a frozen
     * backbone takes the backbone's own preprocessing instead.
     */
    public ImagePreprocessor preprocessor() {
        return new TfjsPreprocessor(imageSize, TfjsPreprocessor.Normalization.MINUS_ONE_TO_ONE);
    }

    public VqaConfig withVocabularies(int vocabulary, int answers) {
        return new VqaConfig(encoder, backbone, imageSize, featureSize, regionCount, vocabulary, embeddingSize,
                hiddenSize, attentionSize, heads, fusion, textOnly, answers, dropout);
    }

    /** "concat fusion, small-cnn" or "text-only": what the evaluation table calls the model. */
    public String describe() {
        return textOnly ? "text-only (image-blind)"
                : fusion + " fusion, " + (trainsEncoder() ? "small CNN" : "frozen backbone features");
    }
}

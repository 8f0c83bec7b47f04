package io.caption4j.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.caption4j.vision.TfjsPreprocessor;
import io.caption4j.vision.ImageEncoder;
import io.caption4j.vision.ImagePreprocessor;
import io.caption4j.vision.PointwiseConv;

/**
 * Everything needed to rebuild a captioner's architecture; saved as {@code config.json} in the model directory.
 *
 * @param encoder      {@code "small-cnn"} (trained with the decoder, input is pixels) or {@code "features"} (input
 *                     is a frozen backbone's region features, see {@link #backbone})
 * @param backbone     identity of the frozen backbone whose features the model reads, or of the preprocessing
 *                     for {@code small-cnn}
 * @param imageSize    side of the square input image in pixels
 * @param featureSize  channels of each image region (for {@code small-cnn}, its last conv width)
 * @param initialState {@code "zero"} or {@code "pooled"}: the GRU state starts at zero, or from a projection of the
 *                     mean region vector
 * @param feedContext  whether each step's attended vector, LayerNorm(h + context), joins the next word's embedding
 *                     as GRU input (Luong's "input feeding"), so the GRU knows what it has looked at; false is the
 *                     design's diagram, where attention only reads the GRU output
 * @param trunkChannels 0 when the model reads the backbone's output; otherwise the channels of the regions it reads
 *                     from below the backbone's last 1×1 convolution (MobileNetV2 {@code BEFORE_TOP}), which the
 *                     model then applies and trains itself, from its pretrained weights, to {@code featureSize}
 *                     channels
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record CaptionerConfig(
        String encoder,
        String backbone,
        int imageSize,
        int featureSize,
        int vocabularySize,
        int embeddingSize,
        int hiddenSize,
        int attentionSize,
        float dropout,
        String initialState,
        int maxLength,
        boolean feedContext,
        int trunkChannels) {

    public static final String SMALL_CNN = "small-cnn";
    public static final String FEATURES = "features";

    public CaptionerConfig {
        if (!SMALL_CNN.equals(encoder) && !FEATURES.equals(encoder)) {
            throw new IllegalArgumentException("encoder must be small-cnn or features: " + encoder);
        }
        if (!"zero".equals(initialState) && !"pooled".equals(initialState)) {
            throw new IllegalArgumentException("initialState must be zero or pooled: " + initialState);
        }
    }

    /** A configuration whose model reads the backbone's output ({@code trunkChannels} 0). */
    public CaptionerConfig(String encoder, String backbone, int imageSize, int featureSize, int vocabularySize,
            int embeddingSize, int hiddenSize, int attentionSize, float dropout, String initialState, int maxLength,
            boolean feedContext) {
        this(encoder, backbone, imageSize, featureSize, vocabularySize, embeddingSize, hiddenSize, attentionSize,
                dropout, initialState, maxLength, feedContext, 0);
    }

    public boolean trainsEncoder() {
        return SMALL_CNN.equals(encoder);
    }

    /**
     * How image files become the small CNN's input pixels, the same in training and in use; a model on a frozen
     * backbone takes the backbone's own preprocessing instead.
     */
    public ImagePreprocessor preprocessor() {
        return new TfjsPreprocessor(imageSize, TfjsPreprocessor.Normalization.MINUS_ONE_TO_ONE);
    }

    /** Whether the model applies and trains the backbone's last 1×1 convolution itself. */
    public boolean tunesBackboneTop() {
        return trunkChannels > 0;
    }

    /** Channels of the regions the model reads: the backbone's, before any layer the model applies to them. */
    public int inputChannels() {
        return tunesBackboneTop() ? trunkChannels : featureSize;
    }

    /** This architecture reading the regions of {@code encoder}, at its input size and channel count. */
    public CaptionerConfig withBackbone(ImageEncoder encoder) {
        return new CaptionerConfig(FEATURES, encoder.identity(), encoder.inputSize(), encoder.featureSize(),
                vocabularySize, embeddingSize, hiddenSize, attentionSize, dropout, initialState, maxLength, feedContext,
                0);
    }

    /**
     * This architecture reading the regions of {@code trunk} (a backbone without its last 1×1 convolution) and
     * applying that convolution, {@code top}, itself.
     */
    public CaptionerConfig withTunedTop(ImageEncoder trunk, PointwiseConv top) {
        if (top.inputs() != trunk.featureSize()) {
            throw new IllegalArgumentException("the top reads " + top.inputs() + " channels, the trunk gives "
                    + trunk.featureSize());
        }
        return new CaptionerConfig(FEATURES, trunk.identity(), trunk.inputSize(), top.outputs(), vocabularySize,
                embeddingSize, hiddenSize, attentionSize, dropout, initialState, maxLength, feedContext, top.inputs());
    }

    public CaptionerConfig withVocabularySize(int size) {
        return new CaptionerConfig(encoder, backbone, imageSize, featureSize, size, embeddingSize, hiddenSize,
                attentionSize, dropout, initialState, maxLength, feedContext, trunkChannels);
    }
}

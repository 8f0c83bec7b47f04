package io.caption4j.model.joint;

import io.caption4j.vision.ImageEncoder;
import java.util.Set;

/**
 * The architecture of a {@link DualEncoder}.
 *
 * @param textTower      {@value #TRAINED} (word embeddings + GRU learnt here) or {@value #MINILM} (frozen pretrained
 *                       MiniLM; only the image side learns, to meet it)
 * @param imagePooling   how the backbone's regions become one vector: {@value #MEAN} (the backbone's own pooled
 *                       vector) or {@value #ATTENTION} (learnt weights over the regions)
 * @param featureSize    channels of the backbone's regions
 * @param imageHidden    width of the image projection's hidden layer
 * @param embedDim       length of the joint embeddings (384 with the MiniLM tower)
 * @param vocabularySize words of the trained tower (0 with MiniLM)
 * @param wordEmbedding  word vector size of the trained tower
 * @param textHidden     GRU state size of the trained tower
 * @param maxWords       the trained tower reads at most this many words of a text
 * @param dropout        dropout rate in training
 * @param backbone       identity of the frozen image backbone the model was trained on
 * @param textEncoder    identity of the frozen text encoder ({@link MiniLmTextEncoder#identity()}), or ""
 */
public record DualEncoderConfig(String textTower, String imagePooling, int featureSize, int imageHidden,
        int embedDim, int vocabularySize, int wordEmbedding, int textHidden, int maxWords, float dropout,
        String backbone, String textEncoder) {
    public static final String TRAINED = "trained";
    public static final String MINILM = "minilm";
    public static final String MEAN = "mean";
    public static final String ATTENTION = "attention";

    public DualEncoderConfig {
        if (!Set.of(TRAINED, MINILM).contains(textTower)) {
            throw new IllegalArgumentException("text tower must be trained or minilm, got " + textTower);
        }
        if (!Set.of(MEAN, ATTENTION).contains(imagePooling)) {
            throw new IllegalArgumentException("image pooling must be mean or attention, got " + imagePooling);
        }
        if (MINILM.equals(textTower) && embedDim != MiniLmTextEncoder.DIMENSION) {
            throw new IllegalArgumentException("with the MiniLM text tower the embedding size is "
                    + MiniLmTextEncoder.DIMENSION + ", got " + embedDim);
        }
    }

    public boolean trainsText() {
        return TRAINED.equals(textTower);
    }

    public DualEncoderConfig withVocabularySize(int size) {
        return new DualEncoderConfig(textTower, imagePooling, featureSize, imageHidden, embedDim, size, wordEmbedding,
                textHidden, maxWords, dropout, backbone, textEncoder);
    }

    /** The config for a model on this backbone's features. */
    public DualEncoderConfig withBackbone(ImageEncoder encoder) {
        return new DualEncoderConfig(textTower, imagePooling, encoder.featureSize(), imageHidden, embedDim,
                vocabularySize, wordEmbedding, textHidden, maxWords, dropout, encoder.identity(), textEncoder);
    }

    public DualEncoderConfig withTextEncoder(String identity) {
        return new DualEncoderConfig(textTower, imagePooling, featureSize, imageHidden, embedDim, vocabularySize,
                wordEmbedding, textHidden, maxWords, dropout, backbone, identity);
    }
}

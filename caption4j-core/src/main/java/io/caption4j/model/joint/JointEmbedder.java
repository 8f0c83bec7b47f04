package io.caption4j.model.joint;

import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import java.util.List;

/**
 * A model that puts images and texts in one vector space, where cosine similarity says how well a text describes an
 * image: what retrieval indexes, zero-shot classification and search are built on.
 */
public interface JointEmbedder extends AutoCloseable {
    /** A stable description of the model (weights included); an index records it and refuses other models. */
    String identity();

    /** Length of every embedding. */
    int dimension();

    /** How decoded image files become the pixels {@link #embedImages} reads. */
    ImagePreprocessor preprocessor();

    /** L2-normalised embeddings [N][dimension] of the images of {@code pixels}, in order. */
    float[][] embedImages(ImageInputs pixels);

    /** L2-normalised embeddings [N][dimension] of the texts, in order; texts past {@link #maxTextTokens} are cut. */
    float[][] embedTexts(List<String> texts);

    /** The most tokens the text encoder reads; longer texts are truncated. */
    int maxTextTokens();

    /** Tokens {@code text} has for this text encoder, to tell a user whose query was truncated. */
    int countTextTokens(String text);

    /**
     * What cosine similarities are multiplied by before a softmax turns them into probabilities: the inverse
     * temperature the model was trained with (CLIP's is 100).
     */
    default double similarityScale() {
        return 100;
    }

    @Override
    void close();
}

package io.caption4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.caption4j.util.InputException;
import io.caption4j.model.nn.Scalars;
import ai.djl.nn.Activation;

/**
 * A loss over a batch of matched image–text pairs: {@code similarity[i][j]} is the cosine of image i and text j, the
 * matches are on the diagonal, and every other entry is a negative (the batch holds distinct images).
 */
public interface ContrastiveLoss {
    String INFONCE = "infonce";
    String TRIPLET = "triplet";

    /**
     * @param similarity [B,B] cosine similarities, images by texts
     * @param scale      the model's logit scale, a scalar (only InfoNCE uses it)
     * @param epoch      the training epoch, from 1
     * @return the mean loss over the batch, a scalar
     */
    NDArray loss(NDArray similarity, NDArray scale, int epoch);

    /**
     * {@value #INFONCE}, or {@value #TRIPLET} with {@code margin}: hardest negatives, after a first epoch over all
     * negatives. From a random start hardest negatives alone sit at the collapsed loss of 2 × margin, so the first
     * epoch uses every negative. (With both towers learnt on Flickr8k they still stall after the switch; with the
     * frozen MiniLM tower they train about as well as InfoNCE.)
     */
    static ContrastiveLoss named(String name, float margin) {
        return switch (name) {
            case INFONCE -> (similarity, scale, epoch) -> infoNce(similarity, scale);
            case TRIPLET -> (similarity, scale, epoch) -> epoch == 1 ? allNegativesTriplet(similarity, margin)
                    : hardestNegativeTriplet(similarity, margin);
            default -> throw new InputException("--loss must be infonce or triplet, got " + name);
        };
    }

    /**
     * Symmetric InfoNCE (CLIP): cross-entropy of each image over all texts and of each text over all images, with
     * logits = scale × similarity, averaged over both directions.
     */
    static NDArray infoNce(NDArray similarity, NDArray scale) {
        NDArray logits = similarity.mul(scale);
        NDArray matched = identity(similarity);
        long batch = similarity.getShape().get(0);
        NDArray imageToText = Scalars.times(logits.logSoftmax(1).mul(matched).sum().neg(), 1.0 / batch);
        NDArray textToImage = Scalars.times(logits.logSoftmax(0).mul(matched).sum().neg(), 1.0 / batch);
        return Scalars.times(imageToText.add(textToImage), 0.5);
    }

    /**
     * Triplet loss with the hardest in-batch negatives (VSE++): for each pair, the margin hinge against the most similar
     * wrong text of its image and against the most similar wrong image of its text, averaged over the batch.
     */
    static NDArray hardestNegativeTriplet(NDArray similarity, float margin) {
        NDArray matched = identity(similarity);
        NDArray positive = similarity.mul(matched).sum(new int[] {1});
        // cosines are ≥ -1, so pushing the diagonal down by 3 takes it out of the maxima
        NDArray negatives = similarity.sub(matched.mul(3f));
        NDArray hardestText = negatives.max(new int[] {1});
        NDArray hardestImage = negatives.max(new int[] {0});
        NDArray textHinge = Activation.relu(hardestText.sub(positive).add(margin));
        NDArray imageHinge = Activation.relu(hardestImage.sub(positive).add(margin));
        return textHinge.add(imageHinge).mean();
    }

    /** The margin hinge against every wrong text and every wrong image, averaged over them and the batch. */
    static NDArray allNegativesTriplet(NDArray similarity, float margin) {
        NDArray matched = identity(similarity);
        NDArray wrong = matched.neg().add(1f);
        NDArray positive = similarity.mul(matched).sum(new int[] {1});
        NDArray textHinges = Activation.relu(similarity.sub(positive.expandDims(1)).add(margin)).mul(wrong);
        NDArray imageHinges = Activation.relu(similarity.sub(positive.expandDims(0)).add(margin)).mul(wrong);
        return textHinges.add(imageHinges).sum().div(wrong.sum());
    }

    private static NDArray identity(NDArray similarity) {
        NDManager manager = similarity.getManager();
        return manager.eye((int) similarity.getShape().get(0));
    }
}

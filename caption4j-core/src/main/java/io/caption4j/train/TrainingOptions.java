package io.caption4j.train;

/**
 * @param epochs          most epochs to train
 * @param batchSize       captions per step
 * @param learningRate    peak learning rate (Adam)
 * @param warmupSteps     linear warm-up steps before cosine decay
 * @param weightDecay     decoupled weight decay of matrices
 * @param clipNorm        gradient clipping by global norm (0 = off)
 * @param labelSmoothing  ε of label smoothing (0 = off)
 * @param patience        stop after this many epochs without a better validation score (0 = never stop early)
 * @param seed            seeds initialisation, data order and dropout
 * @param attentionCoverage λ of the "doubly stochastic" attention penalty of Show, Attend and Tell,
 *                        {@code λ · Σ_regions (1 − Σ_words α)²} per caption, which asks every region to be looked at
 *                        about once over the caption (0 = off; models without region attention ignore it)
 * @param scheduledSampling the largest probability with which a teacher-forced input word is replaced by the
 *                        model's own prediction (scheduled sampling, Bengio et al. 2015, in its parallel form); it
 *                        rises linearly from 0 at the first step to this value at the last (0 = off)
 * @param backboneTopLearningRate the learning rate of a backbone layer that the captioner fine-tunes
 *                        ({@link io.caption4j.model.BackboneTop}), as a multiple of the decoder's: it starts from
 *                        pretrained weights, which the decoder's full rate would soon overwrite
 */
public record TrainingOptions(int epochs, int batchSize, double learningRate, int warmupSteps, double weightDecay,
        double clipNorm, float labelSmoothing, int patience, long seed, float attentionCoverage,
        float scheduledSampling, double backboneTopLearningRate) {

    /** Options with a backbone top, if any, learning at a tenth of the decoder's rate. */
    public TrainingOptions(int epochs, int batchSize, double learningRate, int warmupSteps, double weightDecay,
            double clipNorm, float labelSmoothing, int patience, long seed, float attentionCoverage,
            float scheduledSampling) {
        this(epochs, batchSize, learningRate, warmupSteps, weightDecay, clipNorm, labelSmoothing, patience, seed,
                attentionCoverage, scheduledSampling, 0.1);
    }

    /** Options without the attention penalty and without scheduled sampling. */
    public TrainingOptions(int epochs, int batchSize, double learningRate, int warmupSteps, double weightDecay,
            double clipNorm, float labelSmoothing, int patience, long seed) {
        this(epochs, batchSize, learningRate, warmupSteps, weightDecay, clipNorm, labelSmoothing, patience, seed, 0f,
                0f);
    }
}

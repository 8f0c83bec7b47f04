package io.caption4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.caption4j.decode.CaptionSearch;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.Hypothesis;
import io.caption4j.eval.CiderDReward;
import io.caption4j.model.Captioner;
import io.caption4j.text.Vocabulary;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Self-critical sequence training (Rennie et al. 2017): for each image the model samples {@code k} captions, each is
 * scored by CIDEr-D against the image's references, and a baseline is subtracted: the reward of the model's own
 * greedy caption (the original method) or the mean reward of the other {@code k − 1} samples (Luo 2020). The policy gradient {@code −(r − b)·∇log p(caption)} is a
 * teacher-forced cross-entropy on the sampled captions, each row weighted by its advantage {@code r − b}, so the
 * trainer's one step serves both objectives. It optimises the metric the model is judged by, starting from a model
 * trained with cross-entropy.
 */
public final class SelfCriticalObjective implements TrainingObjective {
    /** What a sample's reward is compared with. */
    public enum Baseline {
        /** the reward of the greedy caption of the same image */
        GREEDY,
        /** the mean reward of the image's other samples */
        OTHER_SAMPLES
    }

    /** How self-critical training runs: the baseline, and the captions sampled per image. */
    public record Settings(Baseline baseline, int samplesPerImage) {}

    private final Captioner captioner;
    private final Baseline baseline;
    private final CiderDReward reward;
    private final int samplesPerImage;
    private final int maxLength;
    private final long seed;
    /** Moving average of the sampled captions' reward, for the progress bar. */
    private double recentReward = Double.NaN;

    /**
     * @param train           the split whose references are the rewards' (and whose document frequencies CIDEr-D
     *                        uses)
     * @param settings        the baseline and the captions sampled per image (at least 2 with
     *                        {@link Baseline#OTHER_SAMPLES})
     * @param maxLength       longest sample, end token included
     */
    public SelfCriticalObjective(Captioner captioner, CaptionSplit train, Settings settings, int maxLength, long seed) {
        Baseline baseline = settings.baseline();
        int samplesPerImage = settings.samplesPerImage();
        if (samplesPerImage < (baseline == Baseline.OTHER_SAMPLES ? 2 : 1)) {
            throw new IllegalArgumentException("too few samples per image for the baseline " + baseline);
        }
        this.captioner = captioner;
        this.baseline = baseline;
        this.reward = new CiderDReward(train.references());
        this.samplesPerImage = samplesPerImage;
        this.maxLength = maxLength;
        this.seed = seed;
    }

    /** Each image once per epoch. */
    @Override
    public List<int[]> examples(CaptionSplit split) {
        List<int[]> images = new ArrayList<>();
        for (int i = 0; i < split.size(); i++) {
            images.add(new int[] {i});
        }
        return images;
    }

    @Override
    public Batch batch(CaptionSplit split, List<int[]> examples, long step, NDManager arrays) {
        int[] images = examples.stream().mapToInt(e -> e[0]).toArray();
        NDArray inputs = split.images().batch(arrays, images);
        List<int[]> samples = CaptionSearch.sample(captioner, inputs, samplesPerImage, maxLength,
                new Random(seed * 1_000_003L + step));
        double[] greedy = baseline == Baseline.GREEDY ? greedyRewards(inputs, images) : null;
        List<int[]> captions = new ArrayList<>(samples.size());
        float[] weights = new float[samples.size()];
        for (int i = 0; i < images.length; i++) {
            double[] rewards = new double[samplesPerImage];
            double total = 0;
            for (int s = 0; s < samplesPerImage; s++) {
                int[] tokens = samples.get(i * samplesPerImage + s);
                rewards[s] = reward.score(images[i], captioner.vocabulary().decode(words(tokens)));
                total += rewards[s];
            }
            double mean = total / samplesPerImage;
            recentReward = Double.isNaN(recentReward) ? mean : 0.99 * recentReward + 0.01 * mean;
            for (int s = 0; s < samplesPerImage; s++) {
                int row = i * samplesPerImage + s;
                double base = greedy != null ? greedy[i] : (total - rewards[s]) / (samplesPerImage - 1);
                weights[row] = (float) (rewards[s] - base);
                captions.add(withStart(samples.get(row)));
            }
        }
        // the policy gradient needs the log-probabilities of the policy that sampled, which never says <unk>
        return new Batch(inputs.repeat(0, samplesPerImage), captions, weights, captioner.unspeakable());
    }

    private double[] greedyRewards(NDArray inputs, int[] images) {
        List<List<Hypothesis>> greedy = CaptionSearch.generate(captioner, inputs, DecodingOptions.greedy(maxLength));
        double[] rewards = new double[images.length];
        for (int i = 0; i < images.length; i++) {
            rewards[i] = reward.score(images[i], captioner.vocabulary().decode(greedy.get(i).get(0).tokens()));
        }
        return rewards;
    }

    /** Samples are scored and weighted as drawn, so the gradient pass runs without dropout, like the sampling. */
    @Override
    public boolean dropout() {
        return false;
    }

    @Override
    public String progress() {
        return String.format(Locale.ROOT, " reward %.3f", recentReward);
    }

    /** The words of a sample: its tokens without the end token. */
    private static int[] words(int[] tokens) {
        boolean ended = tokens.length > 0 && tokens[tokens.length - 1] == Vocabulary.END;
        return ended ? Arrays.copyOf(tokens, tokens.length - 1) : tokens;
    }

    private static int[] withStart(int[] tokens) {
        int[] caption = new int[tokens.length + 1];
        caption[0] = Vocabulary.START;
        System.arraycopy(tokens, 0, caption, 1, tokens.length);
        return caption;
    }
}

package io.caption4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.data.synthetic.QuestionAnswer;
import io.caption4j.data.synthetic.QuestionType;
import io.caption4j.model.vqa.VqaModel;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.PixelInputs;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.IntStream;

/** The questions of one split with their images decoded and held in memory: what VQA training and scoring read. */
public record VqaSplit(ImageInputs images, List<Example> examples) {

    /**
     * One question about image {@code image} (an index into {@link #images}), encoded by the model.
     *
     * @param answer index of the true answer among the model's answers, or -1 when the model has no such answer
     *               (always scored wrong)
     */
    public record Example(int image, int[] question, int answer, QuestionType type) {}

    /** The questions about {@code items}; images that fail to load are reported and left out with their questions. */
    public static VqaSplit of(CaptionDataset items, Map<String, List<QuestionAnswer>> questions, VqaModel model,
            Problems problems, PrintStream progress) {
        PixelInputs.Loaded loaded = PixelInputs.load(items.items().stream().map(CaptionedImage::image).toList(),
                new ImageLoader(), model.config().preprocessor(), problems, progress);
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < loaded.kept().size(); i++) {
            String id = items.items().get(loaded.kept().get(i)).id();
            for (QuestionAnswer qa : questions.getOrDefault(id, List.of())) {
                examples.add(new Example(i, model.encode(qa.question()).ids(), model.answers().indexOf(qa.answer()),
                        qa.type()));
            }
        }
        return new VqaSplit(loaded.inputs(), List.copyOf(examples));
    }

    /**
     * Example indices in batches of at most {@code batchSize} questions of one length, so no batch needs padding. In
     * order when {@code random} is null; else the images are shuffled and each batch takes the questions of
     * consecutive images (an image's questions share its encoding), then the batches are shuffled.
     */
    public List<int[]> batches(int batchSize, Random random) {
        int[] rank = IntStream.range(0, images.size()).toArray();
        if (random != null) {
            List<Integer> order = new ArrayList<>(IntStream.range(0, images.size()).boxed().toList());
            Collections.shuffle(order, random);
            for (int r = 0; r < order.size(); r++) {
                rank[order.get(r)] = r;
            }
        }
        Map<Integer, List<Integer>> byLength = new TreeMap<>();
        for (int i = 0; i < examples.size(); i++) {
            byLength.computeIfAbsent(examples.get(i).question().length, k -> new ArrayList<>()).add(i);
        }
        List<int[]> batches = new ArrayList<>();
        for (List<Integer> group : byLength.values()) {
            group.sort(Comparator.comparingInt((Integer i) -> rank[examples.get(i).image()]));
            for (int from = 0; from < group.size(); from += batchSize) {
                batches.add(group.subList(from, Math.min(group.size(), from + batchSize)).stream()
                        .mapToInt(Integer::intValue).toArray());
            }
        }
        if (random != null) {
            Collections.shuffle(batches, random);
        }
        return batches;
    }

    /** The network's inputs for a batch ({@link io.caption4j.model.vqa.VqaNetwork}): distinct images, index, tokens. */
    public NDList inputs(NDManager manager, int[] batch) {
        Map<Integer, Integer> slot = new LinkedHashMap<>();
        long[] imageIndex = new long[batch.length];
        long[][] tokens = new long[batch.length][];
        for (int b = 0; b < batch.length; b++) {
            Example example = examples.get(batch[b]);
            imageIndex[b] = slot.computeIfAbsent(example.image(), k -> slot.size());
            tokens[b] = IntStream.of(example.question()).asLongStream().toArray();
        }
        NDArray pixels = images.batch(manager, slot.keySet().stream().mapToInt(Integer::intValue).toArray());
        return new NDList(pixels, manager.create(imageIndex), manager.create(tokens));
    }

    /** The true answers [B] of a batch (-1 where the model has no such answer). */
    public long[] answers(int[] batch) {
        return IntStream.of(batch).mapToLong(i -> examples.get(i).answer()).toArray();
    }
}

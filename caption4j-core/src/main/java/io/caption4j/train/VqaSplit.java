package io.caption4j.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.data.synthetic.QuestionAnswer;
import io.caption4j.data.synthetic.QuestionType;
import io.caption4j.model.vqa.VqaBatch;
import io.caption4j.model.vqa.VqaModel;
import io.caption4j.util.Problems;
import io.caption4j.vision.FeatureCache;
import io.caption4j.vision.FeatureInputs;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.PixelInputs;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
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

    /**
     * The questions about {@code items} with their images decoded once (as {@code model} takes them: pixels, or
     * seen through its backbone batch by batch); images that fail to load are reported and left out.
     */
    public static VqaSplit fromImages(CaptionDataset items, Map<String, List<QuestionAnswer>> questions,
            VqaModel model, Problems problems, PrintStream progress) {
        PixelInputs.Loaded loaded = PixelInputs.load(items.items().stream().map(CaptionedImage::image).toList(),
                new ImageLoader(), model.preprocessor(), problems, progress);
        List<String> ids = loaded.kept().stream().map(i -> items.items().get(i).id()).toList();
        return of(ids, model.inputsOf(loaded.inputs()), questions, model);
    }

    /** The questions about {@code items} whose region features are in {@code cache}. */
    public static VqaSplit fromFeatures(CaptionDataset items, Map<String, List<QuestionAnswer>> questions,
            VqaModel model, FeatureCache cache) {
        List<String> ids = items.ids().stream().filter(id -> !cache.missing().contains(id)).toList();
        return of(ids, FeatureInputs.of(cache, ids), questions, model);
    }

    /** The questions about images {@code ids}, whose model inputs {@code images} are in the same order. */
    public static VqaSplit of(List<String> ids, ImageInputs images, Map<String, List<QuestionAnswer>> questions,
            VqaModel model) {
        List<Example> examples = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            for (QuestionAnswer qa : questions.getOrDefault(ids.get(i), List.of())) {
                examples.add(new Example(i, model.encode(qa.question()).ids(), model.answers().indexOf(qa.answer()),
                        qa.type()));
            }
        }
        return new VqaSplit(images, List.copyOf(examples));
    }

    /**
     * Example indices in batches of all the questions of consecutive images, until a batch has at least
     * {@code batchSize} questions: images in order when {@code random} is null, else shuffled.
     */
    public List<int[]> batches(int batchSize, Random random) {
        List<List<Integer>> byImage = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            byImage.add(new ArrayList<>());
        }
        for (int i = 0; i < examples.size(); i++) {
            byImage.get(examples.get(i).image()).add(i);
        }
        if (random != null) {
            Collections.shuffle(byImage, random);
        }
        List<int[]> batches = new ArrayList<>();
        List<Integer> batch = new ArrayList<>();
        for (List<Integer> questions : byImage) {
            batch.addAll(questions);
            if (batch.size() >= batchSize) {
                batches.add(batch.stream().mapToInt(Integer::intValue).toArray());
                batch.clear();
            }
        }
        if (!batch.isEmpty()) {
            batches.add(batch.stream().mapToInt(Integer::intValue).toArray());
        }
        return batches;
    }

    /** The network's input for a batch of example indices: each image once, the questions grouped by length. */
    public VqaBatch batch(NDManager manager, int[] batch) {
        Map<Integer, Integer> slot = new LinkedHashMap<>();
        Map<Integer, List<Integer>> rowsByLength = new TreeMap<>();
        for (int b = 0; b < batch.length; b++) {
            Example example = examples.get(batch[b]);
            slot.computeIfAbsent(example.image(), k -> slot.size());
            rowsByLength.computeIfAbsent(example.question().length, k -> new ArrayList<>()).add(b);
        }
        List<VqaBatch.Group> groups = new ArrayList<>();
        for (List<Integer> rows : rowsByLength.values()) {
            long[] imageIndex = new long[rows.size()];
            long[][] tokens = new long[rows.size()][];
            for (int r = 0; r < rows.size(); r++) {
                Example example = examples.get(batch[rows.get(r)]);
                imageIndex[r] = slot.get(example.image());
                tokens[r] = IntStream.of(example.question()).asLongStream().toArray();
            }
            groups.add(new VqaBatch.Group(rows.stream().mapToInt(Integer::intValue).toArray(),
                    manager.create(imageIndex), manager.create(tokens)));
        }
        NDArray pixels = images.batch(manager, slot.keySet().stream().mapToInt(Integer::intValue).toArray());
        return new VqaBatch(pixels, groups, batch.length);
    }

    /** The true answer of each example (-1 where the model has no such answer). */
    public long[] answers(int[] examples) {
        return IntStream.of(examples).mapToLong(i -> this.examples.get(i).answer()).toArray();
    }
}

package io.caption4j.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionDatasets;
import io.caption4j.data.Splits;
import io.caption4j.data.synthetic.Colour;
import io.caption4j.data.synthetic.Shape;
import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.model.joint.JointEmbedders;
import io.caption4j.model.joint.ZeroShotClassifier;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.PixelInputs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Zero-shot classification on a synthetic world's held-out images, against the attribute labels of
 * {@code scenes.jsonl}: the model never sees a label list in training, only captions.
 *
 * <p>Three label sets, each prompted with {@link ZeroShotClassifier#DEFAULT_TEMPLATES}: shapes ("circle", 5-way),
 * colours ("red", 6-way) and both ("red circle", 30-way). On images with one object the answer is that object's
 * attribute (accuracy); on all images a prediction counts as right when some object of the scene has it.
 *
 * <p>Benchmark: {@code java -cp caption4j.jar io.caption4j.eval.SyntheticZeroShot MODEL WORLD_DIR [SPLIT]}.
 */
public final class SyntheticZeroShot {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SyntheticZeroShot() {}

    /** The attributes of one scene: for each object, its shape, colour, and both ("red circle"). */
    record SceneLabels(int objects, List<String> shapes, List<String> colours, List<String> both) {}

    /** One label set's result: accuracy on single-object images, and "top label present" on all images. */
    public record Score(String task, int labels, int singleObjectImages, double singleObjectAccuracy, int allImages,
            double presentAccuracy) {}

    public static List<Score> evaluate(JointEmbedder model, Path world, Splits.Split split, Problems problems) {
        CaptionDataset dataset = CaptionDatasets.read(world.resolve("captions.csv"), world.resolve("images"),
                problems);
        CaptionDataset items = Splits.read(world.resolve("splits.json"), dataset, problems).apply(dataset, split);
        Map<String, SceneLabels> scenes = readScenes(world.resolve("scenes.jsonl"));
        PixelInputs.Loaded loaded = PixelInputs.load(items.items().stream().map(i -> i.image()).toList(),
                new ImageLoader(), model.preprocessor(), problems, null);
        float[][] images = model.embedImages(loaded.inputs());
        List<SceneLabels> truth = loaded.kept().stream().map(i -> scenes.get(items.items().get(i).id())).toList();
        List<String> shapes = Arrays.stream(Shape.values()).map(Shape::word).toList();
        List<String> colours = Arrays.stream(Colour.values()).map(Colour::word).toList();
        List<String> both = colours.stream().flatMap(c -> shapes.stream().map(s -> c + " " + s)).toList();
        return List.of(score(model, "shape", shapes, images, truth, SceneLabels::shapes),
                score(model, "colour", colours, images, truth, SceneLabels::colours),
                score(model, "colour+shape", both, images, truth, SceneLabels::both));
    }

    private static Score score(JointEmbedder model, String task, List<String> labels, float[][] images,
            List<SceneLabels> truth, Function<SceneLabels, List<String>> attribute) {
        ZeroShotClassifier classifier = ZeroShotClassifier.of(model, labels, ZeroShotClassifier.DEFAULT_TEMPLATES);
        float[][] probabilities = classifier.probabilities(images);
        int single = 0;
        int singleRight = 0;
        int present = 0;
        for (int i = 0; i < images.length; i++) {
            String predicted = labels.get(argmax(probabilities[i]));
            List<String> actual = attribute.apply(truth.get(i));
            if (actual.contains(predicted)) {
                present++;
            }
            if (truth.get(i).objects() == 1) {
                single++;
                singleRight += actual.get(0).equals(predicted) ? 1 : 0;
            }
        }
        return new Score(task, labels.size(), single, singleRight / (double) single, images.length,
                present / (double) images.length);
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static Map<String, SceneLabels> readScenes(Path file) {
        Map<String, SceneLabels> scenes = new HashMap<>();
        try {
            int line = 0;
            for (String text : Files.readAllLines(file)) {
                line++;
                JsonNode scene = JSON.readTree(text);
                List<String> shapes = new ArrayList<>();
                List<String> colours = new ArrayList<>();
                List<String> both = new ArrayList<>();
                for (JsonNode object : scene.path("objects")) {
                    shapes.add(object.path("shape").asText());
                    colours.add(object.path("colour").asText());
                    both.add(object.path("colour").asText() + " " + object.path("shape").asText());
                }
                if (shapes.isEmpty()) {
                    throw InputException.at(file, line, "a scene without objects");
                }
                scenes.put(scene.path("image").asText(), new SceneLabels(shapes.size(), distinct(shapes), distinct(colours),
                        distinct(both)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return scenes;
    }

    /** Each attribute value once: two red objects make a scene with one colour. */
    private static List<String> distinct(List<String> values) {
        return List.copyOf(new LinkedHashSet<>(values));
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: SyntheticZeroShot MODEL WORLD_DIR [train|val|test]");
            System.exit(2);
        }
        Splits.Split split = Splits.Split.parse(args.length > 2 ? args[2] : "test");
        Problems problems = new Problems(System.err);
        try (JointEmbedder model = JointEmbedders.load(Path.of(args[0]))) {
            List<Score> scores = evaluate(model, Path.of(args[1]), split, problems);
            System.out.printf(Locale.ROOT, "zero-shot on the %s split of %s, templates %s%n", split.key(), args[1],
                    ZeroShotClassifier.DEFAULT_TEMPLATES);
            System.out.printf(Locale.ROOT, "%-17s %6s %22s %8s %26s%n", "labels", "chance", "single-object accuracy",
                    "images", "top-1 present (all images)");
            for (Score s : scores) {
                System.out.printf(Locale.ROOT, "%-17s %6.3f %15.3f (n=%d) %8d %26.3f%n", s.task() + " (" + s.labels()
                        + ")", 1.0 / s.labels(), s.singleObjectAccuracy(), s.singleObjectImages(), s.allImages(),
                        s.presentAccuracy());
            }
        }
        System.exit(problems.count() == 0 ? 0 : 1);
    }
}

package io.caption4j.data.synthetic;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.caption4j.data.Splits;
import io.caption4j.util.AtomicFiles;
import java.awt.image.BufferedImage;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;

/**
 * The built-in synthetic world, the zero-download dataset: scene {@code i} of a world depends only on (seed, i).
 * Each scene is 1–3 coloured shapes on a muted texture, with five paraphrased captions, VQA questions and attribute
 * labels. {@link #writeDataset} writes it in the same formats as real data, so it goes through the same readers.
 */
public final class SyntheticWorld {
    public static final int DEFAULT_IMAGE_SIZE = 64;
    public static final long DEFAULT_SEED = 42;

    /** Muted background tones: low saturation, so no background can be mistaken for an object colour. */
    private static final int[] BACKGROUND_TONES = {0xB4AA96, 0x9A9A9A, 0x8C96A0, 0x6E6E73, 0xA0A08C, 0xC8BEB4};
    /** How many scenes have 1, 2 or 3 objects, out of 20. */
    private static final int[] OBJECT_COUNT_WEIGHTS = {5, 8, 7};
    private static final double SAME_KIND_CHANCE = 0.3;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CsvMapper CSV = new CsvMapper();

    private final long seed;
    private final int imageSize;

    public SyntheticWorld(long seed, int imageSize) {
        if (imageSize < 16) {
            throw new IllegalArgumentException("image size must be at least 16 pixels, got " + imageSize);
        }
        this.seed = seed;
        this.imageSize = imageSize;
    }

    public long seed() {
        return seed;
    }

    public int imageSize() {
        return imageSize;
    }

    /** The file name of scene {@code index} in a written dataset, which is also its image id. */
    public static String imageName(int index) {
        return String.format(Locale.ROOT, "%05d.png", index);
    }

    public Scene scene(int index) {
        SplittableRandom rng = new SplittableRandom(mix(seed, index));
        int count = objectCount(rng);
        List<Integer> cells = new ArrayList<>(List.of(0, 1, 2, 3, 4, 5, 6, 7, 8));
        List<SceneObject> objects = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int cell = cells.remove(rng.nextInt(cells.size()));
            SceneObject kind = i > 0 && rng.nextDouble() < SAME_KIND_CHANCE
                    ? objects.get(rng.nextInt(objects.size())) : newKind(rng, objects);
            objects.add(place(rng, kind, cell));
        }
        Background background = new Background(
                Background.Texture.values()[rng.nextInt(Background.Texture.values().length)],
                BACKGROUND_TONES[rng.nextInt(BACKGROUND_TONES.length)], 0.05 + 0.07 * rng.nextDouble(),
                rng.nextInt(4), rng.nextLong());
        return new Scene(index, rng.nextLong(), background, objects);
    }

    public BufferedImage render(Scene scene) {
        return SceneRenderer.render(scene, imageSize);
    }

    /** Five different reference captions, lower case, without punctuation other than commas. */
    public List<String> captions(Scene scene) {
        return CaptionWriter.captions(scene);
    }

    public List<QuestionAnswer> questions(Scene scene) {
        return QuestionWriter.questions(scene);
    }

    /**
     * Writes scenes 0..count-1 into {@code dir}, atomically (a crash leaves no half-written dataset):
     * {@code images/NNNNN.png}, {@code captions.csv} ({@code image,caption}), {@code splits.json} (the default
     * deterministic 80/10/10 split), {@code questions.jsonl} ({@code image, question, answer, type}),
     * {@code scenes.jsonl} (the objects and the attribute labels {@code shapes}, {@code colours}) and
     * {@code world.json} (seed, image size, count).
     */
    public void writeDataset(Path dir, int count) throws IOException {
        AtomicFiles.writeDirectory(dir, tmp -> {
            writeImages(tmp.resolve("images"), count);
            List<Scene> scenes = IntStream.range(0, count).mapToObj(this::scene).toList();
            writeCaptions(tmp.resolve("captions.csv"), scenes);
            Splits.deterministic(scenes.stream().map(s -> imageName(s.index())).toList()).write(tmp.resolve(
                    "splits.json"));
            writeQuestions(tmp.resolve("questions.jsonl"), scenes);
            writeScenes(tmp.resolve("scenes.jsonl"), scenes);
            ObjectNode world = JSON.createObjectNode().put("format", "caption4j-synthetic-world").put("seed", seed)
                    .put("imageSize", imageSize).put("count", count);
            Files.writeString(tmp.resolve("world.json"), JSON.writeValueAsString(world) + "\n");
        });
    }

    private void writeImages(Path images, int count) throws IOException {
        Files.createDirectories(images);
        try {
            IntStream.range(0, count).parallel().forEach(i -> {
                try {
                    ImageIO.write(render(scene(i)), "png", images.resolve(imageName(i)).toFile());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void writeCaptions(Path file, List<Scene> scenes) throws IOException {
        CsvSchema schema = CsvSchema.builder().addColumn("image").addColumn("caption").build().withHeader();
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
                SequenceWriter rows = CSV.writer(schema).writeValues(out)) {
            for (Scene scene : scenes) {
                for (String caption : captions(scene)) {
                    rows.write(new String[] {imageName(scene.index()), caption});
                }
            }
        }
    }

    private void writeQuestions(Path file, List<Scene> scenes) throws IOException {
        writeJsonLines(file, scenes.stream().flatMap(scene -> questions(scene).stream().map(qa -> JSON
                .createObjectNode().put("image", imageName(scene.index())).put("question", qa.question())
                .put("answer", qa.answer()).put("type", qa.type().key()))).toList());
    }

    private void writeScenes(Path file, List<Scene> scenes) throws IOException {
        writeJsonLines(file, scenes.stream().map(scene -> {
            ObjectNode line = JSON.createObjectNode().put("image", imageName(scene.index()));
            ArrayNode shapes = line.putArray("shapes");
            scene.shapes().forEach(shape -> shapes.add(shape.word()));
            ArrayNode colours = line.putArray("colours");
            scene.colours().forEach(colour -> colours.add(colour.word()));
            line.put("background", scene.background().texture().word());
            ArrayNode objects = line.putArray("objects");
            scene.objects().forEach(o -> objects.addObject().put("shape", o.shape().word())
                    .put("colour", o.colour().word()).put("size", o.size().word()).put("x", o.x()).put("y", o.y()));
            return line;
        }).toList());
    }

    private static void writeJsonLines(Path file, List<ObjectNode> lines) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (ObjectNode line : lines) {
                out.write(JSON.writeValueAsString(line));
                out.write('\n');
            }
        }
    }

    private static int objectCount(SplittableRandom rng) {
        int roll = rng.nextInt(IntStream.of(OBJECT_COUNT_WEIGHTS).sum());
        for (int i = 0; i < OBJECT_COUNT_WEIGHTS.length; i++) {
            roll -= OBJECT_COUNT_WEIGHTS[i];
            if (roll < 0) {
                return i + 1;
            }
        }
        throw new IllegalStateException();
    }

    /** A shape and colour that no object so far has, in a random size. */
    private static SceneObject newKind(SplittableRandom rng, List<SceneObject> objects) {
        while (true) {
            SceneObject kind = new SceneObject(Shape.values()[rng.nextInt(Shape.values().length)],
                    Colour.values()[rng.nextInt(Colour.values().length)],
                    Size.values()[rng.nextInt(Size.values().length)], 0, 0);
            if (objects.stream().noneMatch(kind::sameKind)) {
                return kind;
            }
        }
    }

    /**
     * The kind at a random spot of the grid cell, with its bounding circle kept inside the cell (so objects never
     * overlap) and clear of the image border.
     */
    private static SceneObject place(SplittableRandom rng, SceneObject kind, int cell) {
        double third = 1.0 / 3;
        double slack = third / 2 - kind.size().radius() - 0.01;
        double x = (cell % 3 + 0.5) * third + slack * (2 * rng.nextDouble() - 1);
        double y = (cell / 3 + 0.5) * third + slack * (2 * rng.nextDouble() - 1);
        return new SceneObject(kind.shape(), kind.colour(), kind.size(), x, y);
    }

    /** SplitMix64 of (seed, index), so neighbouring indices and seeds give unrelated scenes. */
    private static long mix(long seed, int index) {
        long z = seed * 0x9E3779B97F4A7C15L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}

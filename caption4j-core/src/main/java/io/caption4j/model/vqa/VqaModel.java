package io.caption4j.model.vqa;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import com.fasterxml.jackson.core.type.TypeReference;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.text.PtbTokenizer;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.InputException;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import io.caption4j.vision.RgbImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A ready-to-use VQA model: the network, its question vocabulary and its answer vocabulary. Answers a question
 * about an image with a probability for every answer it knows.
 */
public final class VqaModel implements AutoCloseable {
    public static final String FORMAT = "caption4j-vqa/1";
    private static final String CONFIG = "config.json";
    private static final String VOCABULARY = "vocab.json";
    private static final String ANSWERS = "answers.json";
    private static final String WEIGHTS = "weights.safetensors";

    private final NDManager manager;
    private final VqaNetwork network;
    private final Vocabulary vocabulary;
    private final List<String> answers;
    private final ParameterStore parameters;
    private final FrozenBackbone backbone;

    private VqaModel(NDManager manager, VqaNetwork network, Vocabulary vocabulary, List<String> answers,
            FrozenBackbone backbone) {
        this.manager = manager;
        this.backbone = backbone;
        this.network = network;
        this.vocabulary = vocabulary;
        this.answers = List.copyOf(answers);
        this.parameters = new ParameterStore(manager, false);
    }

    /** A question as the model reads it: token ids, and the words it does not know (read as {@code <unk>}). */
    public record EncodedQuestion(int[] ids, List<String> unknownWords) {
        public boolean knowsNoWord() {
            return unknownWords.size() == ids.length;
        }
    }

    /** One answer and the model's probability for it. */
    public record ScoredAnswer(String answer, float probability) {}

    /** A fresh model that trains its own small CNN, with initialised weights (deterministic per seed). */
    public static VqaModel create(VqaConfig config, Vocabulary vocabulary, List<String> answers, long seed) {
        return create(config, vocabulary, answers, seed, null);
    }

    /**
     * A fresh model with initialised weights (deterministic per seed); the config's sizes must match. A
     * {@code features} model reads the regions of {@code backbone}, which it then owns.
     */
    public static VqaModel create(VqaConfig config, Vocabulary vocabulary, List<String> answers, long seed,
            FrozenBackbone backbone) {
        if (config.vocabularySize() != vocabulary.size() || config.answerCount() != answers.size()
                || new HashSet<>(answers).size() != answers.size()) {
            throw new IllegalArgumentException("config sizes (" + config.vocabularySize() + " words, "
                    + config.answerCount() + " answers) do not match " + vocabulary.size() + " words and "
                    + answers.size() + " distinct answers");
        }
        NDManager manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed((int) seed);
        VqaNetwork network = new VqaNetwork(config);
        network.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        Shape images = config.trainsEncoder() ? new Shape(2, config.imageSize(), config.imageSize(), 3)
                : new Shape(2, config.regionCount(), config.featureSize());
        network.initialize(manager, DataType.FLOAT32, images, new Shape(2), new Shape(2, 3));
        return new VqaModel(manager, network, vocabulary, answers, backbone);
    }

    /**
     * Saves as a model directory: {@code config.json}, {@code vocab.json}, {@code answers.json}, weights and, for a
     * model that reads a frozen backbone, that backbone's files.
     */
    public void save(Path directory) throws IOException {
        ModelDirectory.write(directory, FORMAT, dir -> {
            ModelDirectory.JSON.writeValue(dir.resolve(CONFIG).toFile(), config());
            vocabulary.save(dir.resolve(VOCABULARY));
            ModelDirectory.JSON.writeValue(dir.resolve(ANSWERS).toFile(), answers);
            ModelDirectory.writeParameters(network, dir.resolve(WEIGHTS), FORMAT);
            if (backbone != null) {
                ModelDirectory.copyBackbone(backbone, dir);
            }
        });
    }

    /** Loads a saved VQA model, or the best model of a training run directory. */
    public static VqaModel load(Path directory) {
        ModelDirectory.Verified model = ModelDirectory.open(directory, FORMAT);
        VqaConfig config = ModelDirectory.readJson(model.file(CONFIG), VqaConfig.class);
        Vocabulary vocabulary = Vocabulary.load(model.file(VOCABULARY));
        List<String> answers = readAnswers(model.file(ANSWERS));
        if (config.vocabularySize() != vocabulary.size() || config.answerCount() != answers.size()) {
            throw InputException.at(model.file(CONFIG), "sizes do not match " + VOCABULARY + " and " + ANSWERS);
        }
        FrozenBackbone backbone = config.trainsEncoder() ? null : ModelDirectory.loadBackbone(model, config.backbone(),
                config.imageSize());
        VqaModel vqa = create(config, vocabulary, answers, 0, backbone);
        try {
            ModelDirectory.readParameters(vqa.network, model.file(WEIGHTS));
        } catch (RuntimeException e) {
            vqa.close();
            throw e;
        }
        return vqa;
    }

    private static List<String> readAnswers(Path file) {
        try {
            return ModelDirectory.JSON.readValue(file.toFile(), new TypeReference<List<String>>() {});
        } catch (IOException e) {
            throw InputException.at(file, "invalid answer list: " + e.getMessage());
        }
    }

    public VqaConfig config() {
        return network.config();
    }

    public VqaNetwork network() {
        return network;
    }

    public NDManager manager() {
        return manager;
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** How image files become this model's input pixels: its backbone's preprocessing, or the small CNN's. */
    public ImagePreprocessor preprocessor() {
        return backbone != null ? backbone.encoder().preprocessor() : config().preprocessor();
    }

    /** Decoded images ({@link #preprocessor()}) as this model's input: pixels, or backbone regions. */
    public ImageInputs inputsOf(ImageInputs pixels) {
        return backbone == null ? pixels : backbone.regionsOf(pixels);
    }

    /** The answer classes, in the head's order. */
    public List<String> answers() {
        return answers;
    }

    /** Tokenises as captions are tokenised (lower case, punctuation dropped); an empty question is refused. */
    public EncodedQuestion encode(String question) {
        List<String> tokens = PtbTokenizer.instance().tokenize(question);
        if (tokens.isEmpty()) {
            throw new InputException("the question has no words: '" + question + "'");
        }
        int[] ids = tokens.stream().mapToInt(vocabulary::id).toArray();
        List<String> unknown = tokens.stream().filter(t -> !vocabulary.contains(t)).toList();
        return new EncodedQuestion(ids, unknown);
    }

    /** Answer probabilities [size][answers] of every question of the batch, in batch order. */
    public float[][] probabilities(VqaBatch batch) {
        try (NDScope scope = new NDScope()) {
            float[][] out = new float[batch.size()][];
            List<NDArray> logits = network.logits(parameters, batch, false);
            for (int g = 0; g < logits.size(); g++) {
                float[] flat = logits.get(g).softmax(1).toFloatArray();
                int[] rows = batch.groups().get(g).rows();
                for (int i = 0; i < rows.length; i++) {
                    out[rows[i]] = Arrays.copyOfRange(flat, i * answers.size(), (i + 1) * answers.size());
                }
            }
            return out;
        }
    }

    /** The {@code topK} most probable answers to {@code question} about {@code image}, best first. */
    public List<ScoredAnswer> ask(RgbImage image, EncodedQuestion question, int topK) {
        float[] probabilities;
        try (NDScope scope = new NDScope(); NDManager arrays = manager.newSubManager()) {
            int side = config().imageSize();
            NDArray pixels = arrays.create(preprocessor().toTensor(image), new Shape(1, side, side, 3));
            NDArray images = backbone == null ? pixels : backbone.encoder().encode(pixels).get(0);
            long[][] tokens = {IntStream.of(question.ids()).asLongStream().toArray()};
            VqaBatch.Group group = new VqaBatch.Group(new int[] {0}, arrays.create(new long[] {0}),
                    arrays.create(tokens));
            probabilities = probabilities(new VqaBatch(images, List.of(group), 1))[0];
        }
        List<ScoredAnswer> ranked = new ArrayList<>();
        for (int a = 0; a < answers.size(); a++) {
            ranked.add(new ScoredAnswer(answers.get(a), probabilities[a]));
        }
        ranked.sort(Comparator.comparingDouble(ScoredAnswer::probability).reversed());
        return List.copyOf(ranked.subList(0, Math.min(topK, ranked.size())));
    }

    @Override
    public void close() {
        if (backbone != null) {
            backbone.close();
        }
        manager.close();
    }
}

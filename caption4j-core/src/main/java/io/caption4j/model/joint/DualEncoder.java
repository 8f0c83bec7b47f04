package io.caption4j.model.joint;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.text.PtbTokenizer;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.InputException;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;

/**
 * A trained (or freshly initialised) CLIP-style dual encoder, ready to embed image files and texts: the
 * {@link DualEncoderNetwork}, the frozen backbone its image side reads, and its text side (a vocabulary for the
 * trained GRU tower, or the frozen {@link MiniLmTextEncoder}).
 */
public final class DualEncoder implements JointEmbedder {
    public static final String FORMAT = "caption4j-dual-encoder/1";
    private static final String CONFIG = "config.json";
    private static final String VOCABULARY = "vocab.json";
    private static final String WEIGHTS = "weights.safetensors";
    private static final int BATCH_SIZE = 64;

    private final NDManager manager;
    private final DualEncoderNetwork network;
    private final ParameterStore parameters;
    private final Vocabulary vocabulary;
    private final MiniLmTextEncoder miniLm;
    private final FrozenBackbone backbone;

    private DualEncoder(NDManager manager, DualEncoderNetwork network, Vocabulary vocabulary, MiniLmTextEncoder miniLm,
            FrozenBackbone backbone) {
        this.manager = manager;
        this.network = network;
        this.parameters = new ParameterStore(manager, false);
        this.vocabulary = vocabulary;
        this.miniLm = miniLm;
        this.backbone = backbone;
    }

    /**
     * A new dual encoder with freshly initialised weights (deterministic per seed). It owns {@code backbone} (null:
     * it can only embed precomputed region features) and, for the MiniLM tower, a MiniLM it loads now.
     *
     * @param vocabulary the trained tower's words; null with the MiniLM tower
     */
    public static DualEncoder create(DualEncoderConfig config, Vocabulary vocabulary, long seed,
            FrozenBackbone backbone) {
        MiniLmTextEncoder miniLm = null;
        if (config.trainsText()) {
            if (vocabulary == null || vocabulary.size() != config.vocabularySize()) {
                throw new IllegalArgumentException("the trained text tower needs a vocabulary of "
                        + config.vocabularySize() + " words");
            }
        } else {
            miniLm = new MiniLmTextEncoder();
            if (!config.textEncoder().isEmpty() && !config.textEncoder().equals(miniLm.identity())) {
                miniLm.close();
                throw new InputException("this model's text tower is " + config.textEncoder()
                        + ", but the classpath has " + miniLm.identity());
            }
            config = config.withTextEncoder(miniLm.identity());
        }
        NDManager manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed((int) seed);
        DualEncoderNetwork network = new DualEncoderNetwork(config);
        network.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        Shape texts = config.trainsText() ? new Shape(2, 3) : new Shape(2, config.embedDim());
        network.initialize(manager, DataType.FLOAT32, new Shape(2, 49, config.featureSize()), texts);
        return new DualEncoder(manager, network, config.trainsText() ? vocabulary : null, miniLm, backbone);
    }

    /** Saves as a model directory: config, vocabulary (trained tower), weights and a copy of the backbone. */
    public void save(Path directory) throws IOException {
        ModelDirectory.write(directory, FORMAT, dir -> {
            ModelDirectory.JSON.writeValue(dir.resolve(CONFIG).toFile(), config());
            if (vocabulary != null) {
                vocabulary.save(dir.resolve(VOCABULARY));
            }
            ModelDirectory.writeParameters(network, dir.resolve(WEIGHTS), FORMAT);
            if (backbone != null) {
                ModelDirectory.copyBackbone(backbone, dir);
            }
        });
    }

    /** Loads a saved dual encoder, or the best model of a training run directory. */
    public static DualEncoder load(Path directory) {
        return load(ModelDirectory.open(directory, FORMAT));
    }

    public static DualEncoder load(ModelDirectory.Verified model) {
        DualEncoderConfig config = ModelDirectory.readJson(model.file(CONFIG), DualEncoderConfig.class);
        Vocabulary vocabulary = config.trainsText() ? Vocabulary.load(model.file(VOCABULARY)) : null;
        FrozenBackbone backbone = ModelDirectory.loadBackbone(model, config.backbone(),
                FrozenBackbone.AS_EXPORTED);
        DualEncoder encoder;
        try {
            encoder = create(config, vocabulary, 0, backbone);
        } catch (RuntimeException e) {
            backbone.close();
            throw e;
        }
        try {
            ModelDirectory.readParameters(encoder.network, model.file(WEIGHTS));
        } catch (RuntimeException e) {
            encoder.close();
            throw e;
        }
        return encoder;
    }

    public DualEncoderConfig config() {
        return network.config();
    }

    public DualEncoderNetwork network() {
        return network;
    }

    public NDManager manager() {
        return manager;
    }

    /** The trained tower's words; null with the MiniLM tower. */
    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** Texts as the network's text input: word ids, or MiniLM embeddings (computed now, the slow part). */
    public PreparedTexts prepare(List<String> texts) {
        if (miniLm != null) {
            return PreparedTexts.ofVectors(miniLm.embed(texts));
        }
        PtbTokenizer tokenizer = PtbTokenizer.instance();
        int[][] tokens = texts.parallelStream().map(text -> wordIds(tokenizer.tokenize(text))).toArray(int[][]::new);
        return PreparedTexts.ofTokens(tokens);
    }

    /** The first {@code maxWords} words' ids; a text with no word at all reads as one {@code <unk>}. */
    private int[] wordIds(List<String> words) {
        if (words.isEmpty()) {
            return new int[] {Vocabulary.UNK};
        }
        return words.stream().limit(config().maxWords()).mapToInt(vocabulary::id).toArray();
    }

    /** Embeddings of backbone region features [B,R,C] (such as a feature cache holds). */
    public float[][] embedRegions(ImageInputs regions) {
        return embedInBatches(regions.size(), (arrays, batch) -> network.embedImages(parameters,
                regions.batch(arrays, batch), false));
    }

    /** Embeddings of prepared texts. */
    public float[][] embedPrepared(PreparedTexts texts) {
        return embedInBatches(texts.size(), (arrays, batch) -> network.embedTexts(parameters,
                texts.batch(arrays, batch), false));
    }

    private float[][] embedInBatches(int count, BiFunction<NDManager, int[], NDArray> embed) {
        float[][] out = new float[count][];
        for (int from = 0; from < count; from += BATCH_SIZE) {
            int[] batch = IntStream.range(from, Math.min(count, from + BATCH_SIZE)).toArray();
            try (NDScope scope = new NDScope(); NDManager arrays = manager.newSubManager()) {
                float[] values = embed.apply(arrays, batch).toFloatArray();
                int d = values.length / batch.length;
                for (int b = 0; b < batch.length; b++) {
                    out[from + b] = Arrays.copyOfRange(values, b * d, (b + 1) * d);
                }
            }
        }
        return out;
    }

    @Override
    public String identity() {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(ModelDirectory.JSON.writeValueAsBytes(config()));
            for (Pair<String, Parameter> p : network.getParameters()) {
                digest.update(p.getKey().getBytes(StandardCharsets.UTF_8));
                float[] values = p.getValue().getArray().toFloatArray();
                ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
                bytes.asFloatBuffer().put(values);
                digest.update(bytes);
            }
            return FORMAT + " sha256=" + HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int dimension() {
        return config().embedDim();
    }

    @Override
    public ImagePreprocessor preprocessor() {
        return requireBackbone().encoder().preprocessor();
    }

    @Override
    public float[][] embedImages(ImageInputs pixels) {
        return embedRegions(requireBackbone().regionsOf(pixels));
    }

    @Override
    public float[][] embedTexts(List<String> texts) {
        for (String text : texts) {
            if (text.isBlank()) {
                throw new InputException("cannot embed an empty text");
            }
        }
        return embedPrepared(prepare(texts));
    }

    @Override
    public int maxTextTokens() {
        return miniLm != null ? MiniLmTextEncoder.MAX_TOKENS : config().maxWords();
    }

    @Override
    public int countTextTokens(String text) {
        return miniLm != null ? miniLm.countTokens(text) : PtbTokenizer.instance().tokenize(text).size();
    }

    @Override
    public double similarityScale() {
        try (NDScope scope = new NDScope()) {
            return network.scale(parameters, manager, false).getFloat();
        }
    }

    private FrozenBackbone requireBackbone() {
        if (backbone == null) {
            throw new IllegalStateException("this dual encoder reads precomputed features and has no backbone");
        }
        return backbone;
    }

    @Override
    public void close() {
        if (backbone != null) {
            backbone.close();
        }
        if (miniLm != null) {
            miniLm.close();
        }
        manager.close();
    }
}

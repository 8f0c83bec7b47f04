package io.caption4j.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.decode.Hypothesis;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.text.Vocabulary;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.MobileNetV2;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A ready-to-use attention-GRU captioner: the network, its vocabulary, and the step-by-step interface through which
 * {@link io.caption4j.decode.CaptionSearch} generates captions.
 */
public final class Captioner implements CaptionModel {
    public static final String FORMAT = "caption4j-captioner/1";
    private static final String CONFIG = "config.json";
    private static final String VOCABULARY = "vocab.json";
    private static final String WEIGHTS = "weights.safetensors";

    private final NDManager manager;
    private final AttentionGruCaptioner network;
    private final Vocabulary vocabulary;
    private final ParameterStore parameters;
    private final FrozenBackbone backbone;
    private final NDArray unspeakable;

    private Captioner(NDManager manager, AttentionGruCaptioner network, Vocabulary vocabulary,
            FrozenBackbone backbone) {
        this.manager = manager;
        float[] penalty = new float[vocabulary.size()];
        // <pad>, <start> and <unk> are never generated: an <unk> would be a hole in the caption
        penalty[Vocabulary.PAD] = penalty[Vocabulary.START] = penalty[Vocabulary.UNK] = -1e9f;
        this.unspeakable = manager.create(penalty);
        this.network = network;
        this.vocabulary = vocabulary;
        this.parameters = new ParameterStore(manager, false);
        this.backbone = backbone;
    }

    /** A new captioner that trains its own encoder, with freshly initialised weights (deterministic per seed). */
    public static Captioner create(CaptionerConfig config, Vocabulary vocabulary, long seed) {
        return create(config, vocabulary, seed, null);
    }

    /**
     * A new captioner with freshly initialised weights (deterministic per seed). A {@code features} model reads the
     * regions of {@code backbone}, which it then owns; without one it can only caption precomputed features.
     */
    public static Captioner create(CaptionerConfig config, Vocabulary vocabulary, long seed,
            FrozenBackbone backbone) {
        if (config.vocabularySize() != vocabulary.size()) {
            throw new IllegalArgumentException("config vocabulary size " + config.vocabularySize()
                    + " != vocabulary " + vocabulary.size());
        }
        NDManager manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed((int) seed);
        AttentionGruCaptioner network = new AttentionGruCaptioner(config);
        network.setInitializer(new XavierInitializer(), Parameter.Type.WEIGHT);
        network.initialize(manager, DataType.FLOAT32, inputShape(config, 2), new Shape(2, 3));
        if (config.tunesBackboneTop()) {
            if (!(backbone != null && backbone.encoder() instanceof MobileNetV2 mobileNet)) {
                manager.close();
                throw new IllegalArgumentException("a captioner that fine-tunes the backbone's top needs that"
                        + " MobileNetV2 backbone");
            }
            network.backboneTop().load(mobileNet.top());
        }
        return new Captioner(manager, network, vocabulary, backbone);
    }

    /** Shape of a batch of model inputs: pixels [B,S,S,3] or frozen region features [B,R,C]. */
    static Shape inputShape(CaptionerConfig config, long batch) {
        if (config.trainsEncoder()) {
            return new Shape(batch, config.imageSize(), config.imageSize(), 3);
        }
        return new Shape(batch, 49, config.inputChannels());
    }

    /**
     * Saves as a model directory ({@link ModelDirectory}): {@code config.json} (architecture), {@code vocab.json},
     * {@code weights.safetensors} and, for a model that reads a frozen backbone, that backbone's files.
     */
    @Override
    public void save(Path directory) throws IOException {
        ModelDirectory.write(directory, FORMAT, dir -> {
            ModelDirectory.JSON.writeValue(dir.resolve(CONFIG).toFile(), config());
            vocabulary.save(dir.resolve(VOCABULARY));
            ModelDirectory.writeParameters(network, dir.resolve(WEIGHTS), FORMAT);
            if (backbone != null) {
                ModelDirectory.copyBackbone(backbone, dir);
            }
        });
    }

    /** Loads a saved captioner, or the best model of a training run directory. */
    public static Captioner load(Path directory) {
        return load(ModelDirectory.open(directory, FORMAT));
    }

    /** Loads a captioner from a verified model directory of format {@link #FORMAT}. */
    public static Captioner load(ModelDirectory.Verified model) {
        CaptionerConfig config = ModelDirectory.readJson(model.file(CONFIG), CaptionerConfig.class);
        Vocabulary vocabulary = Vocabulary.load(model.file(VOCABULARY));
        FrozenBackbone backbone = config.trainsEncoder() ? null : ModelDirectory.loadBackbone(model, config.backbone(),
                config.imageSize(), config.tunesBackboneTop() ? MobileNetV2.Output.BEFORE_TOP
                        : MobileNetV2.Output.OUT_RELU);
        Captioner captioner = create(config, vocabulary, 0, backbone);
        try {
            ModelDirectory.readParameters(captioner.network, model.file(WEIGHTS));
        } catch (RuntimeException e) {
            captioner.close();
            throw e;
        }
        return captioner;
    }

    public CaptionerConfig config() {
        return network.config();
    }

    public Vocabulary vocabulary() {
        return vocabulary;
    }

    /** The backbone's own preprocessing when the model reads one (e.g. CLIP's, or a TF.js export's scaling). */
    @Override
    public ImagePreprocessor preprocessor() {
        return backbone != null ? backbone.encoder().preprocessor() : config().preprocessor();
    }

    @Override
    public boolean attendsToRegions() {
        return true;
    }

    @Override
    public int paddingToken() {
        return Vocabulary.PAD;
    }

    @Override
    public AttentionGruCaptioner network() {
        return network;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    /** Added to the logits wherever this captioner generates: −1e9 on {@code <pad>}, {@code <start>}, {@code <unk>}. */
    public NDArray unspeakable() {
        return unspeakable;
    }

    @Override
    public FrozenBackbone backbone() {
        return backbone;
    }

    /** Decoded images ({@link CaptionerConfig#preprocessor()}) as this model's input: pixels, or backbone regions. */
    @Override
    public ImageInputs inputsOf(ImageInputs pixels) {
        if (config().trainsEncoder()) {
            return pixels;
        }
        if (backbone == null) {
            throw new IllegalStateException("this captioner reads precomputed features and has no backbone");
        }
        return backbone.regionsOf(pixels);
    }

    /** Captions a batch of images (as {@link CaptionerConfig#encoder()} expects them); n-best per image. */
    public List<List<GeneratedCaption>> caption(NDArray images, DecodingOptions options) {
        return CaptionModel.caption(this, this::toCaption, images, options);
    }

    @Override
    public List<List<GeneratedCaption>> caption(ImageInputs inputs, DecodingOptions options, int batchSize) {
        return CaptionModel.caption(this, this::toCaption, manager, inputs, options, batchSize);
    }

    @Override
    public GeneratedCaption toCaption(Hypothesis h) {
        int[] tokens = h.tokens();
        float[] probabilities = h.probabilities();
        List<float[]> attention = h.attention();
        boolean ended = tokens.length > 0 && tokens[tokens.length - 1] == Vocabulary.END;
        int words = ended ? tokens.length - 1 : tokens.length;
        List<String> text = vocabulary.decode(Arrays.copyOf(tokens, words));
        return new GeneratedCaption(String.join(" ", text), text, Arrays.copyOf(probabilities, words),
                List.copyOf(attention.subList(0, words)), ended ? probabilities[words] : Float.NaN,
                h.logProbability(), h.score());
    }

    @Override
    public boolean sameTokens(CaptionModel other) {
        return other instanceof Captioner captioner && captioner.vocabulary.equals(vocabulary);
    }

    @Override
    public boolean sameInputs(CaptionModel other) {
        return other instanceof Captioner captioner && captioner.config().encoder().equals(config().encoder())
                && Objects.equals(captioner.config().backbone(), config().backbone())
                && captioner.config().imageSize() == config().imageSize();
    }

    @Override
    public NDList start(NDArray images) {
        return network.encode(parameters, images, false);
    }

    @Override
    public Step step(NDArray previousTokens, NDList state) {
        NDList out = network.decode(parameters, previousTokens.reshape(-1, 1), state, false);
        NDArray logProbs = out.get(0).squeeze(1).add(unspeakable).logSoftmax(1);
        NDList next = new NDList(state.get(0), state.get(1));
        next.addAll(out.subNDList(2));
        return new Step(logProbs, out.get(1).squeeze(1), next);
    }

    @Override
    public int startToken() {
        return Vocabulary.START;
    }

    @Override
    public int endToken() {
        return Vocabulary.END;
    }

    @Override
    public void close() {
        if (backbone != null) {
            backbone.close();
        }
        manager.close();
    }
}

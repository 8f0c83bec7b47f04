package io.caption4j.cli;

import io.caption4j.decode.DecodingOptions;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.train.CaptionTrainer;
import io.caption4j.train.CaptionerTraining;
import io.caption4j.train.EpochRecord;
import io.caption4j.train.SelfCriticalObjective;
import io.caption4j.train.TrainingOptions;
import io.caption4j.train.TrainingSetup;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.MobileNetV2;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true,
        description = {"Train a model: an attention-GRU captioner (--model-type gru, the default), ClipCap"
                + " (--model-type clipcap) or a CLIP-style dual encoder (--model-type dual-encoder).",
            "Writes OUT/model (the best epoch on validation), OUT/checkpoint (the last epoch, for --resume) and OUT/train-log.jsonl."})
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataMixin data;

    @Mixin
    VqaOptions vqa;

    @Option(names = "--model-type", defaultValue = "gru",
            description = "gru (attention-GRU captioner, the default), clipcap (image embedding → mapping → GPT-2 prefix),"
                    + " dual-encoder (CLIP-style image-text embeddings) or vqa (visual question answering; needs --synthetic).")
    String modelType;

    @Mixin
    ClipCapOptions clipCap;

    @Mixin
    DualEncoderOptions dualEncoder;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Run directory.")
    Path out;

    @Option(names = "--resume", description = "Continue from OUT/checkpoint.")
    boolean resume;

    @Option(names = "--epochs", defaultValue = "20", description = "Most epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--patience", defaultValue = "4",
            description = "Stop after this many epochs without a better validation score; 0 = never (default: ${DEFAULT-VALUE}).")
    int patience;

    @Option(names = "--batch-size", defaultValue = "32", description = "Captions per step; images per step with --objective self-critical (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", defaultValue = "0.002", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
    double learningRate;

    @Option(names = "--warmup", defaultValue = "200", description = "Warm-up steps (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--weight-decay", defaultValue = "0.0001", description = "Decoupled weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Option(names = "--clip-norm", defaultValue = "5", description = "Gradient clipping by global norm; 0 = off (default: ${DEFAULT-VALUE}).")
    double clipNorm;

    @Option(names = "--label-smoothing", defaultValue = "0", description = "Label smoothing ε (default: ${DEFAULT-VALUE}).")
    float labelSmoothing;

    @Option(names = "--attention-coverage", defaultValue = "0",
            description = "λ of Show, Attend and Tell's doubly stochastic attention penalty, λ·Σ_regions(1 − Σ_words α)²"
                    + " per caption; 0 = off (default: ${DEFAULT-VALUE}).")
    float attentionCoverage;

    @Option(names = "--scheduled-sampling", defaultValue = "0",
            description = "Scheduled sampling: the largest probability that a teacher-forced input word is replaced by"
                    + " the model's own prediction, reached linearly by the last step; 0 = off (default: ${DEFAULT-VALUE}).")
    float scheduledSampling;

    @Option(names = "--flip", description = "Horizontal-flip augmentation: each (photo, caption) example is seen as"
            + " taken or mirrored, with even odds (a mirrored photo's caption has \"left\" and \"right\" swapped);"
            + " the mirrored photos' features are extracted once. Frozen backbones only.")
    boolean flip;

    @Option(names = "--dropout", defaultValue = "0.3",
            description = "Dropout rate (default: ${DEFAULT-VALUE}). ClipCap has its language model's own instead"
                    + " (resid_pdrop in the LM's config.json), as Hugging Face models do.")
    float dropout;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of initialisation, data order and dropout (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--encoder", defaultValue = CaptionerConfig.SMALL_CNN,
            description = "small-cnn (trained with the decoder), or a frozen pretrained backbone from --backbone:"
                    + " tfjs (a TF.js layers export: MobileNetV2 is recognised by its out_relu layer, any other"
                    + " convolutional Keras model runs as its graph; mobilenetv2 is the same) or clip"
                    + " (default: ${DEFAULT-VALUE}).")
    String encoder;

    @Option(names = "--backbone", paramLabel = "MODEL_JSON|CLIP_DIR",
            description = "With --encoder mobilenetv2 or tfjs: a TensorFlow.js layers export (model.json + weight shards), e.g. a Teachable Machine image model (tools/tfjs-unbundle.js makes one of a model an npm package bundles); with --encoder clip: a Hugging Face CLIPModel folder (config.json, model.safetensors, preprocessor_config.json), e.g. openai/clip-vit-base-patch32.")
    Path backbone;

    @Option(names = "--feature-cache", defaultValue = "runs/feature-cache", paramLabel = "DIR",
            description = "Where backbone features are cached, once per image set (default: ${DEFAULT-VALUE}).")
    Path featureCache;

    @Option(names = "--image-size", paramLabel = "PIXELS",
            description = "Input side in pixels: of the small CNN (default: 64), or of MobileNetV2, a multiple of 32"
                    + " (default: the export's, 224 for the shared one; 320 gives 10×10 regions instead of 7×7).")
    Integer imageSize;

    @Option(names = "--fine-tune-top",
            description = "With --encoder mobilenetv2: train its last layer (the 1×1 conv to 1280 channels, batch norm"
                    + " folded in, + ReLU6) with the decoder, from its pretrained weights; features are then cached from"
                    + " below that layer.")
    boolean fineTuneTop;

    @Option(names = "--top-lr", defaultValue = "0.1",
            description = "With --fine-tune-top: that layer's learning rate as a multiple of --lr (default: ${DEFAULT-VALUE}).")
    double topLearningRate;

    @Option(names = "--feature-size", defaultValue = "128", description = "Channels of the small CNN's regions (default: ${DEFAULT-VALUE}).")
    int featureSize;

    @Option(names = "--embedding", defaultValue = "128", description = "Word embedding size (default: ${DEFAULT-VALUE}).")
    int embedding;

    @Option(names = "--hidden", defaultValue = "256", description = "GRU state size (default: ${DEFAULT-VALUE}).")
    int hidden;

    @Option(names = "--attention", defaultValue = "128", description = "Attention key/query size (default: ${DEFAULT-VALUE}).")
    int attention;

    @Option(names = "--initial-state", defaultValue = "pooled",
            description = "GRU start state: zero or pooled (from the mean region vector) (default: ${DEFAULT-VALUE}).")
    String initialState;

    @Option(names = "--feed-context",
            description = "Feed each step's attended vector, LayerNorm(h + context), into the next GRU step with the"
                    + " word (Luong's input feeding). Slower to train, since the GRU then runs one word at a time; its"
                    + " gradients are larger, so raise --clip-norm (the README's runs used 20).")
    boolean feedContext;

    @Option(names = "--min-count", defaultValue = "3", description = "Rarer words become <unk> (default: ${DEFAULT-VALUE}).")
    int minCount;

    @Option(names = "--max-words", defaultValue = "20", description = "Training captions are cut to this many words (default: ${DEFAULT-VALUE}).")
    int maxWords;

    @Option(names = "--init", paramLabel = "MODEL_DIR",
            description = "Start from this trained GRU captioner (a model directory or run directory): its architecture,"
                    + " vocabulary and backbone are kept, and the architecture options are ignored.")
    Path init;

    @Option(names = "--objective", defaultValue = "cross-entropy",
            description = "cross-entropy (fit the reference captions) or self-critical (fit sampled captions weighted by"
                    + " their CIDEr-D against the references; start from a cross-entropy model with --init)"
                    + " (default: ${DEFAULT-VALUE}).")
    String objective;

    @Option(names = "--samples", defaultValue = "5",
            description = "With --objective self-critical: captions sampled per image (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--reward-baseline", defaultValue = "other-samples",
            description = "With --objective self-critical: what a sample's CIDEr-D is compared with: greedy (the greedy"
                    + " caption's, as in Rennie et al.) or other-samples (the mean of the image's other samples)"
                    + " (default: ${DEFAULT-VALUE}).")
    String rewardBaseline;

    @Option(names = "--select", defaultValue = "CIDEr", description = "Validation metric that picks the best epoch (default: ${DEFAULT-VALUE}).")
    String selectionMetric;

    @Override
    public Integer call() throws Exception {
        if (!"gru".equals(modelType) && (flip || scheduledSampling > 0 || attentionCoverage > 0 || feedContext
                || fineTuneTop || !"cross-entropy".equals(objective))) {
            throw new InputException("--flip, --scheduled-sampling, --attention-coverage, --feed-context, --fine-tune-top"
                    + " and --objective apply to --model-type gru only");
        }
        if (fineTuneTop && !"mobilenetv2".equals(encoder) && init == null) {
            throw new InputException("--fine-tune-top needs --encoder mobilenetv2");
        }
        return switch (modelType) {
            case "gru" -> trainGru();
            case "clipcap" -> clipCap.train(this);
            case "dual-encoder" -> dualEncoder.train(this);
            case "vqa" -> vqa.train(this);
            default -> throw new InputException("--model-type must be gru, clipcap, dual-encoder or vqa, got "
                    + modelType);
        };
    }

    /** The small CNN's input side. */
    int smallCnnSize() {
        return imageSize == null ? 64 : imageSize;
    }

    /** The frozen backbone at {@code path}, read at --image-size when given. */
    CaptionerTraining.Backbone backbone(Path path) {
        return new CaptionerTraining.Backbone(path, imageSize == null ? FrozenBackbone.AS_EXPORTED : imageSize,
                featureCache, fineTuneTop ? MobileNetV2.Output.BEFORE_TOP : MobileNetV2.Output.OUT_RELU);
    }

    /** The frozen backbone that --encoder names, or null for the small CNN. */
    CaptionerTraining.Backbone frozenBackbone() {
        if (init != null) {
            return backbone(null); // the initial model brings its backbone
        }
        return switch (encoder) {
            case CaptionerConfig.SMALL_CNN -> null;
            case "mobilenetv2", "tfjs", "clip" -> {
                boolean clip = encoder.equals("clip");
                if (backbone == null || clip != Files.isDirectory(backbone)) {
                    throw new InputException("--encoder " + encoder + " needs --backbone "
                            + (clip ? "a Hugging Face CLIP folder" : "path/to/model.json")
                            + (backbone == null ? "" : ", got " + backbone));
                }
                yield backbone(backbone);
            }
            default -> throw new InputException("--encoder must be small-cnn, mobilenetv2, tfjs or clip, got "
                    + encoder);
        };
    }

    private SelfCriticalObjective.Settings selfCriticalSettings() {
        SelfCriticalObjective.Baseline baseline = switch (rewardBaseline) {
            case "greedy" -> SelfCriticalObjective.Baseline.GREEDY;
            case "other-samples" -> SelfCriticalObjective.Baseline.OTHER_SAMPLES;
            default -> throw new InputException("--reward-baseline must be greedy or other-samples, got "
                    + rewardBaseline);
        };
        int least = baseline == SelfCriticalObjective.Baseline.OTHER_SAMPLES ? 2 : 1;
        if (samples < least) {
            throw new InputException("--samples must be at least " + least + " with --reward-baseline " + rewardBaseline
                    + ", got " + samples);
        }
        return new SelfCriticalObjective.Settings(baseline, samples);
    }

    private int trainGru() throws Exception {
        SelfCriticalObjective.Settings selfCritical = switch (objective) {
            case "cross-entropy" -> null;
            case "self-critical" -> {
                if (flip || scheduledSampling > 0) {
                    throw new InputException("--flip and --scheduled-sampling are for cross-entropy training, not"
                            + " --objective self-critical");
                }
                yield selfCriticalSettings();
            }
            default -> throw new InputException("--objective must be cross-entropy or self-critical, got " + objective);
        };
        CaptionerTraining.Backbone frozen = frozenBackbone();
        Problems problems = new Problems(System.err);
        DataMixin.Data input = data.read(out, problems, System.out);
        TrainingSetup setup = new TrainingSetup(
                new CaptionerConfig(CaptionerConfig.SMALL_CNN, "pixels", smallCnnSize(), featureSize, 0, embedding,
                        hidden, attention, dropout, initialState, maxWords, feedContext),
                new TrainingOptions(epochs, batchSize, learningRate, warmup, weightDecay, clipNorm, labelSmoothing,
                        patience, seed, attentionCoverage, scheduledSampling, topLearningRate),
                minCount, maxWords, selectionMetric, DecodingOptions.greedy(maxWords), init, selfCritical, flip);
        List<EpochRecord> log = CaptionerTraining.run(input.dataset(), input.splits(), setup, frozen, out, resume,
                problems, System.out);
        log.stream().filter(EpochRecord::best).max(Comparator.comparingInt(EpochRecord::epoch)).ifPresent(best ->
                System.out.printf("best epoch %d: validation %s; model in %s%n", best.epoch(), best.validation(),
                        out.resolve(CaptionTrainer.MODEL)));
        return problems.count() == 0 ? 0 : 1;
    }
}

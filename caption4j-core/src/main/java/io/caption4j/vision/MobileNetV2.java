package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import io.caption4j.util.InputException;
import io.caption4j.vision.tfjs.KerasLayer;
import io.caption4j.vision.tfjs.TfjsLayersModel;
import io.caption4j.vision.tfjs.WeightTracker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keras' MobileNetV2 (any width) as a frozen feature extractor, built from the layers and weights of a TF.js layers
 * model (e.g. a Teachable Machine image export): stem conv → inverted residual blocks → 1×1 conv to 1280 → ReLU6
 * ({@code out_relu}). Every backbone layer of the topology and every backbone weight is used exactly once.
 *
 * <p>Loaded {@link Output#BEFORE_TOP}, it stops before that last 1×1 conv, for a captioner that fine-tunes the conv
 * itself ({@link #top()}) on features cached below it.
 */
public final class MobileNetV2 implements ImageEncoder, AutoCloseable {
    /** The input side the export was made for. */
    public static final int AS_EXPORTED = 0;
    /** Bumped whenever this implementation changes its numbers, so that feature caches made by older ones expire. */
    private static final String IMPLEMENTATION = "caption4j-mobilenetv2-1";

    /** Where the encoder's regions come from. */
    public enum Output {
        /** {@code out_relu}: the 1280 channels of the whole network. */
        OUT_RELU,
        /** The last inverted residual block (112 channels at width 0.35), before the 1×1 conv to 1280. */
        BEFORE_TOP
    }

    private final NDManager manager;
    private final ConvBn stem;
    private final List<InvertedResidual> blocks;
    private final ConvBn top;
    private final boolean appliesTop;
    private final int inputSize;
    private final int featureSize;
    private final TfjsPreprocessor.Normalization normalization;
    private final String identity;
    private final List<String> unusedWeights;

    private MobileNetV2(NDManager manager, ConvBn stem, List<InvertedResidual> blocks, ConvBn top, boolean appliesTop,
            int inputSize, int featureSize, TfjsPreprocessor.Normalization normalization, String identity,
            List<String> unusedWeights) {
        this.manager = manager;
        this.stem = stem;
        this.blocks = blocks;
        this.top = top;
        this.appliesTop = appliesTop;
        this.inputSize = inputSize;
        this.featureSize = featureSize;
        this.normalization = normalization;
        this.identity = identity;
        this.unusedWeights = unusedWeights;
    }

    /** Loads {@code model.json} (and its weight shards) into a new manager owned by the returned encoder. */
    public static MobileNetV2 load(Path modelJson) {
        return load(TfjsLayersModel.load(modelJson), NDManager.newBaseManager(), AS_EXPORTED, Output.OUT_RELU);
    }

    /**
     * Builds the network from {@code model}; weights live in {@code manager}, which the encoder then owns.
     *
     * @param inputSize side of the input images in pixels, a multiple of 32 ({@link #AS_EXPORTED}: the export's own).
     *     The network is fully convolutional, so a larger side gives a finer grid of regions from the same weights:
     *     (side/32)² regions. Keras pads each stride-2 convolution of an even-sided input by one pixel on the bottom
     *     and right, which the export encodes for its own size; every multiple of 32 keeps those inputs even.
     * @param output which layer gives the regions and the pooled vector
     */
    public static MobileNetV2 load(TfjsLayersModel model, NDManager manager, int inputSize, Output output) {
        try {
            return build(model, manager, inputSize, output);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    private static MobileNetV2 build(TfjsLayersModel model, NDManager manager, int inputSize, Output output) {
        KerasLayer outRelu = model.layer("out_relu");
        List<KerasLayer> backbone = model.layers().stream()
                .filter(l -> l.container().equals(outRelu.container())).toList();
        KerasLayer input = backbone.stream().filter(l -> l.className().equals("InputLayer")).findFirst()
                .orElseThrow(() -> outRelu.problem("its model has no InputLayer"));
        JsonNode inputShape = input.config().path("batch_input_shape");
        int exported = inputShape.path(1).asInt();
        if (inputShape.size() != 4 || exported < 32 || inputShape.path(2).asInt() != exported
                || inputShape.path(3).asInt() != 3) {
            throw input.problem("expected input [null, S, S, 3], found " + inputShape);
        }
        int size = inputSize == AS_EXPORTED ? exported : inputSize;
        if (size < 32 || size % 32 != 0) {
            throw new InputException("MobileNetV2 takes images whose side is a multiple of 32 pixels (its export: "
                    + exported + "), got " + inputSize);
        }
        WeightTracker weights = new WeightTracker(model);
        Set<String> used = new HashSet<>(Set.of(input.name()));
        ConvBn stem = ConvBn.fromKeras(model, weights, manager, input.name(), "Conv1_pad", "Conv1", "bn_Conv1",
                "Conv1_relu", used);
        List<InvertedResidual> blocks = new ArrayList<>();
        String previous = "Conv1_relu";
        for (int i = 0; i == 0 || model.findLayer("block_" + i + "_project").isPresent(); i++) {
            String prefix = i == 0 ? "expanded_conv" : "block_" + i;
            InvertedResidual block = InvertedResidual.fromKeras(model, weights, manager, prefix, previous, used);
            blocks.add(block);
            previous = InvertedResidual.outputName(prefix, block.residual());
        }
        ConvBn top = ConvBn.fromKeras(model, weights, manager, previous, null, "Conv_1", "Conv_1_bn", "out_relu",
                used);
        List<String> unusedLayers = backbone.stream().map(KerasLayer::name).filter(n -> !used.contains(n)).toList();
        if (!unusedLayers.isEmpty()) {
            throw InputException.at(model.source(), "not a MobileNetV2 as Keras builds it: layers "
                    + unusedLayers + " are not part of it");
        }
        Set<String> backboneNames = backbone.stream().map(KerasLayer::name).collect(Collectors.toSet());
        List<String> unusedBackboneWeights = weights.unused().stream()
                .filter(w -> backboneNames.contains(w.substring(0, Math.max(w.lastIndexOf('/'), 0)))).toList();
        if (!unusedBackboneWeights.isEmpty()) {
            throw InputException.at(model.source(), "backbone weights " + unusedBackboneWeights + " are not used");
        }
        boolean appliesTop = output == Output.OUT_RELU;
        int featureSize = appliesTop ? top.outputChannels() : top.inputChannels();
        TfjsPreprocessor.Normalization normalization = TfjsPreprocessor.Normalization.of(model);
        String identity = String.format("%s sha256=%s input=%dx%d RGB NHWC %s output=%s+avgpool",
                IMPLEMENTATION, model.sha256().substring(0, 16), size, size, normalization.formula(),
                appliesTop ? "out_relu" : previous);
        return new MobileNetV2(manager, stem, List.copyOf(blocks), top, appliesTop, size, featureSize, normalization,
                identity, weights.unused());
    }

    /**
     * @param images [B, S, S, 3] float32, normalised as {@link #preprocessor()} does
     * @return regions [B, (S/32)², C] (row-major over the grid) and pooled [B, C], in the images' manager (C = 1280
     *     at {@code out_relu})
     */
    @Override
    public NDList encode(NDArray images) {
        return ImageEncoder.encodeFeatureMap(images, inputSize, this::featureMap);
    }

    /** The feature map of {@link Output}, NCHW [B, C, S/32, S/32], of NCHW images. */
    NDArray featureMap(NDArray nchw) {
        NDArray x = stem.forward(nchw);
        for (InvertedResidual block : blocks) {
            x = block.forward(x);
        }
        return appliesTop ? top.forward(x) : x;
    }

    /** The last 1×1 conv with its batch norm folded in, as a per-region linear layer (its ReLU6 is not included). */
    public PointwiseConv top() {
        return top.folded();
    }

    @Override
    public int featureSize() {
        return featureSize;
    }

    @Override
    public int inputSize() {
        return inputSize;
    }

    @Override
    public ImagePreprocessor preprocessor() {
        return new TfjsPreprocessor(inputSize, normalization);
    }

    @Override
    public String identity() {
        return identity;
    }

    /** Weights of the TF.js model outside the backbone (e.g. a Teachable Machine classifier head). */
    public List<String> unusedWeights() {
        return unusedWeights;
    }

    @Override
    public void close() {
        manager.close();
    }
}

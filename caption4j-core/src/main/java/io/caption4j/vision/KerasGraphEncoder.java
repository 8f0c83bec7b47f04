package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import io.caption4j.vision.tfjs.KerasLayer;
import io.caption4j.vision.tfjs.TfjsLayersModel;

/**
 * Any convolutional Keras backbone exported to TF.js (e.g. InceptionV3), frozen: the feature map of the model's
 * output layer gives the regions, its mean over the grid the pooled vector. To take the features of an inner layer,
 * cut the export there first ({@code tools/tfjs-unbundle.js --trunk LAYER}). Images are resized whole to the export's
 * input side and normalised as its metadata says ({@link TfjsPreprocessor.Normalization#of}; [−1, 1] by default).
 */
public final class KerasGraphEncoder implements ImageEncoder, AutoCloseable {
    /** Bumped whenever this implementation changes its numbers, so that feature caches made by older ones expire. */
    private static final String IMPLEMENTATION = "caption4j-keras-graph-1";

    private final NDManager manager;
    private final KerasGraph graph;
    private final int inputSize;
    private final int featureSize;
    private final TfjsPreprocessor.Normalization normalization;
    private final String identity;

    private KerasGraphEncoder(NDManager manager, KerasGraph graph, int inputSize, int featureSize,
            TfjsPreprocessor.Normalization normalization, String identity) {
        this.manager = manager;
        this.graph = graph;
        this.inputSize = inputSize;
        this.featureSize = featureSize;
        this.normalization = normalization;
        this.identity = identity;
    }

    /** Builds the graph of {@code model}; its weights live in {@code manager}, which the encoder then owns. */
    public static KerasGraphEncoder load(TfjsLayersModel model, NDManager manager) {
        try {
            KerasGraph graph = KerasGraph.load(model, manager);
            KerasLayer input = model.layer(graph.inputName());
            JsonNode shape = input.config().path("batch_input_shape");
            int side = shape.path(1).asInt();
            if (shape.size() != 4 || side < 1 || shape.path(2).asInt() != side || shape.path(3).asInt() != 3) {
                throw input.problem("expected input [null, S, S, 3], found " + shape);
            }
            int channels;
            try (NDManager probe = manager.newSubManager()) {
                long[] out = graph.forward(probe.zeros(new Shape(1, 3, side, side)))
                        .getShape().getShape();
                if (out.length != 4) {
                    throw model.layer(graph.outputName()).problem("the output layer gives " + out.length
                            + "-D tensors; a backbone's output is a feature map (cut the model at a convolutional"
                            + " layer: tools/tfjs-unbundle.js --trunk)");
                }
                channels = Math.toIntExact(out[1]);
            }
            TfjsPreprocessor.Normalization normalization = TfjsPreprocessor.Normalization.of(model);
            String identity = String.format("%s sha256=%s input=%dx%d RGB NHWC %s output=%s+avgpool",
                    IMPLEMENTATION, model.sha256().substring(0, 16), side, side, normalization.formula(),
                    graph.outputName());
            return new KerasGraphEncoder(manager, graph, side, channels, normalization, identity);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * @param images [B, S, S, 3] float32, normalised as {@link #preprocessor()} does
     * @return regions [B, H·W, C] (row-major over the grid) and pooled [B, C], in the images' manager
     */
    @Override
    public NDList encode(NDArray images) {
        return ImageEncoder.encodeFeatureMap(images, inputSize, graph::forward);
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

    @Override
    public void close() {
        manager.close();
    }
}

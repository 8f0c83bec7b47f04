package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import com.fasterxml.jackson.databind.JsonNode;
import io.caption4j.util.InputException;
import io.caption4j.vision.tfjs.KerasLayer;
import io.caption4j.vision.tfjs.TfjsLayersModel;
import io.caption4j.vision.tfjs.WeightTracker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A frozen Keras functional model of a TF.js layers export, run as the graph its topology describes: each layer one
 * tensor operation on NCHW tensors with Keras' semantics, from the input layer to the last layer (the output). Supports
 * what Keras' convolutional backbones are made of: Conv2D, DepthwiseConv2D, BatchNormalization, Activation (relu,
 * linear), ReLU, ZeroPadding2D, MaxPooling2D, AveragePooling2D, Concatenate and Add; e.g. InceptionV3, whose blocks
 * concatenate parallel towers. Every layer and every weight of the export is used exactly once.
 */
final class KerasGraph {
    /** One layer: its operation on the outputs of the layers feeding it. */
    private record Node(String name, List<String> inputs, Operation operation) {}

    @FunctionalInterface
    private interface Operation {
        NDArray apply(List<NDArray> inputs);
    }

    private final String input;
    private final String output;
    private final List<Node> nodes;
    /** For each node, the index of the last node that reads its output, so intermediate tensors are freed early. */
    private final int[] lastUse;

    private KerasGraph(String input, String output, List<Node> nodes) {
        this.input = input;
        this.output = output;
        this.nodes = nodes;
        this.lastUse = new int[nodes.size()];
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).name(), i);
            for (String in : nodes.get(i).inputs()) {
                Integer producer = index.get(in);
                if (producer != null) { // null: the input layer
                    lastUse[producer] = i;
                }
            }
        }
        lastUse[nodes.size() - 1] = nodes.size();
    }

    /**
     * The graph of {@code model}'s (single) functional model, its weights created in {@code manager}.
     *
     * @throws InputException if a layer is not supported or reads a layer not defined before it, the model has not
     *     exactly one input, or a weight is missing, mis-shaped or unused
     */
    static KerasGraph load(TfjsLayersModel model, NDManager manager) {
        List<KerasLayer> layers = model.layers();
        String container = layers.get(0).container();
        if (layers.stream().anyMatch(l -> !l.container().equals(container))) {
            throw InputException.at(model.source(), "holds nested models; a generic backbone must be one functional"
                    + " model (see tools/tfjs-unbundle.js --trunk)");
        }
        WeightTracker weights = new WeightTracker(model);
        List<Node> nodes = new ArrayList<>();
        Set<String> defined = new HashSet<>();
        String input = null;
        for (KerasLayer layer : layers) {
            for (String in : layer.inbound()) {
                if (!defined.contains(in)) {
                    throw layer.problem("reads '" + in + "', which is not defined before it");
                }
            }
            if (layer.className().equals("InputLayer")) {
                if (input != null) {
                    throw layer.problem("a second input; a backbone has one");
                }
                input = layer.name();
            } else {
                nodes.add(new Node(layer.name(), layer.inbound(), operation(layer, weights, manager)));
            }
            defined.add(layer.name());
        }
        if (input == null || nodes.isEmpty()) {
            throw InputException.at(model.source(), "the model has no InputLayer or no layer after it");
        }
        if (!weights.unused().isEmpty()) {
            throw InputException.at(model.source(), "weights " + weights.unused() + " belong to no layer");
        }
        String output = nodes.get(nodes.size() - 1).name();
        return new KerasGraph(input, output, List.copyOf(nodes));
    }

    /** The input layer's name. */
    String inputName() {
        return input;
    }

    /** The output layer's name: the last layer of the topology. */
    String outputName() {
        return output;
    }

    /** The output of the last layer for NCHW {@code images}; intermediate tensors are closed as soon as unused. */
    NDArray forward(NDArray images) {
        Map<String, NDArray> values = new HashMap<>();
        values.put(input, images);
        NDArray[] byNode = new NDArray[nodes.size()];
        for (int i = 0; i < nodes.size(); i++) {
            Node node = nodes.get(i);
            List<NDArray> inputs = node.inputs().stream().map(values::get).toList();
            byNode[i] = node.operation().apply(inputs);
            values.put(node.name(), byNode[i]);
            for (int j = 0; j < i; j++) {
                if (byNode[j] != null && lastUse[j] == i) {
                    NDArray done = byNode[j];
                    byNode[j] = null;
                    if (done != images && !holds(byNode, done)) {
                        done.close(); // not passed through unchanged (a linear activation) to a live output
                    }
                }
            }
        }
        return byNode[nodes.size() - 1];
    }

    private static boolean holds(NDArray[] arrays, NDArray array) {
        for (NDArray a : arrays) {
            if (a == array) {
                return true;
            }
        }
        return false;
    }

    private static Operation operation(KerasLayer layer, WeightTracker weights, NDManager manager) {
        int arity = layer.inbound().size();
        boolean merge = layer.className().equals("Concatenate") || layer.className().equals("Add");
        if (merge ? arity < 2 : arity != 1) {
            throw layer.problem("has " + arity + " inputs");
        }
        return switch (layer.className()) {
            case "Conv2D", "DepthwiseConv2D" -> convolution(layer, weights, manager);
            case "BatchNormalization" -> batchNorm(layer, weights, manager);
            case "Activation" -> activation(layer, layer.string("activation"));
            case "ReLU" -> relu(layer);
            case "ZeroPadding2D" -> zeroPadding(layer);
            case "MaxPooling2D", "AveragePooling2D" -> pooling(layer);
            case "Concatenate" -> concatenate(layer);
            case "Add" -> in -> {
                NDArray sum = in.get(0);
                for (NDArray x : in.subList(1, in.size())) {
                    sum = sum.add(x);
                }
                return sum;
            };
            default -> throw layer.problem("is not supported in a generic backbone (to use the layers before it, cut"
                    + " the export: tools/tfjs-unbundle.js --trunk LAYER)");
        };
    }

    private static Operation convolution(KerasLayer layer, WeightTracker weights, NDManager manager) {
        ConvBn.checkConvolution(layer);
        boolean depthwise = layer.className().equals("DepthwiseConv2D");
        String name = layer.name();
        int[] kernel = layer.ints("kernel_size");
        int[] strides = layer.ints("strides");
        long inputs = weights.dimension(name + (depthwise ? "/depthwise_kernel" : "/kernel"), 2);
        NDArray weight = ConvBn.kernel(layer, weights, manager, inputs);
        long out = weight.getShape().get(0);
        NDArray bias = layer.config().path("use_bias").asBoolean(true)
                ? manager.create(weights.take(name + "/bias", out).values()) : null;
        int groups = depthwise ? Math.toIntExact(inputs) : 1;
        boolean same = padding(layer);
        Shape stride = new Shape(strides[0], strides[1]);
        Operation conv = in -> {
            ConvBn.Padded x = same ? ConvBn.padSame(in.get(0), kernel, stride)
                    : new ConvBn.Padded(in.get(0), new Shape(0, 0));
            return Conv2d.conv2d(x.input(), weight, bias, stride, x.padding(), new Shape(1, 1), groups)
                    .singletonOrThrow();
        };
        String activation = layer.config().path("activation").asText("linear");
        return activation.equals("linear") ? conv : then(conv, activation(layer, activation));
    }

    private static Operation batchNorm(KerasLayer layer, WeightTracker weights, NDManager manager) {
        String name = layer.name();
        long channels = weights.dimension(name + "/moving_mean", 0);
        ConvBn.NormParams norm = ConvBn.normParams(layer, weights, manager, channels);
        return in -> BatchNorm.batchNorm(in.get(0), norm.mean(), norm.variance(), norm.gamma(), norm.beta(), 1, 0f,
                norm.epsilon(), false).singletonOrThrow();
    }

    private static Operation activation(KerasLayer layer, String activation) {
        return switch (activation) {
            case "linear" -> in -> in.get(0);
            case "relu" -> in -> in.get(0).clip(0, Float.MAX_VALUE);
            case "relu6" -> in -> in.get(0).clip(0, 6);
            default -> throw layer.problem("activation '" + activation + "' is not supported");
        };
    }

    private static Operation relu(KerasLayer layer) {
        double max = ConvBn.reluMax(layer);
        return in -> in.get(0).clip(0, max);
    }

    private static Operation zeroPadding(KerasLayer layer) {
        int[] p = layer.ints("padding");
        if (p.length != 4) {
            throw layer.problem("expected padding [[top, bottom], [left, right]]");
        }
        return in -> in.get(0).pad(new Shape(p[2], p[3], p[0], p[1]), 0);
    }

    private static Operation pooling(KerasLayer layer) {
        boolean max = layer.className().equals("MaxPooling2D");
        int[] size = layer.ints("pool_size");
        int[] strides = layer.has("strides") ? layer.ints("strides") : size;
        boolean same = padding(layer);
        Shape kernel = new Shape(size[0], size[1]);
        Shape stride = new Shape(strides[0], strides[1]);
        return in -> {
            ConvBn.Padded x = same ? ConvBn.padSame(in.get(0), size, stride)
                    : new ConvBn.Padded(in.get(0), new Shape(0, 0));
            if (x.input() != in.get(0)) { // met at load time, by the encoder's probe at the exported size
                x.input().close();
                throw layer.problem("'same' pooling that pads unevenly is not supported (input "
                        + in.get(0).getShape() + ")");
            }
            if (max) {
                return Pool.maxPool2d(x.input(), kernel, stride, x.padding(), false);
            }
            NDArray average = Pool.avgPool2d(x.input(), kernel, stride, x.padding(), false, true);
            if (!same) {
                return average;
            }
            // TF's 'same' average divides by the pixels inside the image only. DJL's PyTorch engine counts the padding
            // whatever count_include_pad says, so the padded average is rescaled by the share of real pixels.
            Shape grid = new Shape(1, 1, x.input().getShape().get(2), x.input().getShape().get(3));
            try (NDArray ones = x.input().getManager().ones(grid);
                    NDArray share = Pool.avgPool2d(ones, kernel, stride, x.padding(), false, true)) {
                return average.div(share);
            }
        };
    }

    private static Operation concatenate(KerasLayer layer) {
        int axis = layer.config().path("axis").asInt(-1);
        if (axis != -1 && axis != 3) {
            throw layer.problem("only concatenation along channels (axis -1) is supported");
        }
        return in -> NDArrays.concat(new NDList(in), 1);
    }

    /** True for 'same', false for 'valid' padding. */
    private static boolean padding(KerasLayer layer) {
        JsonNode padding = layer.config().path("padding");
        return switch (padding.asText()) {
            case "same" -> true;
            case "valid" -> false;
            default -> throw layer.problem("unsupported padding " + padding);
        };
    }

    private static Operation then(Operation first, Operation second) {
        return in -> second.apply(List.of(first.apply(in)));
    }
}

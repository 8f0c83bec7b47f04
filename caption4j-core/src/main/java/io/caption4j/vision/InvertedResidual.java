package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.caption4j.vision.tfjs.KerasLayer;
import io.caption4j.vision.tfjs.TfjsLayersModel;
import io.caption4j.vision.tfjs.WeightTracker;
import java.util.List;
import java.util.Set;

/**
 * MobileNetV2's inverted residual block, Keras naming ({@code block_N_*}, or {@code expanded_conv_*} for the first):
 * 1×1 expand + ReLU6 (absent in the first block) → [pad] 3×3 depthwise + ReLU6 → 1×1 linear project →
 * [+ input].
 */
final class InvertedResidual {
    private final ConvBn expand;
    private final ConvBn depthwise;
    private final ConvBn project;
    private final boolean residual;

    private InvertedResidual(ConvBn expand, ConvBn depthwise, ConvBn project, boolean residual) {
        this.expand = expand;
        this.depthwise = depthwise;
        this.project = project;
        this.residual = residual;
    }

    /**
     * @param prefix the block's layer-name prefix, e.g. {@code block_3}
     * @param input name of the layer feeding the block
     * @return the block; {@link #outputName} names its last layer
     */
    static InvertedResidual fromKeras(TfjsLayersModel model, WeightTracker weights, NDManager manager, String prefix,
            String input, Set<String> used) {
        ConvBn expand = null;
        String depthwiseInput = input;
        if (model.findLayer(prefix + "_expand").isPresent()) {
            expand = ConvBn.fromKeras(model, weights, manager, input, null, prefix + "_expand",
                    prefix + "_expand_BN", prefix + "_expand_relu", used);
            depthwiseInput = prefix + "_expand_relu";
        }
        String pad = model.findLayer(prefix + "_pad").isPresent() ? prefix + "_pad" : null;
        ConvBn depthwise = ConvBn.fromKeras(model, weights, manager, depthwiseInput, pad, prefix + "_depthwise",
                prefix + "_depthwise_BN", prefix + "_depthwise_relu", used);
        ConvBn project = ConvBn.fromKeras(model, weights, manager, prefix + "_depthwise_relu", null,
                prefix + "_project", prefix + "_project_BN", null, used);
        boolean residual = model.findLayer(prefix + "_add").isPresent();
        if (residual) {
            KerasLayer add = model.layer(prefix + "_add");
            if (!add.className().equals("Add") || !add.inbound().equals(List.of(input, prefix + "_project_BN"))) {
                throw add.problem("expected Add of '" + input + "' and '" + prefix + "_project_BN'");
            }
            used.add(add.name());
        }
        return new InvertedResidual(expand, depthwise, project, residual);
    }

    /** The name of the Keras layer whose output this block's output is. */
    static String outputName(String prefix, boolean residual) {
        return prefix + (residual ? "_add" : "_project_BN");
    }

    boolean residual() {
        return residual;
    }

    NDArray forward(NDArray x) {
        NDArray y = expand == null ? x : expand.forward(x);
        y = project.forward(depthwise.forward(y));
        return residual ? y.add(x) : y;
    }
}

package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import io.caption4j.vision.tfjs.KerasLayer;
import io.caption4j.vision.tfjs.TfjsLayersModel;
import io.caption4j.vision.tfjs.WeightTracker;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * The unit MobileNetV2 is made of: [ZeroPadding2D] → Conv2D or DepthwiseConv2D (no bias) → BatchNormalization →
 * [ReLU6], with Keras semantics, on NCHW tensors.
 *
 * <p>The frozen batch norm is deliberately not folded into the convolution: rounding the folded kernels to float32
 * moves the 7×7 features by up to 5e-5 even when the rest is computed in float64, which alone would use half of the
 * fidelity budget against TensorFlow.js (which applies batch norm separately, as done here).
 */
final class ConvBn {
    private final NDArray weight;
    private final NormParams norm;
    private final Shape stride;
    private final int[] kernel;
    private final int groups;
    private final boolean samePadding;
    /** Explicit ZeroPadding2D before the convolution: top, bottom, left, right; null when there is none. */
    private final int[] zeroPadding;
    /** ReLU cap (6 for ReLU6); NaN when the unit has no activation. */
    private final double reluMax;

    /** Inference-mode batch norm: (x − mean) · gamma / sqrt(var + eps) + beta, per channel. */
    record NormParams(NDArray mean, NDArray variance, NDArray gamma, NDArray beta, float epsilon) {}

    private ConvBn(NDArray weight, NormParams norm, Shape stride, int[] kernel, int groups,
            boolean samePadding, int[] zeroPadding, double reluMax) {
        this.weight = weight;
        this.norm = norm;
        this.stride = stride;
        this.kernel = kernel;
        this.groups = groups;
        this.samePadding = samePadding;
        this.zeroPadding = zeroPadding;
        this.reluMax = reluMax;
    }

    /**
     * Builds the unit from the named Keras layers, checking in the topology that they are chained in this order.
     *
     * @param input name of the layer feeding this unit
     * @param padName name of a ZeroPadding2D feeding the convolution, or null
     * @param reluName name of the ReLU after the batch norm, or null
     * @param used collects the names of the layers this unit consumes
     */
    static ConvBn fromKeras(TfjsLayersModel model, WeightTracker weights, NDManager manager, String input,
            String padName, String convName, String bnName, String reluName, Set<String> used) {
        KerasLayer conv = model.layer(convName);
        int[] zeroPadding = null;
        if (padName != null) {
            KerasLayer pad = expect(model, padName, Set.of("ZeroPadding2D"), input, used);
            zeroPadding = pad.ints("padding");
            if (zeroPadding.length != 4) {
                throw pad.problem("expected padding [[top, bottom], [left, right]]");
            }
        }
        expect(model, convName, Set.of("Conv2D", "DepthwiseConv2D"), padName != null ? padName : input, used);
        KerasLayer bn = expect(model, bnName, Set.of("BatchNormalization"), convName, used);
        double reluMax = Double.NaN;
        if (reluName != null) {
            reluMax = reluMax(expect(model, reluName, Set.of("ReLU"), bnName, used));
        }
        checkConvolution(conv);
        if (conv.config().path("use_bias").asBoolean(false)) {
            throw conv.problem("a bias before batch norm is not supported");
        }
        if (!conv.config().path("activation").asText("linear").equals("linear")) {
            throw conv.problem("a fused activation is not supported");
        }
        int[] strides = conv.ints("strides");
        String padding = conv.string("padding");
        if (!padding.equals("same") && !padding.equals("valid")) {
            throw conv.problem("unsupported padding '" + padding + "'");
        }
        boolean depthwise = conv.className().equals("DepthwiseConv2D");
        long in = weights.dimension(convName + (depthwise ? "/depthwise_kernel" : "/kernel"), 2);
        NDArray w = kernel(conv, weights, manager, in);
        long out = w.getShape().get(0);
        int groups = depthwise ? Math.toIntExact(in) : 1;
        int[] kernel = conv.ints("kernel_size");
        return new ConvBn(w, normParams(bn, weights, manager, out), new Shape(strides[0], strides[1]), kernel, groups,
                padding.equals("same"), zeroPadding, reluMax);
    }

    NDArray forward(NDArray x) {
        if (zeroPadding != null) {
            x = x.pad(new Shape(zeroPadding[2], zeroPadding[3], zeroPadding[0], zeroPadding[1]), 0);
        }
        Padded padded = samePadding ? padSame(x, kernel, stride) : new Padded(x, new Shape(0, 0));
        NDArray y = Conv2d.conv2d(padded.input(), weight, null, stride, padded.padding(), new Shape(1, 1), groups)
                .singletonOrThrow();
        y = BatchNorm.batchNorm(y, norm.mean, norm.variance, norm.gamma, norm.beta, 1, 0f, norm.epsilon, false)
                .singletonOrThrow();
        return Double.isNaN(reluMax) ? y : y.clip(0, reluMax);
    }

    /** An input ready for a convolution or pooling, and the symmetric padding that operation is to add itself. */
    record Padded(NDArray input, Shape padding) {}

    /**
     * Keras 'same' padding of NCHW {@code x}: an even split is left to the operation, an uneven one (the extra pixel
     * at the bottom / right) becomes an explicit zero pad.
     */
    static Padded padSame(NDArray x, int[] kernel, Shape stride) {
        int[] h = samePad(x.getShape().get(2), kernel[0], stride.get(0));
        int[] w = samePad(x.getShape().get(3), kernel[1], stride.get(1));
        if (h[0] == h[1] && w[0] == w[1]) {
            return new Padded(x, new Shape(h[0], w[0]));
        }
        return new Padded(x.pad(new Shape(w[0], w[1], h[0], h[1]), 0), new Shape(0, 0));
    }

    int inputChannels() {
        return Math.toIntExact(weight.getShape().get(1) * groups);
    }

    int outputChannels() {
        return Math.toIntExact(weight.getShape().get(0));
    }

    /**
     * A plain 1×1 convolution with its batch norm folded in: W' = W·γ/√(σ² + ε), b' = β − μ·γ/√(σ² + ε), computed in
     * float64 and rounded once. Only for training it further, where the rounding is immaterial (see the class note).
     */
    PointwiseConv folded() {
        if (kernel[0] != 1 || kernel[1] != 1 || groups != 1 || zeroPadding != null) {
            throw new IllegalStateException("only a plain 1×1 convolution folds into a per-region linear layer");
        }
        float[] w = weight.toFloatArray();
        float[] mean = norm.mean.toFloatArray();
        float[] variance = norm.variance.toFloatArray();
        float[] gamma = norm.gamma.toFloatArray();
        float[] beta = norm.beta.toFloatArray();
        int outputs = outputChannels();
        int inputs = inputChannels();
        float[] foldedWeight = new float[w.length];
        float[] foldedBias = new float[outputs];
        for (int o = 0; o < outputs; o++) {
            double scale = gamma[o] / Math.sqrt((double) variance[o] + norm.epsilon);
            for (int i = 0; i < inputs; i++) {
                foldedWeight[o * inputs + i] = (float) (w[o * inputs + i] * scale);
            }
            foldedBias[o] = (float) (beta[o] - mean[o] * scale);
        }
        return new PointwiseConv(foldedWeight, foldedBias, inputs, outputs);
    }

    /** Keras 'same' padding: the total is split with the extra pixel at the bottom / right. */
    static int[] samePad(long size, int kernel, long stride) {
        long outSize = (size + stride - 1) / stride;
        int total = (int) Math.max((outSize - 1) * stride + kernel - size, 0);
        return new int[] {total / 2, total - total / 2};
    }

    /** Keras HWIO kernel → PyTorch OIHW. */
    private static float[] toOihw(float[] hwio, int kh, int kw, long in, long out) {
        float[] oihw = new float[hwio.length];
        int i = 0;
        for (int y = 0; y < kh; y++) {
            for (int x = 0; x < kw; x++) {
                for (long c = 0; c < in; c++) {
                    for (long o = 0; o < out; o++) {
                        oihw[(int) (((o * in + c) * kh + y) * kw + x)] = hwio[i++];
                    }
                }
            }
        }
        return oihw;
    }

    static NormParams normParams(KerasLayer bn, WeightTracker weights, NDManager manager, long out) {
        String name = bn.name();
        int[] axis = bn.ints("axis");
        if (axis.length != 1 || (axis[0] != -1 && axis[0] != 3)) {
            throw bn.problem("only channels-last batch norm (axis -1) is supported");
        }
        boolean scale = bn.config().path("scale").asBoolean(true);
        boolean center = bn.config().path("center").asBoolean(true);
        NDArray gamma = scale ? manager.create(weights.take(name + "/gamma", out).values())
                : manager.ones(new Shape(out));
        NDArray beta = center ? manager.create(weights.take(name + "/beta", out).values())
                : manager.zeros(new Shape(out));
        return new NormParams(manager.create(weights.take(name + "/moving_mean", out).values()),
                manager.create(weights.take(name + "/moving_variance", out).values()), gamma, beta,
                (float) bn.number("epsilon"));
    }

    /** The cap of a Keras ReLU layer (6 for ReLU6, infinity for none); leaky or thresholded ReLUs are refused. */
    static double reluMax(KerasLayer relu) {
        if ((relu.has("negative_slope") && relu.number("negative_slope") != 0)
                || (relu.has("threshold") && relu.number("threshold") != 0)) {
            throw relu.problem("only a plain (capped) ReLU is supported");
        }
        return relu.has("max_value") ? relu.number("max_value") : Double.POSITIVE_INFINITY;
    }

    /**
     * The kernel of a Conv2D or DepthwiseConv2D layer with {@code in} input channels as a PyTorch OIHW tensor (for a
     * depthwise one, the grouped layout with groups = {@code in}).
     */
    static NDArray kernel(KerasLayer conv, WeightTracker weights, NDManager manager, long in) {
        int[] kernel = conv.ints("kernel_size");
        String convName = conv.name();
        long out;
        float[] oihw;
        if (conv.className().equals("DepthwiseConv2D")) {
            long multiplier = (long) conv.number("depth_multiplier");
            float[] hwcm = weights.take(convName + "/depthwise_kernel", kernel[0], kernel[1], in, multiplier).values();
            out = in * multiplier;
            // TF orders depthwise outputs as c * multiplier + m, which is PyTorch's grouped layout with groups = C.
            oihw = toOihw(hwcm, kernel[0], kernel[1], 1, out);
        } else {
            out = (long) conv.number("filters");
            oihw = toOihw(weights.take(convName + "/kernel", kernel[0], kernel[1], in, out).values(),
                    kernel[0], kernel[1], in, out);
        }
        long inPerGroup = oihw.length / out / kernel[0] / kernel[1];
        return manager.create(oihw, new Shape(out, inPerGroup, kernel[0], kernel[1]));
    }

    /** Refuses what no convolution here computes: dilation and channels-first data. */
    static void checkConvolution(KerasLayer conv) {
        if (Arrays.stream(conv.ints("dilation_rate")).anyMatch(d -> d != 1)) {
            throw conv.problem("dilated convolutions are not supported");
        }
        if (!conv.config().path("data_format").asText("channels_last").equals("channels_last")) {
            throw conv.problem("only channels_last is supported");
        }
    }

    /** Checks that {@code name} exists with one of {@code classes} and is fed by {@code input}. */
    private static KerasLayer expect(TfjsLayersModel model, String name, Set<String> classes, String input,
            Set<String> used) {
        KerasLayer layer = model.layer(name);
        if (!classes.contains(layer.className())) {
            throw layer.problem("expected " + String.join(" or ", classes));
        }
        if (!layer.inbound().equals(List.of(input))) {
            throw layer.problem("expected its input to be '" + input + "', found " + layer.inbound());
        }
        used.add(name);
        return layer;
    }
}

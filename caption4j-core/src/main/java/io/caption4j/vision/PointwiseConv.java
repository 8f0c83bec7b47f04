package io.caption4j.vision;

/**
 * A 1×1 convolution as a per-region linear layer, y = W·x + b, with a frozen batch norm folded into W and b.
 *
 * @param weight [outputs, inputs], row-major (the layout of DJL's {@code Linear} weight)
 * @param bias   [outputs]
 */
public record PointwiseConv(float[] weight, float[] bias, int inputs, int outputs) {
    public PointwiseConv {
        if (weight.length != (long) inputs * outputs || bias.length != outputs) {
            throw new IllegalArgumentException("weight " + weight.length + " and bias " + bias.length
                    + " do not make a " + inputs + " → " + outputs + " layer");
        }
    }
}

package io.caption4j.model.joint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import io.caption4j.util.InputException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Joins a text vector and an image vector of the same width into one, in one of the design's three ways
 * ({@link Mode}). Inputs text [..., D] and image [..., D]; output [..., {@link #outputSize()}].
 */
public final class Fusion extends AbstractBlock {
    /** How the two vectors are joined. */
    public enum Mode {
        /** {@code [text; image]}, width 2D: keeps both, leaves the mixing to the next layer. */
        CONCAT,
        /** {@code text ⊙ image}: a feature survives where both agree. */
        PRODUCT,
        /** {@code w ⊙ text + (1 − w) ⊙ image} with {@code w = sigmoid(learned)} per feature, starting at ½. */
        WEIGHTED_SUM;

        /** The flag value: {@code concat}, {@code product}, {@code weighted-sum}. */
        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Mode parse(String key) {
            return Arrays.stream(values()).filter(m -> m.key().equals(key)).findFirst().orElseThrow(() ->
                    new InputException("fusion must be concat, product or weighted-sum, got '" + key + "'"));
        }
    }

    private final Mode mode;
    private final int size;
    private final Parameter mix;

    public Fusion(Mode mode, int size) {
        this.mode = mode;
        this.size = size;
        mix = mode != Mode.WEIGHTED_SUM ? null : addParameter(Parameter.builder().setName("mix")
                .setType(Parameter.Type.OTHER).optInitializer(Initializer.ZEROS).optShape(new Shape(size)).build());
    }

    public Mode mode() {
        return mode;
    }

    /** Width of the fused vector. */
    public int outputSize() {
        return mode == Mode.CONCAT ? 2 * size : size;
    }

    /** The learned per-feature weight of the text vector (weighted sum only). */
    public Parameter mix() {
        return mix;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray text = inputs.get(0);
        NDArray image = inputs.get(1);
        NDArray fused = switch (mode) {
            case CONCAT -> NDArrays.concat(new NDList(text, image), -1);
            case PRODUCT -> text.mul(image);
            case WEIGHTED_SUM -> {
                NDArray w = Activation.sigmoid(ps.getValue(mix, text.getDevice(), training));
                yield text.mul(w).add(image.mul(w.neg().add(1)));
            }
        };
        return new NDList(fused);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long[] shape = inputs[0].getShape();
        shape[shape.length - 1] = outputSize();
        return new Shape[] {new Shape(shape)};
    }
}

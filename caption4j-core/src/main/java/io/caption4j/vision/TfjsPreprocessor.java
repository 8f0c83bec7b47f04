package io.caption4j.vision;

import com.fasterxml.jackson.databind.JsonNode;
import io.caption4j.util.InputException;
import io.caption4j.vision.tfjs.TfjsLayersModel;
import java.util.Arrays;

/**
 * {@link RgbImage} → model input: the whole image resized to {@code size}×{@code size} (no crop, aspect ratio not
 * kept) with bilinear interpolation exactly as TensorFlow.js {@code tf.image.resizeBilinear} computes it with its
 * defaults (alignCorners=false, halfPixelCenters=false), then normalised to float. Output layout NHWC, channels R, G, B.
 *
 * <p>The resize is bit-exact with TF.js (tfjs-backend-cpu 4.22): output row {@code r} samples source row
 * {@code sy = r·H/size}, between rows {@code floor(sy)} and {@code min(H−1, ceil(sy))}, weighted by the fraction; the
 * same for columns; interpolation in double, rounded to float.
 *
 * <p>That resize reads only the 2×2 nearest source pixels, so shrinking a large photo with it alone would alias
 * badly (a 12-megapixel phone photo would look nothing like the ≤ 500 px photos models are trained on). An image at
 * least twice {@code size} on a side is therefore first box-averaged along that side by the integer factor
 * {@code side / (2·size)} ({@link RgbImage#boxShrink}), which leaves it between 2× and 4× {@code size}. Images
 * smaller than that, such as the TF.js reference photos (500 px for 224), go straight to the bilinear resize.
 *
 * <p>Immutable and thread-safe.
 */
public final class TfjsPreprocessor implements ImagePreprocessor {

    /** How resized 0..255 values {@code v} become model input; part of {@link #identity()}. */
    public enum Normalization {
        /** {@code v/127.5 − 1}, range [−1, 1]: MobileNetV2 as shipped by Keras and TF.js. */
        MINUS_ONE_TO_ONE("v/127.5-1"),
        /** {@code v/255}, range [0, 1]. */
        ZERO_TO_ONE("v/255"),
        /** {@code (v/255 − mean)/std} with the ImageNet mean (0.485, 0.456, 0.406) and std (0.229, 0.224, 0.225). */
        IMAGENET_MEAN_STD("(v/255-mean)/std,mean=0.485,0.456,0.406,std=0.229,0.224,0.225");

        private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
        private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

        private final String formula;

        Normalization(String formula) {
            this.formula = formula;
        }

        /**
         * The normalisation a TF.js export asks for in {@code userDefinedMetadata.inputNormalization} (one of the
         * formulas, e.g. {@code "v/255"}), else {@link #MINUS_ONE_TO_ONE}, what Keras' MobileNet and Inception
         * applications expect.
         */
        public static Normalization of(TfjsLayersModel model) {
            JsonNode wanted = model.userDefinedMetadata().path("inputNormalization");
            if (wanted.isMissingNode()) {
                return MINUS_ONE_TO_ONE;
            }
            for (Normalization n : values()) {
                if (n.formula.equals(wanted.asText())) {
                    return n;
                }
            }
            throw InputException.at(model.source(), "userDefinedMetadata.inputNormalization is " + wanted
                    + "; known: " + Arrays.stream(values()).map(Normalization::formula).toList());
        }

        /** The formula, as it appears in {@link TfjsPreprocessor#identity()}. */
        public String formula() {
            return formula;
        }

        /** Normalises one value of channel {@code channel} (0 = R); float arithmetic, as TF.js does it. */
        public float apply(float v, int channel) {
            return switch (this) {
                case MINUS_ONE_TO_ONE -> v / 127.5f - 1f;
                case ZERO_TO_ONE -> v / 255f;
                case IMAGENET_MEAN_STD -> (v / 255f - IMAGENET_MEAN[channel]) / IMAGENET_STD[channel];
            };
        }
    }

    private final int size;
    private final Normalization normalization;

    public TfjsPreprocessor(int size, Normalization normalization) {
        if (size < 1) {
            throw new IllegalArgumentException("size must be positive, got " + size);
        }
        this.size = size;
        this.normalization = normalization;
    }

    @Override
    public int size() {
        return size;
    }

    public Normalization normalization() {
        return normalization;
    }

    /**
     * A stable description of this preprocessing, e.g.
     * {@code resize=box-prefilter-above-2x,tfjs-bilinear(alignCorners=false,halfPixelCenters=false),whole-image,224x224;norm=v/127.5-1}.
     * Feature caches are keyed by it (together with {@link ImageLoader#IDENTITY} and the model's identity).
     */
    @Override
    public String identity() {
        return "resize=box-prefilter-above-2x,tfjs-bilinear(alignCorners=false,halfPixelCenters=false),whole-image,"
                + size + "x" + size + ";norm=" + normalization.formula();
    }

    @Override
    public void writeTensor(RgbImage image, float[] out, int offset) {
        resizeBilinear(image.boxShrink(prefilterFactor(image.width()), prefilterFactor(image.height())), out, offset);
    }

    /** 1 below 2 × size; else the integer factor that brings the side down to between 2× and 4× size. */
    private int prefilterFactor(int side) {
        return Math.max(1, side / (2 * size));
    }

    private void resizeBilinear(RgbImage image, float[] out, int offset) {
        byte[] rgb = image.rgb();
        int width = image.width();
        Axis columns = new Axis(width, size);
        Axis rows = new Axis(image.height(), size);
        int o = offset;
        for (int r = 0; r < size; r++) {
            int top = rows.low[r] * width * 3;
            int bottom = rows.high[r] * width * 3;
            double fy = rows.fraction[r];
            for (int c = 0; c < size; c++) {
                int left = columns.low[c] * 3;
                int right = columns.high[c] * 3;
                double fx = columns.fraction[c];
                for (int ch = 0; ch < 3; ch++) {
                    int tl = rgb[top + left + ch] & 0xFF;
                    int tr = rgb[top + right + ch] & 0xFF;
                    int bl = rgb[bottom + left + ch] & 0xFF;
                    int br = rgb[bottom + right + ch] & 0xFF;
                    double upper = tl + (tr - tl) * fx;
                    double lower = bl + (br - bl) * fx;
                    float v = (float) (upper + (lower - upper) * fy);
                    out[o++] = normalization.apply(v, ch);
                }
            }
        }
    }

    /** TF.js source positions along one axis: output i reads source low[i]..high[i], weight fraction[i] on high. */
    private static final class Axis {
        final int[] low;
        final int[] high;
        final double[] fraction;

        Axis(int inSize, int outSize) {
            low = new int[outSize];
            high = new int[outSize];
            fraction = new double[outSize];
            double scale = (double) inSize / outSize;
            for (int i = 0; i < outSize; i++) {
                double source = scale * i;
                low[i] = (int) Math.floor(source);
                high[i] = Math.min(inSize - 1, (int) Math.ceil(source));
                fraction[i] = source - low[i];
            }
        }
    }
}

package io.caption4j.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.caption4j.model.io.ArrayValues;
import io.caption4j.model.io.SafeTensors;
import io.caption4j.util.InputException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * CLIP (Radford et al. 2021) as Hugging Face's {@code CLIPModel} computes it, loaded from a folder with
 * {@code config.json} + {@code model.safetensors}.
 *
 * <p>Two towers map into one embedding space: the vision transformer's pooled class token through
 * {@code visual_projection} is the image embedding, the text transformer's pooled end-of-text token through
 * {@code text_projection} is the text embedding (both unnormalised, as {@code get_image_features} /
 * {@code get_text_features}). The image–text logits are the cosine similarities of the L2-normalised embeddings
 * times {@code exp(logit_scale)}.
 *
 * <p>Parameters carry the names and shapes of the checkpoint ({@link #namedParameters}); every tensor's name, dtype
 * and shape is checked against the config before any weight is allocated. The int64 {@code position_ids} buffers
 * some conversions carry are ignored.
 */
public final class ClipModel extends AbstractBlock implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    private static final Set<String> FLOAT_TYPES = Set.of("F32", "F16", "BF16", "F64");
    private static final Set<String> IGNORED = Set.of(
            "text_model.embeddings.position_ids", "vision_model.embeddings.position_ids");

    private final ClipConfig config;
    private final ClipTextTransformer textModel;
    private final ClipVisionTransformer visionModel;
    private final ClipLinear visualProjection;
    private final ClipLinear textProjection;
    private final Parameter logitScale;
    private NDManager manager;
    private ParameterStore parameters;

    private ClipModel(ClipConfig config) {
        this.config = config;
        ClipConfig.Encoder text = config.text().encoder();
        ClipConfig.Encoder vision = config.vision().encoder();
        textModel = addChildBlock("text_model", new ClipTextTransformer(config.text()));
        visionModel = addChildBlock("vision_model", new ClipVisionTransformer(config.vision()));
        visualProjection = addChildBlock("visual_projection",
                new ClipLinear(vision.hiddenSize(), config.projectionDim(), false));
        textProjection = addChildBlock("text_projection",
                new ClipLinear(text.hiddenSize(), config.projectionDim(), false));
        logitScale = addParameter(parameter("logit_scale", Parameter.Type.WEIGHT)); // a 0-dimensional tensor
    }

    /** A parameter of fixed shape; its values come from a checkpoint, so it starts at zero. */
    static Parameter parameter(String name, Parameter.Type type, long... shape) {
        return Parameter.builder().setName(name).setType(type).optShape(new Shape(shape))
                .optInitializer(Initializer.ZEROS).build();
    }

    public static ClipModel load(Path directory) {
        ClipConfig config = ClipConfig.read(directory.resolve(CONFIG));
        Path file = directory.resolve(WEIGHTS);
        SafeTensors weights = SafeTensors.open(file);
        ClipModel model = new ClipModel(config);
        Map<String, Parameter> named = model.namedParameters();
        checkTensors(file, weights, named);
        model.manager = NDManager.newBaseManager();
        model.parameters = new ParameterStore(model.manager, false);
        try {
            named.forEach((name, p) -> {
                p.initialize(model.manager, DataType.FLOAT32);
                ArrayValues.assign(p.getArray(), weights.floats(name));
            });
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return model;
    }

    private static void checkTensors(Path file, SafeTensors weights, Map<String, Parameter> named) {
        for (Map.Entry<String, Parameter> p : named.entrySet()) {
            SafeTensors.Entry entry = weights.entries().get(p.getKey());
            if (entry == null) {
                throw InputException.at(file, "has no tensor '" + p.getKey() + "' (needed by config.json)");
            }
            long[] expected = p.getValue().getShape().getShape();
            if (!Arrays.equals(entry.shape(), expected)) {
                throw InputException.at(file, "tensor '" + p.getKey() + "' has shape "
                        + Arrays.toString(entry.shape()) + ", config.json needs " + Arrays.toString(expected));
            }
            if (!FLOAT_TYPES.contains(entry.dtype())) {
                throw InputException.at(file, "tensor '" + p.getKey() + "' is " + entry.dtype()
                        + ", not floating point");
            }
        }
        for (String name : weights.entries().keySet()) {
            if (!named.containsKey(name) && !IGNORED.contains(name)) {
                throw InputException.at(file, "unexpected tensor '" + name + "': not part of the CLIPModel that "
                        + "config.json describes (does config.json belong to this checkpoint?)");
            }
        }
    }

    public ClipConfig config() {
        return config;
    }

    /** Every parameter under its Hugging Face name, e.g. vision_model.encoder.layers.0.self_attn.q_proj.weight. */
    public Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect(this, "", out);
        return out;
    }

    private static void collect(Block block, String prefix, Map<String, Parameter> out) {
        block.getDirectParameters().forEach(p -> out.put(prefix + p.getValue().getName(), p.getValue()));
        for (Pair<String, Block> child : block.getChildren()) {
            String name = child.getKey().replaceFirst("^\\d+", ""); // addChildBlock numbers its children
            collect(child.getValue(), prefix + name + ".", out);
        }
    }

    /** pixel_values [B, 3, H, W] (as Hugging Face's CLIP image processor gives them) → pooler_output [B, C]. */
    public NDArray visionPooledOutput(NDArray pixelValues) {
        return scoped(pixelValues, x -> visionModel.forward(parameters, new NDList(x), false).get(1));
    }

    /** input_ids [B, T] (int64, each row with its end-of-text token) → pooler_output [B, C]. */
    public NDArray textPooledOutput(NDArray inputIds) {
        return scoped(inputIds, x -> textModel.forward(parameters, new NDList(x), false).get(1));
    }

    /** pixel_values [B, 3, H, W] → image embeddings [B, projection_dim], unnormalised. */
    public NDArray imageEmbeds(NDArray pixelValues) {
        return scoped(pixelValues, x -> imageFeatures(parameters, x, false));
    }

    /**
     * pixel_values [B, 3, H, W] → every token of the vision tower's last hidden state through post_layernorm and
     * visual_projection [B, 1 + R, projection_dim]: token 0 (the class token) is the image embedding, tokens 1..R the
     * R = (image_size / patch_size)² patches in row-major order, projected into the same space.
     */
    public NDArray projectedImageTokens(NDArray pixelValues) {
        return scoped(pixelValues, x -> {
            NDArray hidden = visionModel.forward(parameters, new NDList(x), false).head();
            NDList normalized = new NDList(visionModel.postLayernorm(parameters, hidden, false));
            return visualProjection.forward(parameters, normalized, false).head();
        });
    }

    /** input_ids [B, T] → text embeddings [B, projection_dim], unnormalised. */
    public NDArray textEmbeds(NDArray inputIds) {
        return scoped(inputIds, x -> textFeatures(parameters, x, false));
    }

    /**
     * Runs {@code f} with its intermediate arrays in a manager of their own, closed at the end; the result goes
     * to the input's manager.
     */
    private static NDArray scoped(NDArray input, UnaryOperator<NDArray> f) {
        NDManager caller = input.getManager();
        try (NDManager scope = caller.newSubManager()) {
            input.tempAttach(scope);
            NDArray result = f.apply(input);
            result.attach(caller);
            return result;
        }
    }

    /** The learned log temperature; logits are scaled by its exponential (1/0.07 at CLIP's initialisation). */
    public float logitScale() {
        return logitScale.getArray().getFloat();
    }

    /**
     * Image embeddings [I, P] and text embeddings [N, P] → logits_per_image [I, N]: the cosine similarity of each
     * pair times exp(logit_scale); its transpose is logits_per_text.
     */
    public NDArray logits(NDArray imageEmbeds, NDArray textEmbeds) {
        return normalize(imageEmbeds).matMul(normalize(textEmbeds).transpose()).mul(Math.exp(logitScale()));
    }

    /** Each row divided by its L2 norm. */
    public static NDArray normalize(NDArray embeds) {
        return embeds.div(embeds.norm(new int[] {-1}, true));
    }

    /** inputs: pixel_values [B, 3, H, W], input_ids [N, T] → image embeddings [B, P], text embeddings [N, P]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(imageFeatures(ps, inputs.get(0), training), textFeatures(ps, inputs.get(1), training));
    }

    private NDArray imageFeatures(ParameterStore ps, NDArray pixelValues, boolean training) {
        NDList pooled = visionModel.forward(ps, new NDList(pixelValues), training).subNDList(1);
        return visualProjection.forward(ps, pooled, training).head();
    }

    private NDArray textFeatures(ParameterStore ps, NDArray inputIds, boolean training) {
        NDList pooled = textModel.forward(ps, new NDList(inputIds), training).subNDList(1);
        return textProjection.forward(ps, pooled, training).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), config.projectionDim()),
                new Shape(inputs[1].get(0), config.projectionDim())};
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}

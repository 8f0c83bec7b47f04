package io.caption4j.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.util.LinkedHashMap;
import java.util.Map;
import io.caption4j.model.nn.LayerNorm;

/**
 * GPT-2 (as nanoGPT's model.py draws it): input embeddings + position embeddings → n_layer transformer blocks →
 * final LayerNorm → logits through the token embedding (the tied LM head).
 *
 * <p>The input is a sequence of vectors ({@code inputs_embeds}), so a prefix of arbitrary vectors can precede the
 * embedded tokens; positions count from the first vector. With the keys and values of P earlier positions the
 * new positions are P, P+1, …, so a generation step costs one position, not a re-run of the sequence.
 *
 * <p>A cached generation step runs one position, where DJL's cost per op (a native call, an array made and freed)
 * outweighs the arithmetic, so the blocks keep ops and arrays few: constants and the causal mask are made once,
 * and sums and scalings are done in place wherever autograd keeps nothing of the array changed (PyTorch refuses,
 * rather than miscomputes, an in-place change that backward would need).
 *
 * <p>Parameters carry the shapes and names of a Hugging Face checkpoint ({@link #namedParameters}), so loading is
 * a name-for-name copy whose shapes can be checked before anything is allocated.
 */
public final class Gpt2Model extends AbstractBlock {
    private final Gpt2Config config;
    private final Parameter wte;
    private final Parameter wpe;
    private final TransformerBlock[] h;
    private final LayerNorm lnF;
    private final CausalMask causalMask;

    public Gpt2Model(Gpt2Config config) {
        this.config = config;
        wte = addParameter(parameter("wte.weight", Parameter.Type.WEIGHT, config.vocabSize(), config.embeddingSize()));
        wpe = addParameter(parameter("wpe.weight", Parameter.Type.WEIGHT, config.positions(), config.embeddingSize()));
        causalMask = new CausalMask(config.positions());
        h = new TransformerBlock[config.layers()];
        for (int i = 0; i < h.length; i++) {
            h[i] = addChildBlock("h." + i, new TransformerBlock(config, causalMask));
        }
        lnF = addChildBlock("ln_f", new LayerNorm(config.embeddingSize(), config.layerNormEpsilon()));
    }

    /** A parameter of fixed shape; its values come from a checkpoint, so it starts at zero. */
    static Parameter parameter(String name, Parameter.Type type, long... shape) {
        return Parameter.builder().setName(name).setType(type).optShape(new Shape(shape))
                .optInitializer(Initializer.ZEROS).build();
    }

    public Gpt2Config config() {
        return config;
    }

    /** Allocates the parameters (zeros) on {@code manager}. */
    public void initialize(NDManager manager) {
        Shape x = new Shape(1, 1, config.embeddingSize());
        initialize(manager, DataType.FLOAT32, x);
    }

    /** Every parameter under its Hugging Face name without the {@code transformer.} prefix, e.g. h.0.attn.c_attn.weight. */
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

    /** Token ids [B, T] (int64) → their embeddings [B, T, C]. */
    public NDArray embed(ParameterStore ps, NDArray ids) {
        return ps.getValue(wte, ids.getDevice(), false).get(ids);
    }

    /**
     * inputs: inputs_embeds [B, T, C], then optionally per layer the cached keys and values [B, H, P, D] →
     * logits [B, T, V], then per layer the keys and values of all P + T positions.
     */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return run(ps, inputs, training, false);
    }

    /**
     * As {@link #forward(ParameterStore, NDList, boolean)} in inference, but with the logits of the last position
     * only [B, 1, V]: generation reads no others, and per position the head (d × vocabulary) is the largest product
     * of the model.
     */
    public NDList forwardLast(ParameterStore ps, NDList inputs) {
        return run(ps, inputs, false, true);
    }

    private NDList run(ParameterStore ps, NDList inputs, boolean training, boolean lastOnly) {
        NDArray x = inputs.get(0);
        long length = x.getShape().get(1);
        long past = inputs.size() > 1 ? inputs.get(1).getShape().get(2) : 0;
        if (past + length > config.positions()) {
            throw new IllegalArgumentException("sequence of " + (past + length) + " positions exceeds n_positions "
                    + config.positions());
        }
        NDArray wpeValue = ps.getValue(wpe, x.getDevice(), training);
        NDArray positions = wpeValue.get(new NDIndex().addSliceDim(past, past + length));
        x = TransformerBlock.dropout(x.add(positions), config.dropout(), training);
        NDList present = new NDList(2 * h.length + 1);
        present.add(null); // logits go first, once known
        for (int i = 0; i < h.length; i++) {
            NDList blockInputs = new NDList(x);
            if (past > 0) {
                blockInputs.add(inputs.get(1 + 2 * i));
                blockInputs.add(inputs.get(2 + 2 * i));
            }
            NDList out = h[i].forward(ps, blockInputs, training);
            x = out.get(0);
            present.add(out.get(1));
            present.add(out.get(2));
        }
        if (lastOnly && length > 1) {
            x = x.get(new NDIndex(":, -1:, :"));
        }
        x = lnF.forward(ps, new NDList(x), training).head();
        present.set(0, Linear.linear(x, ps.getValue(wte, x.getDevice(), training)).head()); // tied head: x·wteᵀ
        return present;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape x = inputs[0];
        long past = inputs.length > 1 ? inputs[1].get(2) : 0;
        Shape kv = new Shape(x.get(0), config.heads(), past + x.get(1), config.headSize());
        Shape[] out = new Shape[1 + 2 * h.length];
        out[0] = new Shape(x.get(0), x.get(1), config.vocabSize());
        for (int i = 1; i < out.length; i++) {
            out[i] = kv;
        }
        return out;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        for (TransformerBlock block : h) {
            block.initialize(manager, dataType, inputs[0]);
        }
        lnF.initialize(manager, dataType, inputs[0]);
        causalMask.initialize(manager);
    }
}

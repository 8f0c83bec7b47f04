package io.caption4j.model.clipcap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.gpt2.Gpt2Model;

/**
 * ClipCap as one network: image embedding → mapping → prefix [B, L, d], then the language model reads prefix ⊕
 * caption tokens and predicts each next token. Only the caption positions' logits are returned, so the loss is on
 * caption tokens, never on the prefix.
 */
final class ClipCapNetwork extends AbstractBlock {
    private final Block mapping;
    private final Gpt2Model lm;

    ClipCapNetwork(Block mapping, Gpt2Model lm) {
        this.mapping = addChildBlock("mapping", mapping);
        this.lm = addChildBlock("lm", lm);
    }

    Block mapping() {
        return mapping;
    }

    /** embedding [B, C] → prefix [B, L, d]. */
    NDArray prefix(ParameterStore ps, NDArray embedding, boolean training) {
        return mapping.forward(ps, new NDList(embedding), training).head();
    }

    /** inputs: embedding [B, C], tokens [B, T] → logits [B, T, V] of the token after each caption position. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray prefix = prefix(ps, inputs.get(0), training);
        NDArray tokens = lm.embed(ps, inputs.get(1));
        NDArray logits = lm.forward(ps, new NDList(NDArrays.concat(new NDList(prefix, tokens), 1)), training).head();
        return new NDList(logits.get(new NDIndex(":, " + prefix.getShape().get(1) + ":, :")));
    }

    /** Both parts arrive initialised: the language model pretrained, the mapping freshly by {@link ClipCap}. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        // nothing to do: initialising here would overwrite the pretrained language model
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[1].get(0), inputs[1].get(1), lm.config().vocabSize())};
    }
}

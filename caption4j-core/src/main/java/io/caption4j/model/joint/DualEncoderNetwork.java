package io.caption4j.model.joint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;
import io.caption4j.model.nn.Scalars;

/**
 * A CLIP-style dual encoder:
 *
 * <pre>
 * regions [B,R,C] ─► ImageTower ─► L2-normalise ─► image embeddings [B,d] ─┐
 *                                                                          ├─► cosine similarities × exp(logit scale)
 * texts ─► GruTextTower (or frozen MiniLM) ─► L2-normalise ─► [B,d] ──────┘
 * </pre>
 *
 * The logit scale (the inverse softmax temperature, learnt with InfoNCE) starts at 1/0.07 and is clamped to at most
 * 100, as CLIP does. With the MiniLM tower the texts arrive already embedded and only the image side has weights.
 */
public final class DualEncoderNetwork extends AbstractBlock {
    static final float INITIAL_LOGIT_SCALE = (float) Math.log(1 / 0.07);
    static final float MAX_LOGIT_SCALE = (float) Math.log(100);

    private final DualEncoderConfig config;
    private final ImageTower imageTower;
    private final GruTextTower textTower;
    private final Parameter logitScale;

    public DualEncoderNetwork(DualEncoderConfig config) {
        this.config = config;
        imageTower = addChildBlock("image", new ImageTower(config));
        textTower = config.trainsText() ? addChildBlock("text", new GruTextTower(config)) : null;
        logitScale = addParameter(Parameter.builder().setName("logitScale").setType(Parameter.Type.OTHER)
                .optShape(new Shape(1)).optInitializer(new ConstantInitializer(INITIAL_LOGIT_SCALE)).build());
    }

    public DualEncoderConfig config() {
        return config;
    }

    /** regions [B,R,C] → unit-length image embeddings [B,d]. */
    public NDArray embedImages(ParameterStore ps, NDArray regions, boolean training) {
        return normalize(imageTower.forward(ps, new NDList(regions), training).head());
    }

    /**
     * Prepared texts ({@link DualEncoder#prepare}) → unit-length text embeddings [B,d]: word ids [B,T] for the trained
     * tower, MiniLM embeddings [B,384] (returned as they are) for the frozen one.
     */
    public NDArray embedTexts(ParameterStore ps, NDArray prepared, boolean training) {
        return textTower == null ? prepared : normalize(textTower.forward(ps, new NDList(prepared), training).head());
    }

    /** exp(logit scale), clamped to [1, 100]: what cosine similarities are multiplied by before a softmax. */
    public NDArray scale(ParameterStore ps, NDManager manager, boolean training) {
        return ps.getValue(logitScale, manager.getDevice(), training).clip(0f, MAX_LOGIT_SCALE).exp();
    }

    private static NDArray normalize(NDArray x) {
        return x.div(x.norm(new int[] {1}, true).maximum(Scalars.constant(x, 1e-12)));
    }

    /** inputs: regions [B,R,C] and prepared texts → image embeddings [B,d] and text embeddings [B,d]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(embedImages(ps, inputs.get(0), training), embedTexts(ps, inputs.get(1), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape out = new Shape(inputs[0].get(0), config.embedDim());
        return new Shape[] {out, out};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        imageTower.initialize(manager, dataType, inputShapes[0]);
        if (textTower != null) {
            textTower.initialize(manager, dataType, inputShapes[1]);
        }
    }
}

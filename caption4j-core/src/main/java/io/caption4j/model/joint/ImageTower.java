package io.caption4j.model.joint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The image side of a dual encoder: regions [B,R,C] ─► pooling ─► Linear ─► ReLU ─► Dropout ─► Linear ─► [B,d]
 * (not yet normalised). Mean pooling gives the backbone's own pooled vector; attention pooling weighs each region by
 * a learnt score, softmax(w·tanh(W·region)).
 */
final class ImageTower extends AbstractBlock {
    private static final int ATTENTION_SIZE = 128;

    private final int embedDim;
    private final Linear attentionHidden;
    private final Linear attentionScore;
    private final Linear hidden;
    private final Dropout dropout;
    private final Linear projection;

    ImageTower(DualEncoderConfig config) {
        embedDim = config.embedDim();
        boolean attention = DualEncoderConfig.ATTENTION.equals(config.imagePooling());
        attentionHidden = attention
                ? addChildBlock("attentionHidden", Linear.builder().setUnits(ATTENTION_SIZE).build()) : null;
        attentionScore = attention
                ? addChildBlock("attentionScore", Linear.builder().setUnits(1).optBias(false).build()) : null;
        hidden = addChildBlock("hidden", Linear.builder().setUnits(config.imageHidden()).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
        projection = addChildBlock("projection", Linear.builder().setUnits(config.embedDim()).build());
    }

    /** regions [B,R,C] → one vector per image [B,C]. */
    private NDArray pool(ParameterStore ps, NDArray regions, boolean training) {
        if (attentionHidden == null) {
            return regions.mean(new int[] {1});
        }
        NDArray keys = attentionHidden.forward(ps, new NDList(regions), training).head().tanh();
        NDArray weights = attentionScore.forward(ps, new NDList(keys), training).head().softmax(1);
        return regions.mul(weights).sum(new int[] {1});
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray pooled = pool(ps, inputs.head(), training);
        NDArray h = Activation.relu(hidden.forward(ps, new NDList(pooled), training).head());
        h = dropout.forward(ps, new NDList(h), training).head();
        return projection.forward(ps, new NDList(h), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), embedDim)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape regions = inputShapes[0];
        Shape pooled = new Shape(regions.get(0), regions.get(2));
        if (attentionHidden != null) {
            attentionHidden.initialize(manager, dataType, regions);
            attentionScore.initialize(manager, dataType, new Shape(regions.get(0), regions.get(1), ATTENTION_SIZE));
        }
        hidden.initialize(manager, dataType, pooled);
        Shape h = hidden.getOutputShapes(new Shape[] {pooled})[0];
        dropout.initialize(manager, dataType, h);
        projection.initialize(manager, dataType, h);
    }
}

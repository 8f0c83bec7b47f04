package io.caption4j.model.joint;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.recurrent.GRU;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.text.Vocabulary;

/**
 * The text side trained here: word ids [B,T] (padded with {@code <pad>}) ─► embedding ─► GRU ─► mean of the outputs
 * over the real words ─► Linear ─► [B,d] (not yet normalised).
 */
final class GruTextTower extends AbstractBlock {
    private final DualEncoderConfig config;
    private final Parameter embedding;
    private final Dropout dropout;
    private final GRU gru;
    private final Linear projection;

    GruTextTower(DualEncoderConfig config) {
        this.config = config;
        embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabularySize(), config.wordEmbedding())).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
        gru = addChildBlock("gru", GRU.builder().setStateSize(config.textHidden()).setNumLayers(1)
                .optBatchFirst(true).build());
        projection = addChildBlock("projection", Linear.builder().setUnits(config.embedDim()).build());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray tokens = inputs.head();
        long batch = tokens.getShape().get(0);
        long steps = tokens.getShape().get(1);
        NDArray table = ps.getValue(embedding, tokens.getDevice(), training);
        NDArray words = table.get(tokens.flatten()).reshape(batch, steps, config.wordEmbedding());
        words = dropout.forward(ps, new NDList(words), training).head();
        NDArray state = words.getManager().zeros(new Shape(1, batch, config.textHidden()));
        NDArray outputs = gru.forward(ps, new NDList(words, state), training).head();
        NDArray mask = tokens.neq(Vocabulary.PAD).toType(DataType.FLOAT32, false).expandDims(2);
        NDArray mean = outputs.mul(mask).sum(new int[] {1}).div(mask.sum(new int[] {1}).maximum(1f));
        return projection.forward(ps, new NDList(mean), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), config.embedDim())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        Shape words = new Shape(batch, inputShapes[0].get(1), config.wordEmbedding());
        dropout.initialize(manager, dataType, words);
        gru.initialize(manager, dataType, words, new Shape(1, batch, config.textHidden()));
        projection.initialize(manager, dataType, new Shape(batch, config.textHidden()));
    }
}

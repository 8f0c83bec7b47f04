package io.caption4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.recurrent.GRU;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * The captioner of the design, one step per word:
 *
 * <pre>
 * image ─► encoder ─► regions [B,R,C] ──────────────────────────┐ (keys, values)
 * word ─► embedding ─► GRU ─► h ─► attention(query h, regions) ─► context
 *                            h ─────────────────────► Add(h, context) ─► LayerNorm ─► Linear ─► logits
 * </pre>
 *
 * The GRU state starts at zero or from the pooled image vector ({@link CaptionerConfig#initialState()}). Because the
 * attention reads the GRU output and does not feed back into the GRU, training runs the GRU over the whole
 * teacher-forced sequence in one call and attends for all time steps at once.
 */
public final class AttentionGruCaptioner extends AbstractBlock {
    private final CaptionerConfig config;
    private final Block encoder;
    private final Parameter embedding;
    private final Dropout dropout;
    private final Linear initialState;
    private final GRU gru;
    private final RegionAttention attention;
    private final LayerNorm norm;
    private final Linear vocabulary;

    public AttentionGruCaptioner(CaptionerConfig config) {
        this.config = config;
        encoder = config.trainsEncoder() ? addChildBlock("encoder", new SmallCnnEncoder(config.featureSize())) : null;
        embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabularySize(), config.embeddingSize())).build());
        dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
        initialState = "pooled".equals(config.initialState())
                ? addChildBlock("initialState", Linear.builder().setUnits(config.hiddenSize()).build())
                : null;
        gru = addChildBlock("gru", GRU.builder().setStateSize(config.hiddenSize()).setNumLayers(1)
                .optBatchFirst(true).optReturnState(true).build());
        attention = addChildBlock("attention", new RegionAttention(config.attentionSize(), config.hiddenSize()));
        norm = addChildBlock("norm", LayerNorm.builder().axis(2).build());
        vocabulary = addChildBlock("vocabulary", Linear.builder().setUnits(config.vocabularySize()).build());
    }

    public CaptionerConfig config() {
        return config;
    }

    /** images (pixels [B,S,S,3] or regions [B,R,C]) → keys [B,R,A], values [B,R,A], initial GRU state [B,H]. */
    public NDList encode(ParameterStore ps, NDArray images, boolean training) {
        NDArray regions = encoder == null ? images : encoder.forward(ps, new NDList(images), training).head();
        NDArray attended = dropout.forward(ps, new NDList(regions), training).head();
        NDList kv = attention.keysAndValues(ps, attended, training);
        NDArray h0 = initialState == null
                ? regions.getManager().zeros(new Shape(regions.getShape().get(0), config.hiddenSize()))
                : initialState.forward(ps, new NDList(regions.mean(new int[] {1})), training).head().tanh();
        return new NDList(kv.get(0), kv.get(1), h0);
    }

    /**
     * Teacher-forced or step-wise decoding: tokens [B,T] with the state of {@link #encode} → logits [B,T,V],
     * attention [B,T,R], final GRU state [B,H].
     */
    public NDList decode(ParameterStore ps, NDArray tokens, NDArray keys, NDArray values, NDArray state,
            boolean training) {
        Shape shape = tokens.getShape();
        NDArray table = ps.getValue(embedding, tokens.getDevice(), training);
        NDArray words = table.get(tokens.flatten()).reshape(shape.get(0), shape.get(1), config.embeddingSize());
        words = dropout.forward(ps, new NDList(words), training).head();
        NDList recurrent = gru.forward(ps, new NDList(words, state.expandDims(0)), training);
        NDArray h = recurrent.get(0);
        NDList attended = attention.attend(ps, h, keys, values, training);
        NDArray mixed = norm.forward(ps, new NDList(h.add(attended.get(0))), training).head();
        mixed = dropout.forward(ps, new NDList(mixed), training).head();
        NDArray logits = vocabulary.forward(ps, new NDList(mixed), training).head();
        return new NDList(logits, attended.get(1), recurrent.get(1).squeeze(0));
    }

    /** inputs: images, tokens [B,T] → logits [B,T,V], attention [B,T,R]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList start = encode(ps, inputs.get(0), training);
        NDList out = decode(ps, inputs.get(1), start.get(0), start.get(1), start.get(2), training);
        return new NDList(out.get(0), out.get(1));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape tokens = inputs[1];
        return new Shape[] {new Shape(tokens.get(0), tokens.get(1), config.vocabularySize())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[0].get(0);
        long steps = inputShapes[1].get(1);
        Shape regions = inputShapes[0];
        if (encoder != null) {
            encoder.initialize(manager, dataType, inputShapes[0]);
            regions = encoder.getOutputShapes(new Shape[] {inputShapes[0]})[0];
        }
        Shape hidden = new Shape(batch, steps, config.hiddenSize());
        dropout.initialize(manager, dataType, regions);
        if (initialState != null) {
            initialState.initialize(manager, dataType, new Shape(batch, regions.get(2)));
        }
        gru.initialize(manager, dataType, new Shape(batch, steps, config.embeddingSize()),
                new Shape(1, batch, config.hiddenSize()));
        attention.initialize(manager, dataType, hidden, regions);
        norm.initialize(manager, dataType, hidden);
        vocabulary.initialize(manager, dataType, hidden);
    }
}

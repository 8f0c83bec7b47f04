package io.caption4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
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
 * The GRU state starts at zero or from the pooled image vector ({@link CaptionerConfig#initialState()}). As drawn,
 * the attention reads the GRU output and does not feed back into the GRU, so training runs the GRU over the whole
 * teacher-forced sequence in one call and attends for all time steps at once. With
 * {@link CaptionerConfig#feedContext()} each step's attended vector LayerNorm(h + context) joins the next word's
 * embedding as GRU input, and the GRU runs one word at a time.
 *
 * <p>Decoding state, batch first: keys [B,R,A], values [B,R,A], GRU state [B,H], and when it is fed back the last
 * attended vector [B,H].
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
        if (config.trainsEncoder()) {
            encoder = addChildBlock("encoder", new SmallCnnEncoder(config.featureSize()));
        } else if (config.tunesBackboneTop()) {
            encoder = addChildBlock(BackboneTop.NAME, new BackboneTop(config.featureSize()));
        } else {
            encoder = null;
        }
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

    /** The backbone's last layer, when this captioner fine-tunes it ({@link CaptionerConfig#tunesBackboneTop()}). */
    public BackboneTop backboneTop() {
        if (!(encoder instanceof BackboneTop top)) {
            throw new IllegalStateException("this captioner does not fine-tune a backbone's top");
        }
        return top;
    }

    /**
     * images (pixels [B,S,S,3], or regions [B,R,C] of a frozen backbone, or of its trunk when the captioner applies
     * the backbone's top itself) → the decoding state before the first word.
     */
    public NDList encode(ParameterStore ps, NDArray images, boolean training) {
        NDArray regions = encoder == null ? images : encoder.forward(ps, new NDList(images), training).head();
        NDArray attended = dropout.forward(ps, new NDList(regions), training).head();
        NDList state = attention.keysAndValues(ps, attended, training);
        Shape batchByHidden = new Shape(regions.getShape().get(0), config.hiddenSize());
        state.add(initialState == null
                ? regions.getManager().zeros(batchByHidden)
                : initialState.forward(ps, new NDList(regions.mean(new int[] {1})), training).head().tanh());
        if (config.feedContext()) {
            state.add(regions.getManager().zeros(batchByHidden));
        }
        return state;
    }

    /**
     * Teacher-forced or step-wise decoding: tokens [B,T] from the state of {@link #encode} → logits [B,T,V],
     * attention [B,T,R], then the recurrent part of the state after the last token (GRU state, and the last attended
     * vector when it is fed back).
     */
    public NDList decode(ParameterStore ps, NDArray tokens, NDList state, boolean training) {
        Shape shape = tokens.getShape();
        NDArray table = ps.getValue(embedding, tokens.getDevice(), training);
        NDArray words = table.get(tokens.flatten()).reshape(shape.get(0), shape.get(1), config.embeddingSize());
        words = dropout.forward(ps, new NDList(words), training).head();
        NDList read = config.feedContext()
                ? readFeedingBack(ps, words, state, training)
                : readThenAttend(ps, words, state, training);
        NDArray mixed = dropout.forward(ps, new NDList(read.get(0)), training).head();
        NDList out = new NDList(vocabulary.forward(ps, new NDList(mixed), training).head());
        out.addAll(read.subNDList(1));
        return out;
    }

    /**
     * The design's order: the GRU reads all words, then attention reads all GRU outputs → attended vectors
     * LayerNorm(h + context) [B,T,H], attention [B,T,R], GRU state [B,H].
     */
    private NDList readThenAttend(ParameterStore ps, NDArray words, NDList state, boolean training) {
        NDList recurrent = gru.forward(ps, new NDList(words, state.get(2).expandDims(0)), training);
        NDList attended = attend(ps, recurrent.get(0), state, training);
        return new NDList(attended.get(0), attended.get(1), recurrent.get(1).squeeze(0));
    }

    /**
     * One word at a time, each read by the GRU together with the previous attended vector (Luong's input feeding).
     * The vector fed back is the normalised one: the raw context of MobileNetV2 regions (rms about 3.5, against 0.09
     * for the embeddings) saturated the GRU and drowned the words. → attended vectors [B,T,H], attention [B,T,R],
     * GRU state [B,H], last attended vector [B,H].
     */
    private NDList readFeedingBack(ParameterStore ps, NDArray words, NDList state, boolean training) {
        NDArray hidden = state.get(2).expandDims(0);
        NDArray fedBack = state.get(3).expandDims(1);
        NDList mixed = new NDList();
        NDList weights = new NDList();
        for (long t = 0; t < words.getShape().get(1); t++) {
            NDArray input = words.get(":, {}:{}, :", t, t + 1).concat(fedBack, 2);
            NDList recurrent = gru.forward(ps, new NDList(input, hidden), training);
            hidden = recurrent.get(1);
            NDList attended = attend(ps, recurrent.get(0), state, training);
            fedBack = attended.get(0);
            mixed.add(fedBack);
            weights.add(attended.get(1));
        }
        return new NDList(NDArrays.concat(mixed, 1), NDArrays.concat(weights, 1), hidden.squeeze(0),
                fedBack.squeeze(1));
    }

    /** GRU outputs h [B,T,H] → LayerNorm(h + context) [B,T,H] and attention weights [B,T,R]. */
    private NDList attend(ParameterStore ps, NDArray h, NDList state, boolean training) {
        NDList attended = attention.attend(ps, h, state.get(0), state.get(1), training);
        NDArray mixed = norm.forward(ps, new NDList(h.add(attended.get(0))), training).head();
        return new NDList(mixed, attended.get(1));
    }

    /** inputs: images, tokens [B,T] → logits [B,T,V], attention [B,T,R]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList out = decode(ps, inputs.get(1), encode(ps, inputs.get(0), training), training);
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
        long gruInput = config.embeddingSize() + (config.feedContext() ? config.hiddenSize() : 0);
        gru.initialize(manager, dataType, new Shape(batch, steps, gruInput),
                new Shape(1, batch, config.hiddenSize()));
        attention.initialize(manager, dataType, hidden, regions);
        norm.initialize(manager, dataType, hidden);
        vocabulary.initialize(manager, dataType, hidden);
    }
}

package io.caption4j.model.vqa;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.recurrent.GRU;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.SmallCnnEncoder;
import io.caption4j.model.joint.CrossModalAttention;
import io.caption4j.model.joint.Fusion;
import java.util.ArrayList;
import java.util.List;

/**
 * The VQA network of the design:
 *
 * <pre>
 * question ─► embedding ─► GRU ─► token states h [B,T,H] ─────────────────────────┐
 * image ─► small CNN (or frozen backbone) ─► regions [N,R,C] + position ─► LayerNorm ─► CrossModalAttention(queries h) ─► context [B,T,H]
 *                             Fusion(h, context) per token ─► reasoning GRU ─► last state ─► MLP ─► answer logits [B,A]
 * </pre>
 *
 * Every token gets the image context its words point at, fused with what the question says up to that token; the
 * reasoning GRU then reads the fused tokens in order, so "a red circle ... left of the blue star" can compare what
 * two tokens saw. Regions carry a learned position embedding, without which "left of" could not be answered. The
 * text-only baseline ({@link VqaConfig#textOnly()}) is the question GRU's last state into the same head.
 *
 * <p>As a block: inputs pixels [N,S,S,3] (or backbone regions [N,R,C]; unused when text-only), image index [B]
 * (int64: which image each question is about), question tokens [B,T]; output answer logits [B,A].
 */
public final class VqaNetwork extends AbstractBlock {
    private final VqaConfig config;
    private final Parameter embedding;
    private final GRU question;
    private final SmallCnnEncoder encoder;
    private final Parameter position;
    private final LayerNorm regionNorm;
    private final CrossModalAttention attention;
    private final Fusion fusion;
    private final Dropout dropout;
    private final GRU reasoning;
    private final SequentialBlock head;

    public VqaNetwork(VqaConfig config) {
        this.config = config;
        embedding = addParameter(Parameter.builder().setName("embedding").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(config.vocabularySize(), config.embeddingSize())).build());
        question = addChildBlock("question", gru(config.hiddenSize()));
        boolean image = !config.textOnly();
        encoder = image && config.trainsEncoder()
                ? addChildBlock("encoder", new SmallCnnEncoder(config.featureSize())) : null;
        position = !image ? null : addParameter(Parameter.builder().setName("position")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(config.regionCount(), config.featureSize())).build());
        regionNorm = !image ? null : addChildBlock("regionNorm", LayerNorm.builder().axis(2).build());
        attention = !image ? null : addChildBlock("attention",
                new CrossModalAttention(config.heads(), config.attentionSize(), config.hiddenSize()));
        fusion = !image ? null : addChildBlock("fusion", new Fusion(config.fusionMode(), config.hiddenSize()));
        dropout = !image ? null : addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
        reasoning = !image ? null : addChildBlock("reasoning", gru(config.hiddenSize()));
        head = addChildBlock("head", new SequentialBlock()
                .add(Linear.builder().setUnits(config.hiddenSize()).build())
                .add(Activation.reluBlock())
                .add(Dropout.builder().optRate(config.dropout()).build())
                .add(Linear.builder().setUnits(config.answerCount()).build()));
    }

    private static GRU gru(int size) {
        return GRU.builder().setStateSize(size).setNumLayers(1).optBatchFirst(true).optReturnState(true).build();
    }

    public VqaConfig config() {
        return config;
    }

    /** Answer logits [G,A] for each question group of the batch, in order; each image is encoded once. */
    public List<NDArray> logits(ParameterStore ps, VqaBatch batch, boolean training) {
        NDArray regions = config.textOnly() ? null : regions(ps, batch.images(), training);
        List<NDArray> out = new ArrayList<>();
        for (VqaBatch.Group group : batch.groups()) {
            out.add(answer(ps, regions, group.imageIndex(), group.tokens(), training));
        }
        return out;
    }

    /**
     * Pixels [N,S,S,3] or backbone regions [N,R,C] → regions with their position embedding, layer-normalised [N,R,C]:
     * features of any scale (a ReLU CNN's, a backbone's) then give attention scores of one scale, so the softmax does
     * not start saturated on arbitrary regions.
     */
    private NDArray regions(ParameterStore ps, NDArray images, boolean training) {
        NDArray regions = encoder == null ? images : encoder.forward(ps, new NDList(images), training).head();
        regions = regions.add(ps.getValue(position, images.getDevice(), training));
        return regionNorm.forward(ps, new NDList(regions), training).head();
    }

    /** Questions of one length [B,T] about regions[imageIndex] → answer logits [B,A]. */
    private NDArray answer(ParameterStore ps, NDArray regions, NDArray imageIndex, NDArray tokens, boolean training) {
        Shape shape = tokens.getShape();
        NDArray table = ps.getValue(embedding, tokens.getDevice(), training);
        NDArray words = table.get(tokens.flatten()).reshape(shape.get(0), shape.get(1), config.embeddingSize());
        NDList encoded = question.forward(ps, new NDList(words, zeroState(words)), training);
        NDArray summary = encoded.get(1).squeeze(0);
        if (!config.textOnly()) {
            NDArray states = encoded.get(0);
            NDArray context = attention.forward(ps, new NDList(states, regions.get(imageIndex)), training).head();
            NDArray fused = fusion.forward(ps, new NDList(states, context), training).head();
            fused = dropout.forward(ps, new NDList(fused), training).head();
            summary = reasoning.forward(ps, new NDList(fused, zeroState(fused)), training).get(1).squeeze(0);
        }
        return head.forward(ps, new NDList(summary), training).head();
    }

    private NDArray zeroState(NDArray sequence) {
        return sequence.getManager().zeros(new Shape(1, sequence.getShape().get(0), config.hiddenSize()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray regions = config.textOnly() ? null : regions(ps, inputs.get(0), training);
        return new NDList(answer(ps, regions, inputs.get(1), inputs.get(2), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[2].get(0), config.answerCount())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        long batch = inputShapes[2].get(0);
        long steps = inputShapes[2].get(1);
        Shape state = new Shape(1, batch, config.hiddenSize());
        Shape tokenStates = new Shape(batch, steps, config.hiddenSize());
        question.initialize(manager, dataType, new Shape(batch, steps, config.embeddingSize()), state);
        if (!config.textOnly()) {
            Shape regions = inputShapes[0];
            if (encoder != null) {
                encoder.initialize(manager, dataType, inputShapes[0]);
                regions = encoder.getOutputShapes(new Shape[] {inputShapes[0]})[0];
            }
            regionNorm.initialize(manager, dataType, regions);
            attention.initialize(manager, dataType, tokenStates, regions);
            fusion.initialize(manager, dataType, tokenStates, tokenStates);
            Shape fused = fusion.getOutputShapes(new Shape[] {tokenStates})[0];
            dropout.initialize(manager, dataType, fused);
            reasoning.initialize(manager, dataType, fused, state);
        }
        head.initialize(manager, dataType, new Shape(batch, config.hiddenSize()));
    }
}

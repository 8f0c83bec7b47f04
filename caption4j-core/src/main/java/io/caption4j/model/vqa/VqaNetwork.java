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
import ai.djl.nn.recurrent.GRU;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.SmallCnnEncoder;
import io.caption4j.model.joint.CrossModalAttention;
import io.caption4j.model.joint.Fusion;

/**
 * The VQA network of the design:
 *
 * <pre>
 * question ─► embedding ─► GRU ─► token states h [B,T,H] ───────────────────────┐
 * image ─► small CNN ─► regions [B,R,C] + position ─► CrossModalAttention(queries h) ─► context [B,T,H]
 *                               Fusion(h, context) per token ─► reasoning GRU ─► last state ─► MLP ─► logits [B,A]
 * </pre>
 *
 * Every token gets the image context its words point at, fused with what the question says up to that token; the
 * reasoning GRU then reads the fused tokens in order, so "the red circle ... left of ... the blue star" can compare
 * what two tokens saw. Regions carry a learned position embedding, without which "left of" could not be answered.
 * The text-only baseline ({@link VqaConfig#textOnly()}) is the question GRU's last state into the same head.
 *
 * <p>Inputs: pixels [N,S,S,3] of the batch's distinct images (unused when text-only), image index [B] (int64: which
 * of them each question is about, so an image asked several questions is encoded once), question tokens [B,T] (no
 * padding: a batch holds questions of one length). Output: answer logits [B,A].
 */
public final class VqaNetwork extends AbstractBlock {
    private final VqaConfig config;
    private final Parameter embedding;
    private final GRU question;
    private final SmallCnnEncoder encoder;
    private final Parameter position;
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
        if (config.textOnly()) {
            encoder = null;
            position = null;
            attention = null;
            fusion = null;
            dropout = null;
            reasoning = null;
        } else {
            encoder = addChildBlock("encoder", new SmallCnnEncoder(config.featureSize()));
            position = addParameter(Parameter.builder().setName("position").setType(Parameter.Type.WEIGHT)
                    .optShape(new Shape(config.regions(), config.featureSize())).build());
            attention = addChildBlock("attention",
                    new CrossModalAttention(config.heads(), config.attentionSize(), config.hiddenSize()));
            fusion = addChildBlock("fusion", new Fusion(config.fusionMode(), config.hiddenSize()));
            dropout = addChildBlock("dropout", Dropout.builder().optRate(config.dropout()).build());
            reasoning = addChildBlock("reasoning", gru(config.hiddenSize()));
        }
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

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray tokens = inputs.get(2);
        Shape shape = tokens.getShape();
        NDArray table = ps.getValue(embedding, tokens.getDevice(), training);
        NDArray words = table.get(tokens.flatten()).reshape(shape.get(0), shape.get(1), config.embeddingSize());
        NDList encoded = question.forward(ps, new NDList(words, zeroState(words)), training);
        NDArray summary = encoded.get(1).squeeze(0);
        if (!config.textOnly()) {
            NDArray states = encoded.get(0);
            NDArray regions = encoder.forward(ps, new NDList(inputs.get(0)), training).head()
                    .add(ps.getValue(position, tokens.getDevice(), training)).get(inputs.get(1));
            NDArray context = attention.forward(ps, new NDList(states, regions), training).head();
            NDArray fused = fusion.forward(ps, new NDList(states, context), training).head();
            fused = dropout.forward(ps, new NDList(fused), training).head();
            summary = reasoning.forward(ps, new NDList(fused, zeroState(fused)), training).get(1).squeeze(0);
        }
        return head.forward(ps, new NDList(summary), training);
    }

    private NDArray zeroState(NDArray sequence) {
        return sequence.getManager().zeros(new Shape(1, sequence.getShape().get(0), config.hiddenSize()));
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
            encoder.initialize(manager, dataType, inputShapes[0]);
            Shape regions = encoder.getOutputShapes(new Shape[] {inputShapes[0]})[0];
            attention.initialize(manager, dataType, tokenStates, regions);
            fusion.initialize(manager, dataType, tokenStates, tokenStates);
            Shape fused = fusion.getOutputShapes(new Shape[] {tokenStates})[0];
            dropout.initialize(manager, dataType, fused);
            reasoning.initialize(manager, dataType, fused, state);
        }
        head.initialize(manager, dataType, new Shape(batch, config.hiddenSize()));
    }
}

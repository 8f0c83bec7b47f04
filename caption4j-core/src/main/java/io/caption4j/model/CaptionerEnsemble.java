package io.caption4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.decode.StepModel;
import io.caption4j.util.InputException;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import java.util.List;

/**
 * Several captioners of one kind (other seeds, other checkpoints: attention-GRU captioners, or ClipCap models over one
 * language model's tokens) that decode as one: at every step the next-token distribution is the mean of the members'
 * probabilities, and search runs on that. Members must share their tokens and read the same inputs (the same
 * backbone, or the same pixels).
 *
 * <p>The decoding state is the members' states side by side; every array stays batch-first, so search reorders it
 * like any other. A member's state may change size from one step to the next (a ClipCap's first step hands out the
 * log-probabilities its start already computed), so the sizes are tracked step by step.
 */
public final class CaptionerEnsemble implements ImageCaptioner, StepModel {
    private final List<CaptionModel> members;
    private final int[] stateSizes;
    private final NDManager manager = NDManager.newBaseManager();

    /** Takes ownership of {@code members} (closes them on close). */
    public CaptionerEnsemble(List<? extends CaptionModel> members, List<String> names) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least 2 members");
        }
        CaptionModel first = members.get(0);
        for (int i = 1; i < members.size(); i++) {
            CaptionModel other = members.get(i);
            if (!other.sameTokens(first)) {
                throw new InputException(names.get(i) + ": its vocabulary differs from " + names.get(0)
                        + "'s; ensemble members must be captioners of one kind with the same tokens (attention-GRU"
                        + " captioners trained on the same captions with the same --min-count, or ClipCap models"
                        + " over one language model's tokenizer)");
            }
            if (!other.sameInputs(first)) {
                throw new InputException(names.get(i) + ": it reads other image inputs (backbone or preprocessing)"
                        + " than " + names.get(0));
            }
        }
        this.members = List.copyOf(members);
        this.stateSizes = new int[members.size()];
    }

    @Override
    public ImagePreprocessor preprocessor() {
        return members.get(0).preprocessor();
    }

    @Override
    public FrozenBackbone backbone() {
        return members.get(0).backbone();
    }

    @Override
    public ImageInputs inputsOf(ImageInputs pixels) {
        return members.get(0).inputsOf(pixels);
    }

    @Override
    public List<List<GeneratedCaption>> caption(ImageInputs inputs, DecodingOptions options, int batchSize) {
        members.forEach(member -> member.checkDecodable(options));
        return CaptionModel.caption(this, members.get(0)::toCaption, manager, inputs, options, batchSize);
    }

    @Override
    public boolean attendsToRegions() {
        return members.stream().allMatch(CaptionModel::attendsToRegions);
    }

    @Override
    public NDList start(NDArray images) {
        NDList state = new NDList();
        for (int m = 0; m < members.size(); m++) {
            NDList own = members.get(m).start(images);
            stateSizes[m] = own.size();
            state.addAll(own);
        }
        return state;
    }

    @Override
    public Step step(NDArray previousTokens, NDList state) {
        NDList probabilities = new NDList();
        NDList attention = new NDList();
        NDList next = new NDList();
        int offset = 0;
        for (int m = 0; m < members.size(); m++) {
            Step own = members.get(m).step(previousTokens, state.subNDList(offset, offset + stateSizes[m]));
            offset += stateSizes[m];
            stateSizes[m] = own.state().size();
            probabilities.add(own.logProbs().exp());
            if (own.attention() != null) {
                attention.add(own.attention());
            }
            next.addAll(own.state());
        }
        // words no member may say have probability 0: floor it so their log stays finite
        NDArray logProbs = NDArrays.stack(probabilities).mean(new int[] {0}).maximum(1e-30f).log();
        NDArray meanAttention = attention.size() == members.size() ? NDArrays.stack(attention).mean(new int[] {0})
                : null;
        return new Step(logProbs, meanAttention, next);
    }

    @Override
    public int startToken() {
        return members.get(0).startToken();
    }

    @Override
    public int endToken() {
        return members.get(0).endToken();
    }

    @Override
    public void close() {
        members.forEach(CaptionModel::close);
        manager.close();
    }
}

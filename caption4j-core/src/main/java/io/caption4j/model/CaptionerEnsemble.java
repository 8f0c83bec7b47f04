package io.caption4j.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.decode.StepModel;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.InputException;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Several attention-GRU captioners (other seeds, other checkpoints) that decode as one: at every step the next-word
 * distribution is the mean of the members' probabilities, and search runs on that. Members must share the vocabulary
 * and read the same inputs (the same backbone, or the same pixels).
 *
 * <p>The decoding state is the members' states side by side; every array stays batch-first, so search reorders it
 * like any other.
 */
public final class CaptionerEnsemble implements ImageCaptioner, StepModel {
    private final List<Captioner> members;
    private final int[] stateSizes;
    private final NDManager manager = NDManager.newBaseManager();

    /** Takes ownership of {@code members} (closes them on close). */
    public CaptionerEnsemble(List<Captioner> members, List<String> names) {
        if (members.size() < 2) {
            throw new IllegalArgumentException("an ensemble needs at least 2 members");
        }
        Captioner first = members.get(0);
        for (int i = 1; i < members.size(); i++) {
            Captioner other = members.get(i);
            if (!other.vocabulary().equals(first.vocabulary())) {
                throw new InputException(names.get(i) + ": its vocabulary differs from " + names.get(0)
                        + "'s; ensemble members must be trained on the same captions with the same --min-count");
            }
            if (!other.config().encoder().equals(first.config().encoder())
                    || !Objects.equals(other.config().backbone(), first.config().backbone())
                    || other.config().imageSize() != first.config().imageSize()) {
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
    public ImageInputs inputsOf(ImageInputs pixels) {
        return members.get(0).inputsOf(pixels);
    }

    @Override
    public List<List<GeneratedCaption>> caption(ImageInputs inputs, DecodingOptions options, int batchSize) {
        return Captioner.caption(this, members.get(0).vocabulary(), manager, inputs, options, batchSize);
    }

    @Override
    public boolean attendsToRegions() {
        return true;
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
            probabilities.add(own.logProbs().exp());
            attention.add(own.attention());
            next.addAll(own.state());
        }
        // words no member may say have probability 0: floor it so their log stays finite
        NDArray logProbs = NDArrays.stack(probabilities).mean(new int[] {0}).maximum(1e-30f).log();
        return new Step(logProbs, NDArrays.stack(attention).mean(new int[] {0}), next);
    }

    @Override
    public int startToken() {
        return Vocabulary.START;
    }

    @Override
    public int endToken() {
        return Vocabulary.END;
    }

    @Override
    public void close() {
        members.forEach(Captioner::close);
        manager.close();
    }
}

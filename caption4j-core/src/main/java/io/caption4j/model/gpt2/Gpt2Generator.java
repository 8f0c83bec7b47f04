package io.caption4j.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import io.caption4j.decode.StepModel;
import java.util.Arrays;

/**
 * GPT-2 generation as a {@link StepModel}, so the project's greedy and beam search drive it. The "images" given to
 * {@link #start} are prefix vectors [B, L, C] in the token-embedding space (L may be 0); a fixed prompt of tokens
 * follows them. Generation continues the sequence prefix + prompt: {@code start} runs all of it but the last
 * prompt token, which the first step feeds (the start token); with an empty prompt the first step feeds
 * {@code bos_token_id}, as Hugging Face's generate() does. {@code eos_token_id} ends a caption.
 *
 * <p>With the key/value cache (the normal mode) the state is per layer K and V [N, H, P, D] and each step runs
 * one position. Without it the state is the input sequence [N, P, C] and each step re-runs all of it: the
 * reference the cache is measured against.
 */
public final class Gpt2Generator implements StepModel {
    private final Gpt2LanguageModel lm;
    private final long[] prompt;
    private final int startToken;
    private final boolean cached;

    public Gpt2Generator(Gpt2LanguageModel lm, long[] prompt, boolean cached) {
        this.lm = lm;
        this.cached = cached;
        this.prompt = prompt.length == 0 ? new long[0] : Arrays.copyOf(prompt, prompt.length - 1);
        this.startToken = prompt.length == 0 ? lm.config().bosToken() : Math.toIntExact(prompt[prompt.length - 1]);
    }

    @Override
    public NDList start(NDArray prefix) {
        long batch = prefix.getShape().get(0);
        NDArray inputs = prefix.duplicate(); // search closes the state, never the caller's prefix
        if (prompt.length > 0) {
            NDArray ids = prefix.getManager().create(prompt).reshape(1, prompt.length).repeat(0, batch);
            inputs = NDArrays.concat(new NDList(prefix, lm.embed(ids)), 1);
        }
        if (!cached) {
            return new NDList(inputs);
        }
        if (inputs.getShape().get(1) == 0) {
            Gpt2Config c = lm.config();
            NDList empty = new NDList();
            for (int i = 0; i < 2 * c.layers(); i++) {
                empty.add(prefix.getManager().zeros(new Shape(batch, c.heads(), 0, c.headSize())));
            }
            return empty;
        }
        NDList out = lm.forward(inputs, new NDList());
        return out.subNDList(1);
    }

    @Override
    public Step step(NDArray previousTokens, NDList state) {
        NDArray next = lm.embed(previousTokens.reshape(-1, 1));
        NDArray logits;
        NDList nextState;
        if (cached) {
            NDList out = lm.forward(next, state);
            logits = out.head();
            nextState = out.subNDList(1);
        } else {
            NDArray sequence = NDArrays.concat(new NDList(state.head(), next), 1);
            logits = lm.forward(sequence, new NDList()).head();
            nextState = new NDList(sequence);
        }
        NDArray last = logits.get(new NDIndex(":, -1, :"));
        return new Step(last.logSoftmax(-1), null, nextState);
    }

    @Override
    public int startToken() {
        return startToken;
    }

    @Override
    public int endToken() {
        return lm.config().eosToken();
    }
}

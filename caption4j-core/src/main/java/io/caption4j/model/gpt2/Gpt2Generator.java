package io.caption4j.model.gpt2;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.caption4j.decode.StepModel;
import java.util.Arrays;

/**
 * GPT-2 generation as a {@link StepModel}, so the project's greedy and beam search drive it. The "images" given to
 * {@link #start} are prefix vectors [B, L, C] in the token-embedding space (L may be 0); a fixed prompt of tokens
 * follows them. Generation continues the sequence prefix + prompt: {@code start} runs all of it but the last
 * prompt token, which the first step feeds (the start token); with an empty prompt the first step feeds
 * {@code bos_token_id}, as Hugging Face's generate() does. {@code eos_token_id} ends a caption. Suppressed tokens
 * (generate()'s {@code suppress_tokens}) are never generated.
 *
 * <p>With the key/value cache (the normal mode) the state is per layer K and V [N, H, P, D] and each step runs
 * one position; {@code start} already runs the start token with the prefix, in one forward pass. Without it the
 * state is the input sequence [N, P, C] and each step re-runs all of it: the reference the cache is measured
 * against (its first step runs exactly what the cached start runs).
 */
public final class Gpt2Generator implements StepModel {
    private final Gpt2LanguageModel lm;
    private final long[] prompt;
    private final long[] promptAndStart;
    private final int startToken;
    private final boolean cached;
    private final NDArray suppression;

    public Gpt2Generator(Gpt2LanguageModel lm, long[] prompt, boolean cached, int... suppressedTokens) {
        this.lm = lm;
        this.cached = cached;
        if (suppressedTokens.length == 0) {
            suppression = null;
        } else { // −∞ would make a row of NaN if every token were suppressed; −1e9 is as final
            float[] penalty = new float[lm.config().vocabSize()];
            for (int token : suppressedTokens) {
                penalty[token] = -1e9f;
            }
            suppression = lm.manager().create(penalty);
        }
        this.prompt = prompt.length == 0 ? new long[0] : Arrays.copyOf(prompt, prompt.length - 1);
        this.startToken = prompt.length == 0 ? lm.config().bosToken() : Math.toIntExact(prompt[prompt.length - 1]);
        this.promptAndStart = Arrays.copyOf(this.prompt, this.prompt.length + 1);
        promptAndStart[this.prompt.length] = startToken;
    }

    @Override
    public NDList start(NDArray prefix) {
        if (!cached) { // search closes the state, never the caller's prefix
            return new NDList(prompt.length == 0 ? prefix.duplicate() : append(prefix, prompt));
        }
        // The first step runs here, in the same forward pass as the prefix and prompt (as Hugging Face's generate()
        // does): the state holds the cache and, until the first step hands them out, the log-probabilities after
        // the start token.
        NDList out = lm.forwardLast(append(prefix, promptAndStart), new NDList());
        NDList state = out.subNDList(1);
        state.add(lastLogProbs(out.head()));
        return state;
    }

    @Override
    public Step step(NDArray previousTokens, NDList state) {
        if (cached && state.size() > 2 * lm.config().layers()) { // the first step, already run by start
            int last = state.size() - 1;
            return new Step(state.get(last), null, new NDList(state.subList(0, last)));
        }
        NDArray next = lm.embed(previousTokens.reshape(-1, 1));
        NDArray logits;
        NDList nextState;
        if (cached) {
            NDList out = lm.forwardLast(next, state);
            logits = out.head();
            nextState = out.subNDList(1);
        } else {
            NDArray sequence = NDArrays.concat(new NDList(state.head(), next), 1);
            logits = lm.forwardLast(sequence, new NDList()).head();
            nextState = new NDList(sequence);
        }
        return new Step(lastLogProbs(logits), null, nextState);
    }

    /** sequence [B, L, C] followed by the embeddings of the same tokens in every row → [B, L + n, C]. */
    private NDArray append(NDArray sequence, long[] tokens) {
        long batch = sequence.getShape().get(0);
        NDArray ids = sequence.getManager().create(tokens).reshape(1, tokens.length).repeat(0, batch);
        return NDArrays.concat(new NDList(sequence, lm.embed(ids)), 1);
    }

    /** logits [B, T, V] → log-probabilities of the token after the last position [B, V], suppressed tokens 0. */
    private NDArray lastLogProbs(NDArray logits) {
        NDArray last = logits.get(new NDIndex(":, -1, :"));
        return (suppression == null ? last : last.add(suppression)).logSoftmax(-1);
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

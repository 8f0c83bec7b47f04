package io.caption4j.decode;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Greedy and beam search over any {@link StepModel}, batched over images. Greedy search is beam search with one
 * beam: the best next token is taken, and the caption ends at the end token or at the length limit.
 *
 * <p>Beams are ranked by total log-probability while they grow, as reshaped by the {@link TokenRules}; finished
 * captions are ranked by that total over {@code length^α}. An image stops as soon as it has {@code beamSize}
 * finished captions. Rows of images that are done leave the batch, so the work per step shrinks as captions finish.
 */
public final class CaptionSearch {
    private CaptionSearch() {}

    /**
     * Returns, per image, up to {@code options.nBest()} captions, best first: the likeliest found by greedy or beam
     * search, or with {@link DecodingOptions#sampling()} that many captions drawn independently.
     */
    public static List<List<Hypothesis>> generate(StepModel model, NDArray images, DecodingOptions options) {
        int batch = (int) images.getShape().get(0);
        // a search starts from one root per image and branches; sampling follows each drawn caption on its own row
        int roots = options.sampling() == null ? 1 : options.width();
        List<List<Hypothesis>> finished = new ArrayList<>();
        List<List<Hypothesis>> live = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            finished.add(new ArrayList<>());
            live.add(new ArrayList<>(Collections.nCopies(roots, Hypothesis.root())));
        }
        NDManager manager = images.getManager();
        NDList state;
        try (NDScope scope = new NDScope()) {
            state = model.start(images);
            if (roots > 1) { // image-major: image 0's rows first
                NDList repeated = new NDList(state.size());
                state.forEach(array -> repeated.add(array.repeat(0, roots)));
                state = repeated;
            }
            NDScope.unregister(state);
        }
        for (int step = 0; step < options.maxLength() && state != null; step++) {
            NDList previous = state;
            try (NDScope scope = new NDScope()) {
                state = advance(model, manager, state, live, finished, options);
                if (state != null) {
                    NDScope.unregister(state);
                }
            }
            closeUnshared(previous, state);
        }
        if (state != null) {
            state.close();
        }
        for (int image = 0; image < batch; image++) {
            // captions cut at the length limit count too, without an end token
            for (Hypothesis h : live.get(image)) {
                finished.get(image).add(h.finish(options.lengthPenalty()));
            }
        }
        List<List<Hypothesis>> results = new ArrayList<>(batch);
        for (List<Hypothesis> done : finished) {
            done.sort(Comparator.comparingDouble(Hypothesis::score).reversed());
            results.add(List.copyOf(done.subList(0, Math.min(options.nBest(), done.size()))));
        }
        return results;
    }

    /**
     * Draws {@code perImage} captions per image from the model's distribution (temperature 1), for self-critical
     * training. Rows are image-major: image 0's samples first. Each sample holds its tokens up to and including the
     * end token, or {@code maxLength} tokens if it never ended.
     */
    public static List<int[]> sample(StepModel model, NDArray images, int perImage, int maxLength, Random random) {
        DecodingOptions options = new DecodingOptions(1, maxLength, 0, perImage, TokenRules.NONE, Sampling.plain(random));
        return generate(model, images, options).stream().flatMap(List::stream).map(Hypothesis::tokens).toList();
    }

    /** One decoding step for every live beam; returns the state of the beams that go on, or null when all are done. */
    private static NDList advance(StepModel model, NDManager manager, NDList state, List<List<Hypothesis>> live,
            List<List<Hypothesis>> finished, DecodingOptions options) {
        List<Hypothesis> rows = new ArrayList<>();
        live.forEach(rows::addAll);
        long[] previousTokens = new long[rows.size()];
        for (int r = 0; r < rows.size(); r++) {
            int t = rows.get(r).lastToken();
            previousTokens[r] = t < 0 ? model.startToken() : t;
        }
        StepModel.Step out = model.step(manager.create(previousTokens), state);
        float[] logProbs = out.logProbs().toFloatArray();
        int vocab = (int) out.logProbs().getShape().get(1);
        float[] scores = logProbs;
        if (!options.rules().changeNothing()) {
            scores = logProbs.clone();
            for (int r = 0; r < rows.size(); r++) {
                options.rules().apply(rows.get(r), model.endToken(), scores, r * vocab, vocab);
            }
        }
        float[] attention = out.attention() == null ? null : out.attention().toFloatArray();
        int regions = out.attention() == null ? 0 : (int) out.attention().getShape().get(1);

        List<Long> survivors = new ArrayList<>();
        int row = 0;
        for (int image = 0; image < live.size(); image++) {
            List<Hypothesis> beams = live.get(image);
            List<Hypothesis> next = new ArrayList<>();
            List<Candidate> candidates = options.sampling() == null
                    ? best(beams, row, scores, vocab, options.beamSize())
                    : drawn(beams, row, scores, vocab, options.sampling());
            for (Candidate c : candidates) {
                if (next.size() == options.width()) {
                    break;
                }
                Hypothesis parent = beams.get(c.row - row);
                float[] att = attention == null ? null : slice(attention, c.row, regions);
                int at = c.row * vocab + c.token;
                Hypothesis h = parent.extend(c.token, logProbs[at], scores[at], att);
                if (c.token == model.endToken()) {
                    finished.get(image).add(h.finish(options.lengthPenalty()));
                } else {
                    next.add(h);
                    survivors.add((long) c.row);
                }
            }
            row += beams.size();
            if (finished.get(image).size() >= options.width()) {
                int drop = next.size();
                survivors.subList(survivors.size() - drop, survivors.size()).clear();
                next.clear();
            }
            live.set(image, next);
        }
        return keepRows(out.state(), survivors, rows.size(), manager);
    }

    /**
     * The state of the rows that go on, in the order of {@code survivors} (row indices into {@code state}); null
     * when none does. When every row goes on in place, the state itself: no copy.
     */
    private static NDList keepRows(NDList state, List<Long> survivors, int rows, NDManager manager) {
        if (survivors.isEmpty()) {
            return null;
        }
        if (survivors.size() == rows && IntStream.range(0, rows).allMatch(r -> survivors.get(r) == r)) {
            return state;
        }
        NDArray index = manager.create(survivors.stream().mapToLong(Long::longValue).toArray());
        NDList reordered = new NDList(state.size());
        for (NDArray array : state) {
            reordered.add(array.get(index));
        }
        return reordered;
    }

    /** Closes the arrays of the previous state that the next one does not carry over unchanged. */
    private static void closeUnshared(NDList previous, NDList next) {
        for (NDArray array : previous) {
            if (next == null || next.stream().noneMatch(kept -> kept == array)) {
                array.close();
            }
        }
    }

    private record Candidate(int row, int token, double logProb) {}

    /**
     * The 2k best one-token extensions of an image's beams by their scores (2k so that k survive even if some end);
     * forbidden tokens (score −∞) are never taken.
     */
    private static List<Candidate> best(List<Hypothesis> beams, int firstRow, float[] scores, int vocab,
            int beamSize) {
        int keep = 2 * beamSize;
        PriorityQueue<Candidate> heap = new PriorityQueue<>(Comparator.comparingDouble(Candidate::logProb));
        for (int b = 0; b < beams.size(); b++) {
            Hypothesis h = beams.get(b);
            int row = firstRow + b;
            int offset = row * vocab;
            for (int v = 0; v < vocab; v++) {
                double total = h.rankingLogProb() + scores[offset + v];
                if (total == Double.NEGATIVE_INFINITY || heap.size() == keep && total <= heap.peek().logProb) {
                    continue;
                }
                heap.add(new Candidate(row, v, total));
                if (heap.size() > keep) {
                    heap.poll();
                }
            }
        }
        List<Candidate> sorted = new ArrayList<>(heap);
        sorted.sort(Comparator.comparingDouble(Candidate::logProb).reversed());
        return sorted;
    }

    /** One drawn extension per caption being sampled, in row order. */
    private static List<Candidate> drawn(List<Hypothesis> samples, int firstRow, float[] scores, int vocab,
            Sampling sampling) {
        List<Candidate> out = new ArrayList<>(samples.size());
        for (int b = 0; b < samples.size(); b++) {
            Hypothesis h = samples.get(b);
            int row = firstRow + b;
            int token = sampling.draw(scores, row * vocab, vocab);
            out.add(new Candidate(row, token, h.rankingLogProb() + scores[row * vocab + token]));
        }
        return out;
    }

    private static float[] slice(float[] data, int row, int width) {
        float[] out = new float[width];
        System.arraycopy(data, row * width, out, 0, width);
        return out;
    }
}

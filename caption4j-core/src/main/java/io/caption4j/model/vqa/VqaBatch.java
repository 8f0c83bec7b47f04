package io.caption4j.model.vqa;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * Questions about a few images, as the network takes them: each image once, and the questions grouped by length so
 * that no question is padded. A batch mixes question types, which keeps every optimisation step balanced.
 *
 * @param images pixels [N,S,S,3] of the distinct images, or their backbone regions [N,R,C]
 * @param groups the questions, one group per length
 * @param size   questions in the batch; the groups' rows are 0..size-1, each once
 */
public record VqaBatch(NDArray images, List<Group> groups, int size) {

    /**
     * Questions of one length.
     *
     * @param rows       each question's position in the batch
     * @param imageIndex [G] int64: which of {@link #images} each question is about
     * @param tokens     [G,T] int64 question token ids
     */
    public record Group(int[] rows, NDArray imageIndex, NDArray tokens) {}
}

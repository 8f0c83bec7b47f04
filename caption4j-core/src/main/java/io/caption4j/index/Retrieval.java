package io.caption4j.index;

import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.PixelInputs;
import java.nio.file.Path;
import java.util.List;

/**
 * Cross-modal search: a text or an image, embedded by the model that built the index, against the index's images or
 * captions (text→image, image→text, and the same-modality searches too).
 */
public final class Retrieval {
    private final EmbeddingIndexReader index;
    private final JointEmbedder embedder;

    /** Refuses an embedder other than the one that built the index. */
    public Retrieval(EmbeddingIndexReader index, JointEmbedder embedder) {
        index.model().requireSameModel(index.folder(), embedder.identity(), embedder.dimension());
        this.index = index;
        this.embedder = embedder;
    }

    /** Checks a text query and counts its tokens; an empty query is refused. */
    public TextQuery textQuery(String query) {
        String text = TextQuery.requireText(query);
        return new TextQuery(text, embedder.countTextTokens(text), embedder.maxTextTokens());
    }

    /** The {@code k} entries of kind {@code target} nearest to the text (cut to what the encoder reads). */
    public List<SearchHit> search(TextQuery query, ItemKind target, int k) {
        requireEntries(target);
        return index.nearest(target, embedder.embedTexts(List.of(query.text()))[0], k);
    }

    /** The {@code k} entries of kind {@code target} nearest to the image in {@code file}. */
    public List<SearchHit> search(Path file, ItemKind target, int k) {
        requireEntries(target);
        Problems problems = Problems.silent();
        PixelInputs.Loaded pixels = PixelInputs.load(List.of(file), new ImageLoader(), embedder.preprocessor(),
                problems, null);
        if (problems.count() > 0) {
            throw new InputException(problems.messages().get(0));
        }
        return index.nearest(target, embedder.embedImages(pixels.inputs())[0], k);
    }

    private void requireEntries(ItemKind target) {
        if (index.count(target) == 0) {
            throw InputException.at(index.folder(), "holds no " + target.term() + "s to search"
                    + (target == ItemKind.CAPTION ? " (index some with --captions or --texts)"
                            : " (index some with --images)"));
        }
    }
}

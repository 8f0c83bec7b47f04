package io.caption4j.index;

import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.util.ProgressBar;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings the caption entries of one source (a caption file) up to date: captions not indexed yet are embedded and
 * added, those no longer in the source are removed, the rest are left alone. A caption is its text and the image it
 * describes, so there is no "updated": an edited caption is a new one, and the old one is removed.
 */
public final class CaptionIndexing {
    /** Texts per call of the text encoder. */
    static final int BATCH_SIZE = 256;

    private CaptionIndexing() {}

    /** Indexes the captions of one source (all with the same {@link IndexedCaption#source()}), then commits. */
    public static IndexingCounts index(JointEmbedder embedder, EmbeddingIndexWriter index, String source,
            List<IndexedCaption> captions, PrintStream progress) {
        Map<String, IndexedCaption> byKey = new LinkedHashMap<>();
        for (IndexedCaption caption : captions) {
            if (!caption.source().equals(source)) {
                throw new IllegalArgumentException("caption from " + caption.source() + " among those of " + source);
            }
            byKey.putIfAbsent(caption.key(), caption);
        }
        Set<String> indexed = index.captionKeys(source);
        List<IndexedCaption> todo = new ArrayList<>();
        byKey.forEach((key, caption) -> {
            if (!indexed.contains(key)) {
                todo.add(caption);
            }
        });
        try (ProgressBar bar = new ProgressBar(progress, "indexing captions", todo.size())) {
            for (int from = 0; from < todo.size(); from += BATCH_SIZE) {
                List<IndexedCaption> batch = todo.subList(from, Math.min(todo.size(), from + BATCH_SIZE));
                float[][] vectors = embedder.embedTexts(batch.stream().map(IndexedCaption::text).toList());
                for (int i = 0; i < batch.size(); i++) {
                    index.putCaption(batch.get(i), vectors[i]);
                }
                bar.step(batch.size());
            }
        }
        int removed = 0;
        for (String key : indexed) {
            if (!byKey.containsKey(key)) {
                index.removeCaption(key);
                removed++;
            }
        }
        index.commit();
        return new IndexingCounts(todo.size(), 0, byKey.size() - todo.size(), removed, 0);
    }
}

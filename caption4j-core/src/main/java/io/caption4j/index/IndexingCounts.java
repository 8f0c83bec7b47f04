package io.caption4j.index;

import java.util.Locale;

/** What one indexing run did to the entries of one kind. */
public record IndexingCounts(int added, int updated, int unchanged, int removed, int failed) {
    public String describe() {
        return String.format(Locale.ROOT, "%d added, %d updated, %d unchanged, %d removed, %d failed", added, updated,
                unchanged, removed, failed);
    }
}

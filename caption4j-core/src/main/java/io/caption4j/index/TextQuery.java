package io.caption4j.index;

import io.caption4j.util.InputException;
import java.util.Optional;

/**
 * A text query as the text encoder will read it.
 *
 * @param text      the query, stripped
 * @param tokens    tokens it has for the text encoder
 * @param maxTokens tokens the encoder reads; the rest is cut
 */
public record TextQuery(String text, int tokens, int maxTokens) {

    /** Refuses a query with nothing to search for; the one check every text query goes through. */
    public static String requireText(String query) {
        if (query == null || query.isBlank()) {
            throw new InputException("empty query: give some words to search for");
        }
        return query.strip();
    }

    public boolean truncated() {
        return tokens > maxTokens;
    }

    /** What to tell the user when the encoder reads only part of the query. */
    public Optional<String> note() {
        return truncated() ? Optional.of("note: the query has " + tokens + " tokens and the text encoder reads only the"
                + " first " + maxTokens + "; the rest was ignored") : Optional.empty();
    }
}

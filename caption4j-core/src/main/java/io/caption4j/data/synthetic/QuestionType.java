package io.caption4j.data.synthetic;

import java.util.Locale;

/** What a VQA question asks about; the per-type accuracy table uses these. */
public enum QuestionType {
    /** "what colour is the circle?" */
    COLOUR,
    /** "how many stars are there?", "how many red objects are there?" */
    COUNT,
    /** "is there a red circle left of the blue star?" (yes/no, balanced) */
    RELATION,
    /** "what shape is the biggest object?", "what shape is the green object?" */
    SHAPE;

    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.caption4j.index;

/** What an index entry is: an image file, or a caption (a text). Each kind has its own vector field. */
public enum ItemKind {
    IMAGE("image", "image_vector"),
    CAPTION("caption", "caption_vector");

    private final String term;
    private final String vectorField;

    ItemKind(String term, String vectorField) {
        this.term = term;
        this.vectorField = vectorField;
    }

    /** The value of the entry's kind field, and the word the command line and JSON output use. */
    public String term() {
        return term;
    }

    String vectorField() {
        return vectorField;
    }
}

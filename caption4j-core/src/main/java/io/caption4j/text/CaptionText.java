package io.caption4j.text;

/**
 * A caption as the project's language models read and write it: the PTB tokens the metrics see (lower-cased,
 * punctuation dropped) joined by single spaces. Training on this form means a generated caption is scored on
 * exactly what the model learnt to produce.
 */
public final class CaptionText {
    private CaptionText() {}

    public static String normalise(String caption) {
        return String.join(" ", PtbTokenizer.instance().tokenize(caption));
    }
}

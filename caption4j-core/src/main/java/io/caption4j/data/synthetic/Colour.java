package io.caption4j.data.synthetic;

import java.util.Locale;

/** Saturated, clearly distinct object colours; backgrounds use only muted tones, so they never look like these. */
public enum Colour {
    RED(0xDC1E1E),
    ORANGE(0xFF8C00),
    YELLOW(0xF0DC14),
    GREEN(0x1EAA32),
    BLUE(0x1E46E6),
    PURPLE(0x9628C8);

    private final int rgb;

    Colour(int rgb) {
        this.rgb = rgb;
    }

    public int rgb() {
        return rgb;
    }

    /** The caption word and VQA answer: "red". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }
}

package io.caption4j.data.synthetic;

import java.util.Locale;

/**
 * A low-contrast texture in a muted tone behind the objects.
 *
 * @param period      stripe or check width as a fraction of the image side
 * @param orientation stripes only: 0 horizontal, 1 vertical, 2 diagonal, 3 the other diagonal
 * @param noiseSeed   grain of every texture
 */
public record Background(Texture texture, int baseRgb, double period, int orientation, long noiseSeed) {
    public enum Texture {
        GRAINY, STRIPED, CHECKERED;

        /** The caption word: "on a striped background". */
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}

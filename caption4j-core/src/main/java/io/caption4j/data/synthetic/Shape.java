package io.caption4j.data.synthetic;

import java.util.List;
import java.util.Locale;

/** The kinds of object the synthetic world draws, with the words captions use for them. */
public enum Shape {
    CIRCLE(List.of("circle", "disc"), List.of("circles", "discs")),
    SQUARE(List.of("square"), List.of("squares")),
    TRIANGLE(List.of("triangle"), List.of("triangles")),
    STAR(List.of("star"), List.of("stars")),
    CROSS(List.of("cross", "plus sign"), List.of("crosses", "plus signs"));

    private final List<String> singular;
    private final List<String> plural;

    Shape(List<String> singular, List<String> plural) {
        this.singular = singular;
        this.plural = plural;
    }

    /** The plain word, also the VQA answer: "circle". */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Caption words for one of these; the first is {@link #word()}. */
    public List<String> singular() {
        return singular;
    }

    /** Caption words for several, parallel to {@link #singular()}. */
    public List<String> plural() {
        return plural;
    }
}

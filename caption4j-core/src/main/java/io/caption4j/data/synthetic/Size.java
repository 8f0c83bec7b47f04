package io.caption4j.data.synthetic;

import java.util.List;
import java.util.Locale;

/** Object sizes; the radius is a fraction of the image side. */
public enum Size {
    SMALL(0.09, List.of("small", "little", "tiny")),
    LARGE(0.15, List.of("large", "big"));

    private final double radius;
    private final List<String> words;

    Size(double radius, List<String> words) {
        this.radius = radius;
        this.words = words;
    }

    /** Radius of the object's bounding circle, as a fraction of the image side. */
    public double radius() {
        return radius;
    }

    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Caption words; the first is {@link #word()}. */
    public List<String> words() {
        return words;
    }
}

package io.caption4j.data.synthetic;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What one synthetic image shows: 1–3 objects, each in its own cell of a 3×3 grid (so they never overlap), on a
 * textured background. {@code seed} drives everything random about the scene's text (caption wording, questions).
 */
public record Scene(int index, long seed, Background background, List<SceneObject> objects) {
    public Scene {
        objects = List.copyOf(objects);
    }

    /** The shapes present, for zero-shot attribute labels. */
    public Set<Shape> shapes() {
        Set<Shape> shapes = EnumSet.noneOf(Shape.class);
        objects.forEach(o -> shapes.add(o.shape()));
        return shapes;
    }

    /** The colours present, for zero-shot attribute labels. */
    public Set<Colour> colours() {
        Set<Colour> colours = EnumSet.noneOf(Colour.class);
        objects.forEach(o -> colours.add(o.colour()));
        return colours;
    }
}

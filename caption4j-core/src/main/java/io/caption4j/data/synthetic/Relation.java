package io.caption4j.data.synthetic;

import java.util.ArrayList;
import java.util.List;

/**
 * Spatial relations between two objects' centres. A relation holds only when the centres are clearly apart on that
 * axis (more than {@link #MARGIN} of the image side); objects in the same row or column of the layout grid are never
 * that far apart across it, so an object straight above another is not also "left of" it.
 */
public enum Relation {
    LEFT_OF, RIGHT_OF, ABOVE, BELOW;

    public static final double MARGIN = 0.18;

    public boolean holds(SceneObject a, SceneObject b) {
        return switch (this) {
            case LEFT_OF -> b.x() - a.x() > MARGIN;
            case RIGHT_OF -> a.x() - b.x() > MARGIN;
            case ABOVE -> b.y() - a.y() > MARGIN;
            case BELOW -> a.y() - b.y() > MARGIN;
        };
    }

    public Relation inverse() {
        return switch (this) {
            case LEFT_OF -> RIGHT_OF;
            case RIGHT_OF -> LEFT_OF;
            case ABOVE -> BELOW;
            case BELOW -> ABOVE;
        };
    }

    public boolean horizontal() {
        return this == LEFT_OF || this == RIGHT_OF;
    }

    /** Every relation that holds for a relative to b (none, one, or one per axis for a diagonal pair). */
    public static List<Relation> between(SceneObject a, SceneObject b) {
        List<Relation> holding = new ArrayList<>();
        for (Relation r : values()) {
            if (r.holds(a, b)) {
                holding.add(r);
            }
        }
        return holding;
    }
}

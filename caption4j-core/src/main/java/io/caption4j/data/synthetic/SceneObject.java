package io.caption4j.data.synthetic;

/**
 * One object of a scene: what it is and where its centre lies, in fractions of the image side (x to the right, y
 * downwards), so the same scene renders at any image size.
 */
public record SceneObject(Shape shape, Colour colour, Size size, double x, double y) {
    /**
     * Same shape and colour. Objects of one kind in a scene also have the same size, so captions can count them
     * ("two red circles") and questions can name an object by colour and shape alone.
     */
    public boolean sameKind(SceneObject other) {
        return shape == other.shape && colour == other.colour;
    }

    /** Row (0 top to 2 bottom) of the 3×3 layout grid the object sits in. */
    public int row() {
        return Math.min(2, (int) (y * 3));
    }

    /** Column (0 left to 2 right) of the 3×3 layout grid the object sits in. */
    public int column() {
        return Math.min(2, (int) (x * 3));
    }
}

package io.caption4j.data.synthetic;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.util.SplittableRandom;

/** Draws a scene: the texture pixel by pixel, then each object as an antialiased filled shape. */
final class SceneRenderer {
    /** Half-amplitude of the grain and half the contrast of stripes and checks, in 0–255 units. */
    private static final int GRAIN = 12;
    private static final int CONTRAST = 14;

    private SceneRenderer() {}

    static BufferedImage render(Scene scene, int size) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        paintBackground(scene.background(), size, ((DataBufferInt) image.getRaster().getDataBuffer()).getData());
        Graphics2D g = image.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            for (SceneObject object : scene.objects()) {
                g.setColor(new Color(object.colour().rgb()));
                g.fill(outline(object, size));
            }
        } finally {
            g.dispose();
        }
        return image;
    }

    private static void paintBackground(Background bg, int size, int[] pixels) {
        SplittableRandom grain = new SplittableRandom(bg.noiseSeed());
        int period = Math.max(2, (int) Math.round(bg.period() * size));
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int shade = switch (bg.texture()) {
                    case GRAINY -> 0;
                    case STRIPED -> CONTRAST * band(stripeCoordinate(bg.orientation(), x, y), period);
                    case CHECKERED -> CONTRAST * band(x, period) * band(y, period);
                };
                pixels[y * size + x] = shifted(bg.baseRgb(), shade + grain.nextInt(-GRAIN, GRAIN + 1));
            }
        }
    }

    private static int stripeCoordinate(int orientation, int x, int y) {
        return switch (orientation) {
            case 0 -> y;
            case 1 -> x;
            case 2 -> x + y;
            default -> x - y + 4096;
        };
    }

    /** +1 or -1 in alternating bands of {@code period} pixels. */
    private static int band(int coordinate, int period) {
        return (coordinate / period) % 2 == 0 ? 1 : -1;
    }

    private static int shifted(int rgb, int delta) {
        int r = clamp(((rgb >> 16) & 0xFF) + delta);
        int g = clamp(((rgb >> 8) & 0xFF) + delta);
        int b = clamp((rgb & 0xFF) + delta);
        return (r << 16) | (g << 8) | b;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** Every outline fits inside the object's bounding circle, which the layout keeps apart from the others. */
    private static java.awt.Shape outline(SceneObject object, int size) {
        double cx = object.x() * size;
        double cy = object.y() * size;
        double r = object.size().radius() * size;
        return switch (object.shape()) {
            case CIRCLE -> new Ellipse2D.Double(cx - r, cy - r, 2 * r, 2 * r);
            case SQUARE -> {
                double half = r * 0.7;
                yield new Rectangle2D.Double(cx - half, cy - half, 2 * half, 2 * half);
            }
            case TRIANGLE -> polygon(cx, cy, r, 3, 1.0);
            case STAR -> polygon(cx, cy, r, 5, 0.45);
            case CROSS -> cross(cx, cy, r);
        };
    }

    /**
     * A shape pointing up with {@code points} vertices on the circle of radius r; with {@code inner} < 1 a star whose
     * inner vertices lie at {@code inner * r}, with 1 a regular polygon.
     */
    private static Path2D polygon(double cx, double cy, double r, int points, double inner) {
        Path2D path = new Path2D.Double();
        int vertices = inner == 1.0 ? points : 2 * points;
        for (int i = 0; i < vertices; i++) {
            double angle = -Math.PI / 2 + 2 * Math.PI * i / vertices;
            double radius = i % 2 == 0 ? r : r * inner;
            double px = cx + radius * Math.cos(angle);
            double py = cy + radius * Math.sin(angle);
            if (i == 0) {
                path.moveTo(px, py);
            } else {
                path.lineTo(px, py);
            }
        }
        path.closePath();
        return path;
    }

    private static Path2D cross(double cx, double cy, double r) {
        double arm = r * 0.9;
        double half = r * 0.3;
        Path2D path = new Path2D.Double();
        path.append(new Rectangle2D.Double(cx - arm, cy - half, 2 * arm, 2 * half), false);
        path.append(new Rectangle2D.Double(cx - half, cy - arm, 2 * half, 2 * arm), false);
        path.setWindingRule(Path2D.WIND_NON_ZERO);
        return path;
    }
}

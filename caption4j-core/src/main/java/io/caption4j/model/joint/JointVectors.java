package io.caption4j.model.joint;

/** Small vector arithmetic on embeddings held as float arrays. */
public final class JointVectors {
    private JointVectors() {}

    public static double dot(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors of length " + a.length + " and " + b.length);
        }
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (double) a[i] * b[i];
        }
        return sum;
    }

    public static double norm(float[] a) {
        return Math.sqrt(dot(a, a));
    }

    /** {@code a} scaled to unit length (a zero vector stays zero). */
    public static float[] normalized(float[] a) {
        double norm = norm(a);
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = norm == 0 ? 0 : (float) (a[i] / norm);
        }
        return out;
    }

    /** Cosine similarities [rows.length][columns.length] of unit vectors. */
    public static float[][] similarities(float[][] rows, float[][] columns) {
        float[][] out = new float[rows.length][columns.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < columns.length; j++) {
                out[i][j] = (float) dot(rows[i], columns[j]);
            }
        }
        return out;
    }
}

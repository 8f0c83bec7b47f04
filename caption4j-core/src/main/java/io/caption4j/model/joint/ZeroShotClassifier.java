package io.caption4j.model.joint;

import io.caption4j.util.InputException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Zero-shot classification with a joint model, as CLIP does it: each label is written into prompt templates
 * ("a photo of a {}"), the templates' unit text embeddings are averaged and renormalised into one class embedding
 * (prompt ensembling), and an image's probabilities are the softmax of its cosine similarities to the classes times
 * the model's {@link JointEmbedder#similarityScale()}.
 */
public final class ZeroShotClassifier {
    public static final String SLOT = "{}";
    public static final List<String> DEFAULT_TEMPLATES = List.of("a photo of a {}", "a picture of a {}", "a {}");

    private final JointEmbedder model;
    private final List<String> labels;
    private final float[][] classes;

    private ZeroShotClassifier(JointEmbedder model, List<String> labels, float[][] classes) {
        this.model = model;
        this.labels = labels;
        this.classes = classes;
    }

    /** A classifier over {@code labels} (at least one, no duplicates), each prompted with every template. */
    public static ZeroShotClassifier of(JointEmbedder model, List<String> labels, List<String> templates) {
        checkLabels(labels);
        if (templates.isEmpty()) {
            throw new InputException("give at least one prompt template");
        }
        for (String template : templates) {
            if (!template.contains(SLOT)) {
                throw new InputException("prompt template \"" + template + "\" has no " + SLOT
                        + " where the label goes");
            }
        }
        List<String> prompts = new ArrayList<>();
        for (String label : labels) {
            for (String template : templates) {
                prompts.add(template.replace(SLOT, label));
            }
        }
        float[][] embedded = model.embedTexts(prompts);
        float[][] classes = new float[labels.size()][];
        for (int c = 0; c < labels.size(); c++) {
            float[] sum = new float[model.dimension()];
            for (int t = 0; t < templates.size(); t++) {
                float[] e = embedded[c * templates.size() + t];
                for (int k = 0; k < sum.length; k++) {
                    sum[k] += e[k];
                }
            }
            classes[c] = JointVectors.normalized(sum);
        }
        return new ZeroShotClassifier(model, List.copyOf(labels), classes);
    }

    /** Labels from a comma-separated list ("dog, cat,bicycle"), trimmed; empty or duplicate labels are refused. */
    public static List<String> parseLabels(String commaSeparated) {
        List<String> labels = new ArrayList<>();
        for (String label : commaSeparated.split(",", -1)) {
            labels.add(label.strip());
        }
        if (labels.size() == 1 && labels.get(0).isEmpty()) {
            throw new InputException("the labels list is empty: give labels separated by commas, e.g. \"dog,cat\"");
        }
        checkLabels(labels);
        return labels;
    }

    private static void checkLabels(List<String> labels) {
        if (labels.isEmpty()) {
            throw new InputException("the labels list is empty: give labels separated by commas, e.g. \"dog,cat\"");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < labels.size(); i++) {
            String label = labels.get(i);
            if (label.isBlank()) {
                throw new InputException("label " + (i + 1) + " of " + labels.size() + " is empty");
            }
            if (!seen.add(label)) {
                throw new InputException("label \"" + label + "\" is given twice");
            }
        }
    }

    public List<String> labels() {
        return labels;
    }

    /** Unit class embeddings [labels][d], in label order. */
    public float[][] classEmbeddings() {
        return classes;
    }

    /** Probabilities [images][labels] of unit image embeddings; each row sums to 1. */
    public float[][] probabilities(float[][] imageEmbeddings) {
        double scale = model.similarityScale();
        float[][] similarities = JointVectors.similarities(imageEmbeddings, classes);
        float[][] out = new float[similarities.length][];
        for (int i = 0; i < similarities.length; i++) {
            out[i] = softmax(similarities[i], scale);
        }
        return out;
    }

    static float[] softmax(float[] values, double scale) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : values) {
            max = Math.max(max, v * scale);
        }
        double[] e = new double[values.length];
        double sum = 0;
        for (int i = 0; i < values.length; i++) {
            e[i] = Math.exp(values[i] * scale - max);
            sum += e[i];
        }
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) (e[i] / sum);
        }
        return out;
    }
}

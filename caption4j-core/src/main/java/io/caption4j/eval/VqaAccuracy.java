package io.caption4j.eval;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.caption4j.data.synthetic.QuestionType;
import io.caption4j.model.vqa.VqaModel;
import io.caption4j.train.VqaSplit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;

/** How many questions of a split a VQA model answers right (its most probable answer), overall and per type. */
public final class VqaAccuracy {
    private final Map<QuestionType, int[]> counts = new EnumMap<>(QuestionType.class);

    private VqaAccuracy() {
        for (QuestionType type : QuestionType.values()) {
            counts.put(type, new int[2]); // {correct, questions}
        }
    }

    /** Scores every question of {@code split}, {@code batchSize} at a time. */
    public static VqaAccuracy evaluate(VqaModel model, VqaSplit split, int batchSize) {
        VqaAccuracy accuracy = new VqaAccuracy();
        for (int[] batch : split.batches(batchSize, null)) {
            float[][] probabilities;
            try (NDScope scope = new NDScope(); NDManager arrays = model.manager().newSubManager()) {
                probabilities = model.probabilities(split.batch(arrays, batch));
            }
            for (int b = 0; b < batch.length; b++) {
                VqaSplit.Example example = split.examples().get(batch[b]);
                int[] count = accuracy.counts.get(example.type());
                count[0] += argmax(probabilities[b]) == example.answer() ? 1 : 0;
                count[1]++;
            }
        }
        return accuracy;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    public int questions() {
        return counts.values().stream().mapToInt(c -> c[1]).sum();
    }

    public int questions(QuestionType type) {
        return counts.get(type)[1];
    }

    /** Fraction answered right; NaN for no questions. */
    public double overall() {
        return (double) counts.values().stream().mapToInt(c -> c[0]).sum() / questions();
    }

    public double of(QuestionType type) {
        int[] count = counts.get(type);
        return (double) count[0] / count[1];
    }

    /** {@code accuracy} and {@code accuracy_<type>} per question type, for a training log. */
    public Map<String, Double> scores() {
        Map<String, Double> scores = new LinkedHashMap<>();
        scores.put("accuracy", overall());
        for (QuestionType type : QuestionType.values()) {
            scores.put("accuracy_" + type.key(), of(type));
        }
        return scores;
    }
}

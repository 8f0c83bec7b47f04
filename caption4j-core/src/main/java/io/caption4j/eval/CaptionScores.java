package io.caption4j.eval;

import java.util.List;
import java.util.Map;

/**
 * The result of scoring candidate captions: corpus scores and per-image scores, keyed by the metric names
 * pycocoevalcap prints ({@link #METRICS}, in that order).
 *
 * @param corpus metric name → corpus score
 * @param perImage image id → (metric name → that image's score), in the order the images were scored
 */
public record CaptionScores(Map<String, Double> corpus, Map<String, Map<String, Double>> perImage) {
    public static final String BLEU_1 = "Bleu_1";
    public static final String BLEU_2 = "Bleu_2";
    public static final String BLEU_3 = "Bleu_3";
    public static final String BLEU_4 = "Bleu_4";
    public static final String ROUGE_L = "ROUGE_L";
    public static final String CIDER = "CIDEr";
    public static final List<String> METRICS = List.of(BLEU_1, BLEU_2, BLEU_3, BLEU_4, ROUGE_L, CIDER);

    public double corpus(String metric) {
        return corpus.get(metric);
    }

    public int images() {
        return perImage.size();
    }
}

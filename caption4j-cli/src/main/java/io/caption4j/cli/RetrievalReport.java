package io.caption4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.eval.RetrievalEvaluation;
import io.caption4j.eval.RetrievalMetrics;
import java.io.PrintWriter;
import java.util.Locale;

/** Prints cross-modal retrieval scores ({@code evaluate --model} with a joint model): a table, or one JSON object. */
final class RetrievalReport {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RetrievalReport() {}

    static void print(RetrievalEvaluation.Result result, boolean json, PrintWriter out) {
        if (json) {
            ObjectNode root = JSON.createObjectNode().put("images", result.images()).put("texts", result.texts());
            direction(root.putObject("image_to_text"), result.metrics().imageToText());
            direction(root.putObject("text_to_image"), result.metrics().textToImage());
            out.println(root);
        } else {
            out.printf(Locale.ROOT, "%d images, %d texts%n", result.images(), result.texts());
            out.printf(Locale.ROOT, "%-12s %6s %6s %6s %12s%n", "direction", "R@1", "R@5", "R@10", "median_rank");
            row(out, "image→text", result.metrics().imageToText());
            row(out, "text→image", result.metrics().textToImage());
        }
        out.flush();
    }

    private static void direction(ObjectNode node, RetrievalMetrics.Direction d) {
        node.put("R@1", d.recallAt1()).put("R@5", d.recallAt5()).put("R@10", d.recallAt10())
                .put("median_rank", d.medianRank());
    }

    private static void row(PrintWriter out, String name, RetrievalMetrics.Direction d) {
        out.printf(Locale.ROOT, "%-12s %6.3f %6.3f %6.3f %12.1f%n", name, d.recallAt1(), d.recallAt5(), d.recallAt10(),
                d.medianRank());
    }
}

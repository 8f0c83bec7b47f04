package io.caption4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.Splits;
import io.caption4j.data.synthetic.QuestionAnswer;
import io.caption4j.data.synthetic.QuestionType;
import io.caption4j.eval.VqaAccuracy;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.model.vqa.VqaModel;
import io.caption4j.train.VqaSplit;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code evaluate --model} for a VQA model: answer accuracy on a split of the synthetic world, per question type. */
final class VqaSplitEvaluation {
    private static final ObjectMapper JSON = new ObjectMapper();

    private VqaSplitEvaluation() {}

    static boolean holdsVqaModel(Path model) {
        return VqaModel.FORMAT.equals(ModelDirectory.open(model).format());
    }

    static int run(Path model, String split, DataMixin data, boolean json, PrintWriter out) throws IOException {
        if (data.synthetic == null) {
            throw new InputException("a VQA model is scored on the synthetic world's questions: give --synthetic N");
        }
        Splits.Split which = Splits.Split.parse(split);
        Problems problems = new Problems(System.err);
        DataMixin.Data input = data.read(model, problems, System.err);
        CaptionDataset items = input.splits().apply(input.dataset(), which);
        Map<String, List<QuestionAnswer>> questions = QuestionAnswer.read(
                data.syntheticDirectory(model).resolve("questions.jsonl"), problems);
        try (VqaModel vqa = VqaModel.load(model)) {
            VqaSplit examples = VqaSplit.fromImages(items, questions, vqa, problems, System.err);
            if (examples.examples().isEmpty()) {
                throw new InputException("the " + split + " split has no questions");
            }
            VqaAccuracy accuracy = VqaAccuracy.evaluate(vqa, examples, 64);
            if (json) {
                ObjectNode root = JSON.createObjectNode().put("model", vqa.config().describe())
                        .put("split", which.key()).put("questions", accuracy.questions());
                accuracy.scores().forEach(root::put);
                out.println(JSON.writeValueAsString(root));
            } else {
                out.printf(Locale.ROOT, "%s, %s split: %d images%n", vqa.config().describe(), which.key(),
                        examples.images().size());
                out.printf(Locale.ROOT, "%-10s %9s %9s%n", "type", "questions", "accuracy");
                for (QuestionType type : QuestionType.values()) {
                    out.printf(Locale.ROOT, "%-10s %9d %9.4f%n", type.key(), accuracy.questions(type),
                            accuracy.of(type));
                }
                out.printf(Locale.ROOT, "%-10s %9d %9.4f%n", "overall", accuracy.questions(), accuracy.overall());
            }
            out.flush();
        }
        return problems.count() == 0 ? 0 : 1;
    }
}

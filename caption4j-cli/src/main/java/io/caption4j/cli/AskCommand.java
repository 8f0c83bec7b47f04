package io.caption4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.model.vqa.VqaModel;
import io.caption4j.util.InputException;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.RgbImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "ask", mixinStandardHelpOptions = true,
        description = {"Answer a question about an image with a trained VQA model.",
            "Prints 'ANSWER<TAB>PROBABILITY', or with --json one object with the top answers. Words the model does not",
            "know are read as <unk>, and a note on stderr says which."})
final class AskCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "VQA model directory (or a training run directory).")
    Path model;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image file.")
    Path image;

    @Parameters(index = "1", paramLabel = "QUESTION", description = "The question, e.g. \"what colour is the circle?\"")
    String question;

    @Option(names = "--json", description = "One JSON object: the answer, its probability and the top --top-k answers.")
    boolean json;

    @Option(names = "--top-k", defaultValue = "5", description = "Answers listed with --json (default: ${DEFAULT-VALUE}).")
    int topK;

    @Override
    public Integer call() throws Exception {
        if (topK < 1) {
            throw new InputException("--top-k must be at least 1, got " + topK);
        }
        if (question.isBlank()) {
            throw new InputException("the question is empty");
        }
        RgbImage pixels = new ImageLoader().load(image);
        try (VqaModel vqa = VqaModel.load(model)) {
            VqaModel.EncodedQuestion encoded = vqa.encode(question);
            if (encoded.knowsNoWord()) {
                System.err.println("warning: the model knows none of the question's words, so the answer is a guess");
            } else if (!encoded.unknownWords().isEmpty()) {
                System.err.println("note: words the model does not know, read as <unk>: "
                        + String.join(", ", encoded.unknownWords()));
            }
            List<VqaModel.ScoredAnswer> top = vqa.ask(pixels, encoded, topK);
            if (json) {
                ObjectNode out = JSON.createObjectNode().put("image", image.toString()).put("question", question)
                        .put("answer", top.get(0).answer()).put("probability", top.get(0).probability());
                ArrayNode unknown = out.putArray("unknown_words");
                encoded.unknownWords().forEach(unknown::add);
                ArrayNode list = out.putArray("top");
                top.forEach(a -> list.addObject().put("answer", a.answer()).put("probability", a.probability()));
                System.out.println(JSON.writeValueAsString(out));
            } else {
                System.out.printf(Locale.ROOT, "%s\t%.4f%n", top.get(0).answer(), top.get(0).probability());
            }
        }
        return 0;
    }
}

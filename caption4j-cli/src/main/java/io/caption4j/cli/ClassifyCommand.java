package io.caption4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.model.joint.JointEmbedders;
import io.caption4j.model.joint.ZeroShotClassifier;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageFiles;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.PixelInputs;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "classify", mixinStandardHelpOptions = true,
        description = {"Zero-shot classification of images with a joint image-text model (e.g. a dual encoder):",
            "each label is written into the prompt templates, the templates' text embeddings are averaged (prompt",
            "ensembling), and an image's probabilities are the softmax of its scaled cosine similarities to the labels."})
final class ClassifyCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Joint model directory or training run directory.")
    Path model;

    @Option(names = "--labels", required = true, paramLabel = "A,B,...", description = "Comma-separated labels, e.g. \"dog,cat,bicycle\".")
    String labels;

    @Option(names = "--template", paramLabel = "TEXT",
            description = "Prompt template with {} where the label goes; repeat to ensemble (default: \"a photo of a {}\", \"a picture of a {}\", \"a {}\").")
    List<String> templates = new ArrayList<>();

    @Option(names = "--top", defaultValue = "3", description = "Labels shown per image, most probable first; 0 = all (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--json", description = "Print one JSON object per image: {\"image\", \"labels\": [{\"label\", \"probability\"}...]}.")
    boolean json;

    @Parameters(arity = "1..*", paramLabel = "IMAGE_OR_DIR", description = "Image files, or folders of images.")
    List<Path> images;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        List<String> labelList = ZeroShotClassifier.parseLabels(labels);
        if (top < 0) {
            throw new InputException("--top must be 0 (all) or more, got " + top);
        }
        Problems problems = new Problems(System.err);
        List<Path> files = ImageFiles.expand(images, problems);
        try (JointEmbedder embedder = JointEmbedders.load(model)) {
            ZeroShotClassifier classifier = ZeroShotClassifier.of(embedder, labelList,
                    templates.isEmpty() ? ZeroShotClassifier.DEFAULT_TEMPLATES : templates);
            PixelInputs.Loaded loaded = PixelInputs.load(files, new ImageLoader(), embedder.preprocessor(), problems,
                    null);
            float[][] probabilities = classifier.probabilities(embedder.embedImages(loaded.inputs()));
            PrintWriter out = spec.commandLine().getOut();
            for (int i = 0; i < probabilities.length; i++) {
                print(out, files.get(loaded.kept().get(i)), labelList, probabilities[i]);
            }
            out.flush();
        }
        return problems.count() == 0 ? 0 : 1;
    }

    private void print(PrintWriter out, Path image, List<String> labelList, float[] probabilities) {
        List<Integer> ranked = IntStream.range(0, labelList.size()).boxed()
                .sorted(Comparator.comparingDouble(i -> -probabilities[i])).toList();
        if (json) {
            ObjectNode line = JSON.createObjectNode().put("image", image.toString());
            ArrayNode ranking = line.putArray("labels");
            ranked.forEach(i -> ranking.addObject().put("label", labelList.get(i)).put("probability", probabilities[i]));
            out.println(line);
            return;
        }
        StringBuilder text = new StringBuilder(image.toString()).append(':');
        ranked.stream().limit(top == 0 ? ranked.size() : top).forEach(i -> text.append(String.format(Locale.ROOT,
                "  %s %.3f", labelList.get(i), probabilities[i])));
        out.println(text);
    }
}

package io.caption4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.model.ImageCaptioner;
import io.caption4j.model.CaptionModels;
import io.caption4j.model.FileCaptioning;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "caption", mixinStandardHelpOptions = true,
        description = {"Caption images with a trained model.",
            "Prints 'IMAGE<TAB>CAPTION' per image, or with --json one JSON object per line. A file that cannot be read is",
            "reported on stderr, the others are still captioned, and the exit code is 1."})
final class CaptionCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = "--model", required = true, paramLabel = "DIR",
            description = "Model directory (or a training run directory); repeat it to caption with an ensemble of"
                    + " captioners of one kind (attention-GRU, or ClipCap over one language model's tokenizer).")
    List<Path> models;

    @Parameters(arity = "1..*", paramLabel = "IMAGE_OR_DIR", description = "Image files, or folders of them.")
    List<Path> inputs;

    @Option(names = "--json", description = "One JSON object per image: caption, score, per-word probability, n-best.")
    boolean json;

    @Option(names = "--attention", description = "With --json: add each word's attention weights over the image regions.")
    boolean attention;

    @Option(names = "--batch-size", defaultValue = "16", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Mixin
    DecodingMixin decoding;

    @Override
    public Integer call() throws Exception {
        var options = decoding.options();
        if (batchSize < 1) {
            throw new InputException("--batch-size must be at least 1, got " + batchSize);
        }
        Problems problems = new Problems(System.err);
        List<Path> files = ImageFiles.expand(inputs, problems);
        try (ImageCaptioner captioner = CaptionModels.load(models)) {
            if (attention && !captioner.attendsToRegions()) {
                throw new InputException("--attention: this model has no attention over image regions (ClipCap reads"
                        + " one embedding of the whole image)");
            }
            FileCaptioning.caption(captioner, files, options, batchSize, problems, (file, nBest) -> {
                try {
                    print(file, nBest);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        return problems.count() == 0 ? 0 : 1;
    }

    private void print(Path file, List<GeneratedCaption> nBest) throws IOException {
        GeneratedCaption best = nBest.get(0);
        if (!json) {
            System.out.println(file + "\t" + best.text());
            for (GeneratedCaption other : nBest.subList(1, nBest.size())) {
                System.out.printf(Locale.ROOT, "\t%.4f\t%s%n", other.score(), other.text());
            }
            return;
        }
        ObjectNode out = JSON.createObjectNode();
        out.put("image", file.toString());
        out.put("caption", best.text());
        out.put("score", best.score());
        out.put("log_probability", best.logProbability());
        if (attention && !best.attention().isEmpty() && best.attention().get(0) != null) {
            // regions come from a square grid, row-major: weights[r] is cell (r / side, r % side)
            int side = (int) Math.round(Math.sqrt(best.attention().get(0).length));
            out.putArray("attention_grid").add(side).add(side);
        }
        ArrayNode words = out.putArray("words");
        for (int w = 0; w < best.words().size(); w++) {
            ObjectNode word = words.addObject();
            word.put("word", best.words().get(w));
            word.put("probability", best.wordProbabilities()[w]);
            if (attention && best.attention().get(w) != null) {
                ArrayNode weights = word.putArray("attention");
                for (float a : best.attention().get(w)) {
                    weights.add(a);
                }
            }
        }
        ArrayNode list = out.putArray("n_best");
        for (GeneratedCaption c : nBest) {
            list.addObject().put("caption", c.text()).put("score", c.score()).put("log_probability", c.logProbability());
        }
        System.out.println(JSON.writeValueAsString(out));
    }
}

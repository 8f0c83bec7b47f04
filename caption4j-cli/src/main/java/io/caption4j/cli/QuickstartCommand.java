package io.caption4j.cli;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.data.Splits;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.eval.Baselines;
import io.caption4j.eval.CaptionEvaluation;
import io.caption4j.model.Captioner;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.train.CaptionTrainer;
import io.caption4j.train.CaptionerTraining;
import io.caption4j.train.TrainingOptions;
import io.caption4j.train.TrainingSetup;
import io.caption4j.util.Problems;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "quickstart", mixinStandardHelpOptions = true,
        description = {"Train and try a captioner in about two minutes, with nothing to download.",
            "Generates the synthetic world, trains a small captioner on it, captions held-out images, and scores them",
            "against an image-blind baseline."})
final class QuickstartCommand implements Callable<Integer> {
    @Option(names = "--dir", defaultValue = "runs/quickstart", description = "Working directory (default: ${DEFAULT-VALUE}).")
    Path dir;

    @Option(names = "--images", defaultValue = "3000", description = "Synthetic images to generate (default: ${DEFAULT-VALUE}).")
    int images;

    @Option(names = "--epochs", defaultValue = "3", description = "Training epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--seed", defaultValue = "1", description = "Seed of the world and of training (default: ${DEFAULT-VALUE}).")
    long seed;

    @Override
    public Integer call() throws Exception {
        Problems problems = new Problems(System.err);
        DataMixin data = new DataMixin();
        data.synthetic = images;
        data.syntheticSeed = seed;
        DataMixin.Data input = data.read(dir, problems, System.out);
        int maxWords = 16;
        TrainingSetup setup = new TrainingSetup(
                new CaptionerConfig(CaptionerConfig.SMALL_CNN, "pixels", 64, 128, 0, 96, 192, 96, 0.2f, "pooled",
                        maxWords, false),
                new TrainingOptions(epochs, 32, 3e-3, 100, 1e-4, 5, 0f, 0, seed),
                2, maxWords, "CIDEr", DecodingOptions.greedy(maxWords));
        Path run = dir.resolve("run");
        System.out.println("\n== training (validation scored after every epoch)");
        CaptionerTraining.run(input.dataset(), input.splits(), setup, null, run, false, problems, System.out);

        CaptionDataset test = input.splits().apply(input.dataset(), Splits.Split.TEST);
        System.out.printf("%n== captions of held-out test images (best epoch, greedy)%n");
        try (Captioner captioner = Captioner.load(run.resolve(CaptionTrainer.MODEL))) {
            CaptionEvaluation result = CaptionEvaluation.evaluate(captioner, test, DecodingOptions.greedy(maxWords),
                    problems, null);
            List<CaptionedImage> shown = test.items().subList(0, Math.min(6, test.size()));
            for (CaptionedImage item : shown) {
                System.out.printf("%s%n  model:     %s%n  reference: %s%n", item.image(),
                        result.captions().get(item.id()).text(), item.captions().get(0));
            }
            String blind = Baselines.mostFrequentCaption(input.splits().apply(input.dataset(), Splits.Split.TRAIN));
            Map<String, Double> baseline = CaptionEvaluation.constantCaption(test, blind).corpus();
            System.out.printf("%n== test metrics, %d images%n", test.size());
            System.out.printf("%-38s %8s %8s %8s%n", "", "BLEU-4", "ROUGE-L", "CIDEr-D");
            row("captioner (greedy)", result.scores().corpus());
            row("image-blind: \"" + blind + "\"", baseline);
            System.out.printf("%nmodel saved in %s; caption your own images with%n  ./caption4j caption --model %s IMAGE...%n",
                    run.resolve(CaptionTrainer.MODEL), run);
        }
        return problems.count() == 0 ? 0 : 1;
    }

    private static void row(String name, Map<String, Double> scores) {
        String label = name.length() > 38 ? name.substring(0, 35) + "...\"" : name;
        System.out.printf(Locale.ROOT, "%-38s %8.3f %8.3f %8.3f%n", label, scores.get("Bleu_4"), scores.get("ROUGE_L"),
                scores.get("CIDEr"));
    }
}

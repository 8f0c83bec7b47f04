package io.caption4j.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.caption4j.eval.Baselines;
import io.caption4j.eval.CaptionScorer;
import io.caption4j.eval.CaptionScores;
import io.caption4j.eval.CocoCaptionFiles;
import io.caption4j.text.PtbTokenizer;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code caption4j evaluate}: COCO caption metrics (BLEU-1..4, ROUGE-L, CIDEr-D) identical to pycocoevalcap.
 * Where the candidates come from is one exclusive option group ({@link Source}); every source ends in
 * {@link #print(CaptionScores)}.
 */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = {"Score captions with the COCO caption metrics, exactly as pycocoevalcap computes them:",
            "Bleu_1..Bleu_4, ROUGE_L and CIDEr (CIDEr-D), after PTB tokenisation. METEOR and SPICE are not computed.",
            "A joint image-text model (--model, e.g. a dual encoder) is scored by Recall@1/5/10 and median rank of",
            "image→text and text→image retrieval over the split.",
            "A VQA model (--model with --synthetic N) is scored by answer accuracy, overall and per question type."})
public final class EvaluateCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** The ways to get candidate captions; exactly one is given. */
    static final class Source {
        @ArgGroup(exclusive = false, heading = "Score a results file:%n")
        ResultsFile resultsFile;

        @ArgGroup(exclusive = false, heading = "Caption a split with a model and score it (data options below):%n")
        ModelSplit modelSplit;

        @ArgGroup(exclusive = false, heading = "Score an image-blind baseline on a split (data options below):%n")
        BaselineSplit baselineSplit;
    }

    static final class BaselineSplit {
        @Option(names = "--baseline", required = true, paramLabel = "most-frequent|nearest-neighbour",
                description = {"most-frequent: the most frequent training caption, given for every image;",
                    "nearest-neighbour: the consensus caption of the training images nearest in the backbone's"
                            + " pooled features (needs --backbone)."})
        String baseline;

        @Option(names = "--backbone", paramLabel = "MODEL_JSON",
                description = "nearest-neighbour: the image backbone (a TensorFlow.js model.json).")
        Path backbone;

        @Option(names = "--neighbours", defaultValue = "50",
                description = "nearest-neighbour: training images whose captions compete (default: ${DEFAULT-VALUE}; validation"
                        + " chose 50 for 800 Flickr8k photos and 200 for 7,891).")
        int neighbours;

        @Option(names = "--consensus", defaultValue = "cider", paramLabel = "bleu|cider",
                description = "nearest-neighbour: the pooled caption that agrees best with the others by BLEU-4, or by"
                        + " CIDEr-D with the training set's document frequencies (default: ${DEFAULT-VALUE}, chosen on validation).")
        String consensus;

        Baselines.Consensus consensus() {
            return switch (consensus) {
                case "bleu" -> Baselines.Consensus.BLEU_4;
                case "cider" -> Baselines.Consensus.CIDER_D;
                default -> throw new InputException("--consensus must be bleu or cider, got " + consensus);
            };
        }

        @Option(names = "--baseline-split", defaultValue = "test", description = "train, val or test (default: ${DEFAULT-VALUE}).")
        String split;
    }

    static final class ModelSplit {
        @Option(names = "--model", required = true, paramLabel = "DIR",
                description = "Model directory or training run directory; repeat it to evaluate an ensemble of"
                        + " captioners of one kind (attention-GRU, or ClipCap over one language model's tokenizer).")
        List<Path> models;

        /** The one model, for kinds that do not form ensembles. */
        Path single(String kind) {
            if (models.size() > 1) {
                throw new InputException("only captioners form ensembles; give one --model for a " + kind
                        + " model");
            }
            return models.get(0);
        }

        @Option(names = "--split", defaultValue = "test", description = "train, val or test (default: ${DEFAULT-VALUE}).")
        String split;

        @Option(names = "--rerank-neighbours", defaultValue = "0", paramLabel = "K",
                description = {"Consensus reranking: of each image's --n-best captions, score the one that agrees best"
                        + " (CIDEr-D) with the captions of the K training images nearest in the backbone's pooled features;",
                    "0 = off, score the decoder's best (default: ${DEFAULT-VALUE})."})
        int rerankNeighbours;

        @Option(names = "--rerank-weight", defaultValue = "0", paramLabel = "W",
                description = "Consensus reranking: adds W times the decoder's own ranking score (log-probability over"
                        + " length^α) to the agreement; 0 = the agreement alone decides (default: ${DEFAULT-VALUE}).")
        double rerankWeight;

        ModelSplitEvaluation.Reranking reranking() {
            if (rerankNeighbours < 0) {
                throw new InputException("--rerank-neighbours must be 0 (off) or positive, got " + rerankNeighbours);
            }
            if (rerankNeighbours == 0 && rerankWeight != 0) {
                throw new InputException("--rerank-weight applies only with --rerank-neighbours");
            }
            return rerankNeighbours == 0 ? null : new ModelSplitEvaluation.Reranking(rerankNeighbours, rerankWeight);
        }
    }

    static final class ResultsFile {
        @Option(names = "--references", required = true, paramLabel = "REFS.json",
                description = "COCO captions file (images + annotations) with the reference captions.")
        Path references;

        @Option(names = "--results", required = true, paramLabel = "RESULTS.json",
                description = "[{\"image_id\": ..., \"caption\": ...}]; only these images are scored.")
        Path results;
    }

    @Mixin
    DataMixin data;

    @Mixin
    DecodingMixin decoding;

    @Option(names = "--feature-cache", defaultValue = "runs/feature-cache", paramLabel = "DIR",
            description = "--baseline nearest-neighbour and --rerank-neighbours: where backbone features are cached"
                    + " (default: ${DEFAULT-VALUE}).")
    Path featureCache;

    @Option(names = "--json", description = "Print one JSON object with the scores instead of a table.")
    boolean json;

    @Option(names = "--per-image", description = "Also print every image's scores (under \"per_image\" with --json).")
    boolean perImage;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        if (source.modelSplit != null && VqaSplitEvaluation.holdsVqaModel(source.modelSplit.models.get(0))) {
            return VqaSplitEvaluation.run(source.modelSplit.single("VQA"), source.modelSplit.split, data, json,
                    spec.commandLine().getOut());
        }
        if (source.modelSplit != null && ModelSplitEvaluation.isJoint(source.modelSplit.models.get(0))) {
            ModelSplitEvaluation.Retrieval retrieval = ModelSplitEvaluation.retrieval(source.modelSplit.single("joint"),
                    source.modelSplit.split, data, spec.commandLine().getErr());
            RetrievalReport.print(retrieval.result(), json, spec.commandLine().getOut());
            return retrieval.problems() == 0 ? 0 : 1;
        }
        if (source.modelSplit != null) {
            // kept apart so that scoring a results file never loads the deep-learning classes
            ModelSplitEvaluation.Result result = ModelSplitEvaluation.run(source.modelSplit.models,
                    source.modelSplit.split, data, decoding.options(), source.modelSplit.reranking(), featureCache,
                    spec.commandLine().getErr());
            print(result.scores());
            return result.problems() == 0 ? 0 : 1;
        }
        if (source.baselineSplit != null) {
            print(ModelSplitEvaluation.baseline(source.baselineSplit, data, featureCache));
            return 0;
        }
        if (data.synthetic != null || !data.images.isEmpty() || !data.captions.isEmpty() || data.splits != null) {
            throw new InputException("--images, --captions, --splits and --synthetic go with --model, not --results");
        }
        ResultsFile files = source.resultsFile;
        CompletableFuture.runAsync(PtbTokenizer::instance); // compiles the lexer rules while the files are read
        Map<String, List<String>> references = CocoCaptionFiles.readReferences(files.references);
        Map<String, String> candidates = CocoCaptionFiles.readResults(files.results, references, files.references);
        long empty = candidates.values().stream().filter(String::isBlank).count();
        if (empty > 0) {
            spec.commandLine().getErr().printf("warning: %d result(s) with an empty caption, scored as empty (0)%n",
                    empty);
        }
        print(CaptionScorer.score(references, candidates));
        return 0;
    }

    /** Prints scores as the options ask: a table, or JSON; with or without the per-image scores. */
    void print(CaptionScores scores) {
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            printJson(scores, out);
        } else {
            printTable(scores, out);
        }
        out.flush();
    }

    private void printTable(CaptionScores scores, PrintWriter out) {
        out.printf(Locale.ROOT, "%-8s %d%n", "images", scores.images());
        for (String metric : CaptionScores.METRICS) {
            out.printf(Locale.ROOT, "%-8s %.6f%n", metric, scores.corpus(metric));
        }
        if (perImage) {
            out.println();
            StringBuilder header = new StringBuilder(String.format(Locale.ROOT, "%-12s", "image_id"));
            CaptionScores.METRICS.forEach(m -> header.append(String.format(Locale.ROOT, " %9s", m)));
            out.println(header);
            scores.perImage().forEach((image, values) -> {
                StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%-12s", image));
                CaptionScores.METRICS.forEach(m -> row.append(String.format(Locale.ROOT, " %9.6f", values.get(m))));
                out.println(row);
            });
        }
    }

    private void printJson(CaptionScores scores, PrintWriter out) {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.writeStartObject();
            writeMetrics(g, scores.corpus());
            if (perImage) {
                g.writeObjectFieldStart("per_image");
                for (Map.Entry<String, Map<String, Double>> image : scores.perImage().entrySet()) {
                    g.writeObjectFieldStart(image.getKey());
                    writeMetrics(g, image.getValue());
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.println();
    }

    private static void writeMetrics(JsonGenerator g, Map<String, Double> values) throws IOException {
        for (String metric : CaptionScores.METRICS) {
            g.writeNumberField(metric, values.get(metric));
        }
    }
}

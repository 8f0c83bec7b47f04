package io.caption4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionDatasets;
import io.caption4j.data.Splits;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.decode.StepModel;
import io.caption4j.model.CaptionModel;
import io.caption4j.model.CaptionModels;
import io.caption4j.model.Captioner;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.model.CaptionerEnsemble;
import io.caption4j.model.clipcap.ClipCap;
import io.caption4j.model.clipcap.ClipCapConfig;
import io.caption4j.model.gpt2.Gpt2LanguageModel;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.model.io.SafeTensors;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.ImageInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ClipCap end to end on a few real photos: a tiny GPT-2 pretrained on their captions (saved in the Hugging Face
 * layout), then a mapping network trained against it, frozen, with the model directory reloaded and captioning.
 * Mechanics and determinism are checked, not quality.
 */
class ClipCapTrainingTest {
    @TempDir
    static Path dir;
    static CaptionDataset photos;
    /** 16 training, 4 validation and 4 test photos of {@link #photos}. */
    static Splits splits;
    static Path lm;
    static double perplexity;

    private static Path shared() {
        Path root = Path.of(System.getProperty("caption4j.shared", "../shared"));
        assertTrue(Files.isDirectory(root.resolve("data/flickr8k-1k")), "shared data missing: "
                + root.toAbsolutePath() + " (set -Dcaption4j.shared)");
        return root;
    }

    private static Path backbone() {
        return Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "mobilenetv2-tm/model.json");
    }

    @BeforeAll
    static void pretrainLanguageModel() throws Exception {
        CaptionDataset all = CaptionDatasets.read(shared().resolve("data/flickr8k-1k/captions.csv"),
                shared().resolve("data/flickr8k-1k/images"), Problems.silent());
        photos = all.subset(all.ids().subList(0, 24));
        splits = Splits.of(photos.ids().subList(0, 16), photos.ids().subList(16, 20), photos.ids().subList(20, 24));
        List<String> texts = new ArrayList<>();
        photos.forEach(item -> texts.addAll(item.captions()));
        lm = dir.resolve("lm");
        perplexity = LanguageModelPretraining.run(texts, new LanguageModelPretraining.Options(1, 32, 2, 40, 0f, null,
                1, 16, false, new TrainingOptions(6, 16, 1e-2, 5, 0, 1, 0f, 0, 3)), lm, System.out);
    }

    @Test
    void pretrainedLanguageModelIsAHuggingFaceFolderThatLearntTheText() {
        assertTrue(Files.isRegularFile(lm.resolve("config.json")));
        assertTrue(Files.isRegularFile(lm.resolve("tokenizer.json")));
        try (Gpt2LanguageModel loaded = Gpt2LanguageModel.load(lm)) {
            int vocabulary = loaded.config().vocabSize();
            assertTrue(vocabulary > 100, "word-level vocabulary of the captions: " + vocabulary);
            // 120 captions teach little, but the model must already beat guessing uniformly over its vocabulary
            assertTrue(perplexity < vocabulary * 0.75, "perplexity " + perplexity + " vs vocabulary " + vocabulary);
        }
    }

    @Test
    void trainsTheMappingAgainstAFrozenLanguageModelAndCaptionsFromItsDirectory() throws Exception {
        Path model = trainTransformerMapping("clipcap", 0);
        SafeTensors before = SafeTensors.open(lm.resolve(Gpt2LanguageModel.WEIGHTS));
        SafeTensors after = SafeTensors.open(model.resolve("lm").resolve(Gpt2LanguageModel.WEIGHTS));
        for (String name : before.entries().keySet()) {
            assertArrayEquals(before.floats(name), after.floats(name), 0f, "frozen language model changed: " + name);
        }
        CaptionDataset test = splits.apply(photos, Splits.Split.TEST);
        List<List<GeneratedCaption>> first = caption(model, test, 1);
        List<List<GeneratedCaption>> second = caption(model, test, 3);
        assertEquals(4, first.size());
        for (int i = 0; i < first.size(); i++) {
            GeneratedCaption greedy = first.get(i).get(0);
            assertTrue(greedy.words().size() <= 10);
            assertEquals(greedy.words().size(), greedy.wordProbabilities().length);
            assertTrue(second.get(i).get(0).logProbability() >= greedy.logProbability() - 1e-4,
                    "beam 3 finds at least the greedy caption's probability");
        }
        try (CaptionModel loaded = CaptionModels.load(model)) {
            assertFalse(loaded.attendsToRegions(), "a whole-image prefix has no regions to attend over");
            InputException tooLong = assertThrows(InputException.class, () -> loaded.caption(
                    CaptionSplits.fromImages(test, loaded, CaptionSplits.UNENCODED, Problems.silent(), null)
                            .images(), DecodingOptions.greedy(40), 4));
            assertTrue(tooLong.getMessage().contains("at most 34 tokens"), tooLong.getMessage());
        }
        assertEquals(first.stream().map(c -> c.get(0).text()).toList(),
                caption(model, test, 1).stream().map(c -> c.get(0).text()).toList(), "deterministic");
    }

    @Test
    void theTransformerMappingReadsTheRegionGridAndCaptionsFromItsDirectory() throws Exception {
        Path model = trainTransformerMapping("clipcap-regions", 1);
        ClipCapConfig saved = ModelDirectory.readJson(model.resolve("config.json"), ClipCapConfig.class);
        assertEquals(49, saved.regions(), "MobileNetV2's 7×7 grid");
        SafeTensors mapping = SafeTensors.open(model.resolve("mapping.safetensors"));
        String positions = mapping.entries().keySet().stream().filter(n -> n.contains("regionPositions"))
                .findFirst().orElseThrow(() -> new AssertionError("no region positions in " + mapping.entries()));
        assertEquals(49, mapping.entries().get(positions).shape()[0]);

        CaptionDataset test = splits.apply(photos, Splits.Split.TEST);
        try (CaptionModel loaded = CaptionModels.load(model)) {
            CaptionSplit split = CaptionSplits.fromImages(test, loaded, CaptionSplits.UNENCODED, Problems.silent(),
                    null);
            try (NDManager arrays = loaded.manager().newSubManager()) {
                assertEquals(new Shape(4, 49, 1280), split.images().batch(arrays, new int[] {0, 1, 2, 3}).getShape(),
                        "captioning feeds the regions, as training did");
            }
        }
        List<List<GeneratedCaption>> first = caption(model, test, 1);
        assertEquals(4, first.size());
        assertTrue(first.stream().allMatch(c -> c.get(0).words().size() <= 10));
        assertEquals(first.stream().map(c -> c.get(0).text()).toList(),
                caption(model, test, 1).stream().map(c -> c.get(0).text()).toList(), "deterministic");
    }

    @Test
    void trainsOnTheClipBackboneDeterministicallyAndReloadsIt() throws Exception {
        Path clip = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "tiny-clip");
        assertTrue(Files.isRegularFile(clip.resolve("model.safetensors")), "CLIP fixture missing: " + clip);
        CaptionDataset four = photos.subset(photos.ids().subList(0, 4));
        Splits fourSplits = Splits.of(four.ids().subList(0, 2), four.ids().subList(2, 3), four.ids().subList(3, 4));
        ClipCapConfig architecture = new ClipCapConfig(ClipCapConfig.MLP, 2, 8, 0, 0, 0, false, "", 0, 5, 0);
        List<Path> runs = new ArrayList<>();
        for (String name : List.of("clip-a", "clip-b")) {
            Path run = dir.resolve(name);
            List<EpochRecord> log = ClipCapTraining.run(four, fourSplits, architecture, lm,
                    new TrainingOptions(2, 2, 3e-3, 1, 0, 1, 0f, 0, 5), "CIDEr",
                    new CaptionerTraining.Backbone(clip, FrozenBackbone.AS_EXPORTED, dir.resolve("clip-cache")), run,
                    false, Problems.silent(),
                    System.out);
            assertEquals(2, log.size());
            runs.add(run.resolve(CaptionTrainer.MODEL));
        }
        Path model = runs.get(0);
        assertTrue(Files.isRegularFile(model.resolve("backbone/config.json")), "the backbone travels with the model");
        assertTrue(Files.isRegularFile(model.resolve("backbone/model.safetensors")));
        SafeTensors a = SafeTensors.open(model.resolve("mapping.safetensors"));
        SafeTensors b = SafeTensors.open(runs.get(1).resolve("mapping.safetensors"));
        assertEquals(a.entries().keySet(), b.entries().keySet());
        boolean takesTheEmbedding = false;
        for (String name : a.entries().keySet()) {
            assertArrayEquals(a.floats(name), b.floats(name), 0f, "same seed, same mapping: " + name);
            takesTheEmbedding |= java.util.Arrays.stream(a.entries().get(name).shape()).anyMatch(d -> d == 24);
        }
        assertTrue(takesTheEmbedding, "the mapping reads CLIP's 24-d image embedding");
        try (CaptionModel loaded = CaptionModels.load(model); FrozenBackbone backbone = FrozenBackbone.clip(clip)) {
            assertEquals(32, loaded.preprocessor().size(), "CLIP's own preprocessing, at the tower's image size");
            assertEquals(backbone.encoder().preprocessor().identity(), loaded.preprocessor().identity());
        }
        CaptionDataset test = fourSplits.apply(four, Splits.Split.TEST);
        List<List<GeneratedCaption>> first = caption(model, test, 1);
        assertEquals(1, first.size());
        assertTrue(first.get(0).get(0).words().size() <= 10, "the helper decodes at most 10 words");
        assertEquals(first.get(0).get(0).text(), caption(runs.get(1), test, 1).get(0).get(0).text(), "deterministic");
    }

    @Test
    void framesCaptionsWithEndOfTextAndRefusesTooLongGenerations() {
        try (FrozenBackbone backbone = FrozenBackbone.mobileNetV2(backbone());
                ClipCap clipCap = ClipCap.create(new ClipCapConfig(ClipCapConfig.MLP, 4, 1280, 0, 0, 0, false,
                        backbone.encoder().identity(), 224, 10, 0), lm, backbone, 1)) {
            int[] framed = clipCap.encode("A dog runs.");
            assertEquals(5, framed.length, "end-of-text, a, dog, runs, end-of-text");
            assertEquals(0, framed[0]);
            assertEquals(0, framed[4]);
        }
        FrozenBackbone backbone = FrozenBackbone.mobileNetV2(backbone());
        InputException tooLong = assertThrows(InputException.class, () -> ClipCap.create(new ClipCapConfig(
                ClipCapConfig.MLP, 30, 1280, 0, 0, 0, false, "", 224, 10, 0), lm, backbone, 1));
        backbone.close();
        assertTrue(tooLong.getMessage().contains("n_positions 40"), tooLong.getMessage());
    }

    /**
     * The Transformer mapping's constant queries start N(0, 1), as torch.randn in ClipCap's code. An initialiser set
     * for all of the mapping's weights used to overwrite theirs (with Xavier's, a spread of about 0.28 here).
     */
    @Test
    void theMappingsConstantQueriesStartAsStandardNormals() {
        FrozenBackbone backbone = FrozenBackbone.mobileNetV2(backbone());
        try (ClipCap clipCap = ClipCap.create(new ClipCapConfig(ClipCapConfig.TRANSFORMER, 20, 1280, 4, 1, 2, false,
                backbone.encoder().identity(), 224, 10, 0), lm, backbone, 1)) {
            NDArray queries = clipCap.network().getParameters().stream()
                    .filter(p -> p.getKey().endsWith("queries")).findFirst().orElseThrow().getValue().getArray();
            assertEquals(new Shape(20, 32), queries.getShape());
            double std = Math.sqrt(queries.square().mean().getFloat());
            assertTrue(std > 0.85 && std < 1.15, "N(0, 1): standard deviation " + std);
        }
    }

    @Test
    void clipCapModelsOverOneLanguageModelDecodeAsAnEnsemble() {
        try (ClipCap one = untrained(1); ClipCap two = untrained(2);
                CaptionerEnsemble ensemble = new CaptionerEnsemble(List.of(untrained(1), untrained(2)),
                        List.of("one", "two"));
                NDManager m = NDManager.newBaseManager()) {
            NDArray embeddings = m.randomUniform(0, 1, new Shape(2, 1280));
            NDList joint = ensemble.start(embeddings);
            NDList first = one.start(embeddings);
            NDList second = two.start(embeddings);
            NDArray tokens = m.create(new long[] {one.startToken(), one.startToken()});
            // the first step hands out what start computed, the second runs the language model: states change size
            for (int step = 0; step < 2; step++) {
                StepModel.Step together = ensemble.step(tokens, joint);
                StepModel.Step alone1 = one.step(tokens, first);
                StepModel.Step alone2 = two.step(tokens, second);
                float[] expected = alone1.logProbs().exp().add(alone2.logProbs().exp()).div(2).toFloatArray();
                assertArrayEquals(expected, together.logProbs().exp().toFloatArray(), 1e-6f, "step " + step);
                assertNull(together.attention(), "a prefix model has no region attention");
                assertEquals(alone1.state().size() + alone2.state().size(), together.state().size());
                joint = together.state();
                first = alone1.state();
                second = alone2.state();
                tokens = m.create(new long[] {5, 7});
            }
        }
    }

    @Test
    void anEnsembleOfOneClipCapTwiceCaptionsLikeItAndOtherKindsAreRefused() {
        try (ClipCap single = untrained(3);
                CaptionerEnsemble twice = new CaptionerEnsemble(List.of(untrained(3), untrained(3)),
                        List.of("a", "b"));
                NDManager m = NDManager.newBaseManager()) {
            ImageInputs inputs = ImageInputs.of(m.randomUniform(0, 1, new Shape(3, 1280)));
            for (DecodingOptions options : List.of(DecodingOptions.greedy(6), DecodingOptions.beam(3, 6))) {
                List<List<GeneratedCaption>> expected = single.caption(inputs, options, 2);
                List<List<GeneratedCaption>> actual = twice.caption(inputs, options, 2);
                for (int i = 0; i < expected.size(); i++) {
                    assertEquals(expected.get(i).get(0).text(), actual.get(i).get(0).text());
                    assertArrayEquals(expected.get(i).get(0).wordProbabilities(),
                            actual.get(i).get(0).wordProbabilities(), 1e-5f);
                }
            }
            InputException tooLong = assertThrows(InputException.class,
                    () -> twice.caption(inputs, DecodingOptions.greedy(40), 2));
            assertTrue(tooLong.getMessage().contains("at most 34 tokens"), tooLong.getMessage());
        }
        ClipCap clipCap = untrained(1);
        Vocabulary words = Vocabulary.build(List.of(List.of("a", "dog")), 1);
        Captioner gru = Captioner.create(new CaptionerConfig(CaptionerConfig.SMALL_CNN, "pixels", 16, 8, words.size(),
                8, 16, 8, 0f, "pooled", 6, false), words, 1);
        try {
            InputException mixed = assertThrows(InputException.class,
                    () -> new CaptionerEnsemble(List.of(clipCap, gru), List.of("runs/clipcap", "runs/gru")));
            assertTrue(mixed.getMessage().startsWith("runs/gru: its vocabulary differs"), mixed.getMessage());
        } finally {
            clipCap.close();
            gru.close();
        }
    }

    /** A ClipCap over the test's language model with a freshly initialised MLP mapping (deterministic per seed). */
    private static ClipCap untrained(long seed) {
        FrozenBackbone backbone = FrozenBackbone.mobileNetV2(backbone());
        try {
            return ClipCap.create(new ClipCapConfig(ClipCapConfig.MLP, 4, 1280, 0, 0, 0, false,
                    backbone.encoder().identity(), 224, 10, 0), lm, backbone, seed);
        } catch (RuntimeException e) {
            backbone.close();
            throw e;
        }
    }

    /**
     * Three epochs of a one-layer Transformer mapping against the frozen language model; the training loss must fall.
     *
     * @param regions 0: the pooled embedding; 1: the backbone's region grid
     * @return the model directory
     */
    private static Path trainTransformerMapping(String name, int regions) throws IOException {
        ClipCapConfig architecture = new ClipCapConfig(ClipCapConfig.TRANSFORMER, 4, 1, 3, 1, 2, false, "", 0, 10,
                regions);
        Path run = dir.resolve(name);
        List<EpochRecord> log = ClipCapTraining.run(photos, splits, architecture, lm,
                new TrainingOptions(3, 16, 3e-3, 2, 0, 1, 0f, 0, 5), "CIDEr",
                new CaptionerTraining.Backbone(backbone(), FrozenBackbone.AS_EXPORTED, dir.resolve("cache")), run, false,
                Problems.silent(),
                System.out);
        assertEquals(3, log.size());
        assertTrue(log.get(2).trainLoss() < log.get(0).trainLoss(), "training loss should fall: " + log);
        return run.resolve(CaptionTrainer.MODEL);
    }

    private static List<List<GeneratedCaption>> caption(Path model, CaptionDataset items, int beam) {
        try (CaptionModel captioner = CaptionModels.load(model)) {
            CaptionSplit split = CaptionSplits.fromImages(items, captioner, CaptionSplits.UNENCODED,
                    Problems.silent(), null);
            return captioner.caption(split.images(), new DecodingOptions(beam, 10, 0, 0, 1), 4);
        }
    }
}

package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

class ClipCapCommandsTest {
    @ParameterizedTest(name = "packed: {0}")
    @ValueSource(booleans = {false, true})
    void pretrainLmWritesAHuggingFaceFolderFromATextFile(boolean packed, @TempDir Path dir) throws Exception {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add(i % 2 == 0 ? "A dog runs on the grass number " + i + "." : "Two children play on the beach.");
        }
        Path text = Files.write(dir.resolve("captions.txt"), lines);
        List<String> args = new ArrayList<>(List.of("pretrain-lm", "--text", text.toString(), "--out",
                dir.resolve("lm").toString(), "--layers", "1", "--width", "16", "--heads", "2", "--epochs", "3",
                "--batch-size", packed ? "4" : "16", "--lr", "0.01", "--warmup", "2"));
        if (packed) {
            args.add("--pack");
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.err());
        assertEquals(packed, run.out().contains("training sequences of packed texts"), run.out());
        for (String file : List.of("config.json", "model.safetensors", "tokenizer.json")) {
            assertTrue(Files.isRegularFile(dir.resolve("lm").resolve(file)), file);
        }
        assertTrue(Files.readString(dir.resolve("lm/config.json")).contains("\"model_type\" : \"gpt2\""));
        double perplexity = Double.parseDouble(run.out().replaceAll("(?s).*validation perplexity ([0-9.]+);.*", "$1"));
        assertTrue(perplexity < 20, "two sentence patterns are nearly certain: " + perplexity);
    }

    @Test
    void tooLittleTextIsOneErrorLine(@TempDir Path dir) throws Exception {
        Path text = Files.write(dir.resolve("captions.txt"), List.of("a dog", "a cat"));
        CliRun run = CliRun.of("pretrain-lm", "--text", text.toString(), "--out", dir.resolve("lm").toString());
        assertEquals(1, run.exitCode());
        assertEquals("error: language-model pretraining needs at least 50 texts, got 2", run.err().strip());
        assertTrue(Files.notExists(dir.resolve("lm")), "nothing half-written");
    }

    @Test
    void repeatedTextFilesAreJoined(@TempDir Path dir) throws Exception {
        List<String> dogs = new ArrayList<>();
        List<String> children = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            dogs.add("A dog runs on the grass number " + i + ".");
            children.add("Two children play on the beach.");
        }
        Path one = Files.write(dir.resolve("one.txt"), dogs);
        Path two = Files.write(dir.resolve("two.txt"), children);
        String[] tiny = {"--layers", "1", "--width", "16", "--heads", "2", "--epochs", "1", "--batch-size", "16"};
        CliRun alone = CliRun.of(concat(new String[] {"pretrain-lm", "--text", one.toString(), "--out",
            dir.resolve("lm1").toString()}, tiny));
        assertEquals("error: language-model pretraining needs at least 50 texts, got 30", alone.err().strip());
        CliRun both = CliRun.of(concat(new String[] {"pretrain-lm", "--text", one.toString(), "--text",
            two.toString(), "--out", dir.resolve("lm2").toString()}, tiny));
        assertEquals(0, both.exitCode(), both.err());
        assertTrue(Files.readString(dir.resolve("lm2/tokenizer.json")).contains("\"children\""),
                "the second file's words are in the vocabulary");
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void clipEncoderNeedsAClipFolder(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("model.json"), "{}");
        CliRun run = CliRun.of("train", "--encoder", "clip", "--backbone", file.toString(), "--synthetic", "20",
                "--out", dir.resolve("run").toString());
        assertEquals(1, run.exitCode());
        assertEquals("error: --encoder clip needs --backbone a Hugging Face CLIP folder, got " + file,
                run.err().strip());
    }

    @Test
    void clipCapTrainingNeedsALanguageModel(@TempDir Path dir) {
        CliRun run = CliRun.of("train", "--model-type", "clipcap", "--synthetic", "20", "--out", dir.toString());
        assertEquals(1, run.exitCode());
        assertEquals("error: --model-type clipcap needs --lm LM_DIR (a GPT-2 folder; see pretrain-lm)",
                run.err().strip());
    }

    @Test
    void onlyTheTransformerMappingReadsRegions(@TempDir Path dir) {
        CliRun run = CliRun.of("train", "--model-type", "clipcap", "--lm", dir.resolve("lm").toString(),
                "--backbone", dir.resolve("model.json").toString(), "--mapping", "mlp", "--mapping-input", "regions",
                "--synthetic", "20", "--out", dir.resolve("run").toString());
        assertEquals(1, run.exitCode());
        assertEquals("error: --mapping-input regions needs --mapping transformer (the MLP reads one vector)",
                run.err().strip());
        CliRun unknown = CliRun.of("train", "--model-type", "clipcap", "--lm", dir.resolve("lm").toString(),
                "--backbone", dir.resolve("model.json").toString(), "--mapping-input", "grid",
                "--synthetic", "20", "--out", dir.resolve("run").toString());
        assertEquals(1, unknown.exitCode());
        assertEquals("error: --mapping-input must be pooled or regions, got grid", unknown.err().strip());
    }
}

package io.caption4j.model.gpt2;

import static io.caption4j.testing.ReferenceValues.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.model.io.SafeTensors;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoint variants real GPT-2 files come in, and files that must be refused with a clear message. */
class Gpt2LoaderTest {
    private static final long[] IDS = {51, 21, 49, 20, 90, 11, 68, 45, 97, 48};

    private static Map<String, long[]> shapes;
    private static Map<String, float[]> values;
    private static float[] fixtureLogits;

    @TempDir
    Path dir;

    @BeforeAll
    static void readFixture() {
        SafeTensors fixture = SafeTensors.open(Gpt2Fixtures.tinyGpt2().resolve(Gpt2LanguageModel.WEIGHTS));
        shapes = new LinkedHashMap<>();
        values = new LinkedHashMap<>();
        fixture.entries().forEach((name, entry) -> {
            shapes.put(name, entry.shape());
            values.put(name, fixture.floats(name));
        });
        assertTrue(shapes.containsKey("transformer.h.0.attn.c_attn.weight"), "fixture uses the transformer. prefix");
        fixtureLogits = logits(Gpt2Fixtures.tinyGpt2());
    }

    @Test
    void namesWithoutPrefixAndMaskBuffersLoadIdentically() throws IOException {
        Map<String, long[]> bareShapes = new LinkedHashMap<>();
        Map<String, float[]> bareValues = new LinkedHashMap<>();
        shapes.forEach((name, shape) -> {
            String bare = name.substring("transformer.".length());
            bareShapes.put(bare, shape);
            bareValues.put(bare, values.get(name));
        });
        for (int layer = 0; layer < 2; layer++) { // as in openai-community/gpt2: causal-mask buffers
            bareShapes.put("h." + layer + ".attn.bias", new long[] {1, 1, 40, 40});
            bareValues.put("h." + layer + ".attn.bias", new float[40 * 40]);
            bareShapes.put("h." + layer + ".attn.masked_bias", new long[] {});
            bareValues.put("h." + layer + ".attn.masked_bias", new float[] {-1e4f});
        }
        Path model = checkpoint(bareShapes, bareValues);
        assertArrayEquals(fixtureLogits, logits(model));
    }

    @Test
    void bf16WeightsAreConvertedOnLoad() throws IOException {
        Map<String, float[]> rounded = new LinkedHashMap<>();
        values.forEach((name, v) -> rounded.put(name, toBf16AndBack(v)));
        Path bf16 = Files.createDirectories(dir.resolve("bf16"));
        copyConfig(bf16);
        writeBf16(bf16.resolve(Gpt2LanguageModel.WEIGHTS), rounded);
        Path f32 = checkpoint(shapes, rounded);
        float[] fromBf16 = logits(bf16);
        assertArrayEquals(logits(f32), fromBf16);
        // rounding weights to 8 significant bits moves the logits, but not far
        double diff = maxAbsDiff(fixtureLogits, fromBf16);
        assertTrue(diff > 0 && diff < 0.1, "bf16 vs f32 logits " + diff);
    }

    @Test
    void truncatedFileIsAnInputError() throws IOException {
        Path model = checkpoint(shapes, values);
        Path file = model.resolve(Gpt2LanguageModel.WEIGHTS);
        byte[] bytes = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(bytes, bytes.length - 1000));
        InputException e = assertThrows(InputException.class, () -> Gpt2LanguageModel.load(model));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void missingTensorIsNamed() throws IOException {
        Map<String, float[]> fewer = new LinkedHashMap<>(values);
        fewer.remove("transformer.h.1.mlp.c_fc.bias");
        InputException e = assertThrows(InputException.class, () -> Gpt2LanguageModel.load(checkpoint(shapes, fewer)));
        assertTrue(e.getMessage().contains("has no tensor 'transformer.h.1.mlp.c_fc.bias'"), e.getMessage());
    }

    @Test
    void misShapedTensorIsNamedBeforeAnythingIsAllocated() throws IOException {
        // a Linear-style [out, in] weight where GPT-2's Conv1D stores [in, out]
        Map<String, long[]> transposed = new LinkedHashMap<>(shapes);
        transposed.put("transformer.h.0.attn.c_attn.weight", new long[] {144, 48});
        InputException e = assertThrows(InputException.class,
                () -> Gpt2LanguageModel.load(checkpoint(transposed, values)));
        assertTrue(e.getMessage().contains("tensor 'transformer.h.0.attn.c_attn.weight' has shape [144, 48],"
                + " config.json needs [48, 144]"), e.getMessage());
    }

    @Test
    void unsupportedActivationIsRefused() throws IOException {
        Path model = checkpoint(shapes, values);
        ObjectNode config = (ObjectNode) new ObjectMapper().readTree(model.resolve("config.json").toFile());
        config.put("activation_function", "relu");
        Files.writeString(model.resolve("config.json"), config.toString());
        InputException e = assertThrows(InputException.class, () -> Gpt2LanguageModel.load(model));
        assertTrue(e.getMessage().contains("activation_function 'relu' is not supported"), e.getMessage());
    }

    private static float[] logits(Path model) {
        try (Gpt2LanguageModel lm = Gpt2LanguageModel.load(model); NDManager m = NDManager.newBaseManager()) {
            return lm.logits(m.create(IDS).reshape(1, IDS.length)).toFloatArray();
        }
    }

    private Path checkpoint(Map<String, long[]> tensorShapes, Map<String, float[]> tensorValues) throws IOException {
        Path model = Files.createTempDirectory(dir, "gpt2");
        copyConfig(model);
        SafeTensors.write(model.resolve(Gpt2LanguageModel.WEIGHTS), tensorShapes, tensorValues, Map.of());
        return model;
    }

    private static void copyConfig(Path model) throws IOException {
        Files.copy(Gpt2Fixtures.tinyGpt2().resolve(Gpt2LanguageModel.CONFIG), model.resolve(Gpt2LanguageModel.CONFIG),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static float[] toBf16AndBack(float[] v) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Float.intBitsToFloat(bf16(v[i]) << 16);
        }
        return out;
    }

    /** float32 → bfloat16 bits, rounding to nearest even (finite values). */
    private static int bf16(float f) {
        int bits = Float.floatToIntBits(f);
        return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
    }

    /** A safetensors file with every tensor stored as BF16 (SafeTensors.write writes F32 only). */
    private static void writeBf16(Path file, Map<String, float[]> tensors) throws IOException {
        ObjectMapper json = new ObjectMapper();
        ObjectNode header = json.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, float[]> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "BF16");
            t.set("shape", json.valueToTree(shapes.get(e.getKey())));
            t.putArray("data_offsets").add(offset).add(offset + 2L * e.getValue().length);
            offset += 2L * e.getValue().length;
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + headerBytes.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(headerBytes.length).put(headerBytes);
        for (float[] v : tensors.values()) {
            for (float f : v) {
                out.putShort((short) bf16(f));
            }
        }
        Files.write(file, out.array());
        assertEquals("BF16", SafeTensors.open(file).entry("transformer.wte.weight").dtype());
    }
}

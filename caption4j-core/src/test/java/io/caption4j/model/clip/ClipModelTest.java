package io.caption4j.model.clip;

import static io.caption4j.testing.ReferenceValues.floats;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny random CLIP against Hugging Face transformers' outputs, and checkpoints that must load or be refused. */
class ClipModelTest {
    private static final double TOLERANCE = 1e-4;
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path fixture;
    private static JsonNode expected;
    private static ClipModel clip;
    private static NDManager manager;
    private static NDArray pixels;
    private static NDArray ids;
    private static Map<String, long[]> shapes;
    private static Map<String, float[]> values;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        fixture = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "tiny-clip");
        assertTrue(Files.isRegularFile(fixture.resolve("expected.json")),
                "CLIP fixture missing: " + fixture.toAbsolutePath() + " (set -Dcaption4j.fixtures=...)");
        expected = JSON.readTree(fixture.resolve("expected.json").toFile());
        SafeTensors file = SafeTensors.open(fixture.resolve(ClipModel.WEIGHTS));
        shapes = new LinkedHashMap<>();
        values = new LinkedHashMap<>();
        file.entries().forEach((name, entry) -> {
            shapes.put(name, entry.shape());
            values.put(name, file.floats(name));
        });
        clip = ClipModel.load(fixture);
        manager = NDManager.newBaseManager();
        pixels = manager.create(floats(expected.get("pixel_values")), new Shape(3, 3, 32, 32));
        ids = manager.create(longs(expected.get("input_ids")), new Shape(4, 16));
    }

    @AfterAll
    static void close() {
        manager.close();
        clip.close();
    }

    @Test
    void parametersAreTheCheckpointsTensors() {
        assertEquals(shapes.keySet(), clip.namedParameters().keySet());
        clip.namedParameters().forEach((name, p) -> assertArrayEquals(shapes.get(name), p.getShape().getShape(), name));
        assertEquals(new ClipConfig.Vision(new ClipConfig.Encoder(32, 64, 2, 4, ClipConfig.Activation.QUICK_GELU,
                1e-5), 32, 8, 3), clip.config().vision());
    }

    @Test
    void pooledOutputsMatchTheReference() {
        assertClose("vision_pooled_output", new Shape(3, 32), clip.visionPooledOutput(pixels));
        assertClose("text_pooled_output", new Shape(4, 32), clip.textPooledOutput(ids));
    }

    @Test
    void embeddingsMatchTheReference() {
        NDArray images = clip.imageEmbeds(pixels);
        NDArray texts = clip.textEmbeds(ids);
        assertClose("image_embeds", new Shape(3, 24), images);
        assertClose("text_embeds", new Shape(4, 24), texts);
        assertClose("image_embeds_normalized", new Shape(3, 24), ClipModel.normalize(images));
        assertClose("text_embeds_normalized", new Shape(4, 24), ClipModel.normalize(texts));
    }

    @Test
    void logitsMatchTheReference() {
        assertEquals(expected.get("logit_scale").asDouble(), clip.logitScale(), 1e-7);
        NDArray logits = clip.logits(clip.imageEmbeds(pixels), clip.textEmbeds(ids));
        assertClose("logits_per_image", new Shape(3, 4), logits);
        assertClose("logits_per_text", new Shape(4, 3), logits.transpose());
    }

    @Test
    void textIsPooledAtTheFirstEndOfTextToken() {
        assertEquals(98, clip.config().text().eosTokenId());
        assertArrayEquals(longs(expected.get("eos_positions")),
                ClipTextTransformer.eosPositions(ids, 98).toLongArray());
        NDArray twoEos = manager.create(new long[] {97, 5, 98, 7, 98, 0}, new Shape(1, 6));
        assertArrayEquals(new long[] {2}, ClipTextTransformer.eosPositions(twoEos, 98).toLongArray());
        NDArray noEos = manager.create(new long[] {97, 5, 7, 0}, new Shape(1, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClipTextTransformer.eosPositions(noEos, 98));
        assertTrue(e.getMessage().contains("row 0 has no end-of-text token (id 98)"), e.getMessage());
    }

    @Test
    void legacyEosTokenIdTwoMeansTheLargestId() {
        // openai/clip-vit-base-patch32's config says eos_token_id 2; its end-of-text token is 49407, the largest id
        NDArray rows = manager.create(new long[] {49406, 2, 320, 49407, 0, 0, 49406, 2, 49407, 2, 49407, 0},
                new Shape(2, 6));
        assertArrayEquals(new long[] {3, 2}, ClipTextTransformer.eosPositions(rows, 2).toLongArray());
    }

    @Test
    void positionIdsBuffersAreIgnored() throws IOException {
        Path model = Files.createDirectories(dir.resolve("with-position-ids"));
        Files.copy(fixture.resolve(ClipModel.CONFIG), model.resolve(ClipModel.CONFIG));
        writeWithPositionIds(model.resolve(ClipModel.WEIGHTS));
        SafeTensors written = SafeTensors.open(model.resolve(ClipModel.WEIGHTS));
        assertEquals("I64", written.entry("text_model.embeddings.position_ids").dtype());
        assertEquals("I64", written.entry("vision_model.embeddings.position_ids").dtype());
        try (ClipModel loaded = ClipModel.load(model)) {
            assertArrayEquals(clip.imageEmbeds(pixels).toFloatArray(), loaded.imageEmbeds(pixels).toFloatArray());
            assertArrayEquals(clip.textEmbeds(ids).toFloatArray(), loaded.textEmbeds(ids).toFloatArray());
        }
    }

    @Test
    void missingTensorIsNamedWithTheFile() throws IOException {
        Map<String, float[]> fewer = new LinkedHashMap<>(values);
        fewer.remove("vision_model.encoder.layers.1.mlp.fc1.bias");
        Path model = checkpoint(shapes, fewer);
        InputException e = assertThrows(InputException.class, () -> ClipModel.load(model));
        assertEquals(model.resolve(ClipModel.WEIGHTS) + ": has no tensor 'vision_model.encoder.layers.1.mlp.fc1.bias'"
                + " (needed by config.json)", e.getMessage());
    }

    @Test
    void misShapedTensorIsNamedWithTheFile() throws IOException {
        Map<String, long[]> transposed = new LinkedHashMap<>(shapes);
        transposed.put("text_projection.weight", new long[] {32, 24});
        Path model = checkpoint(transposed, values);
        InputException e = assertThrows(InputException.class, () -> ClipModel.load(model));
        assertEquals(model.resolve(ClipModel.WEIGHTS) + ": tensor 'text_projection.weight' has shape [32, 24],"
                + " config.json needs [24, 32]", e.getMessage());
    }

    @Test
    void unexpectedTensorIsRefused() throws IOException {
        Map<String, long[]> moreShapes = new LinkedHashMap<>(shapes);
        Map<String, float[]> more = new LinkedHashMap<>(values);
        moreShapes.put("text_model.encoder.layers.2.mlp.fc1.bias", new long[] {64});
        more.put("text_model.encoder.layers.2.mlp.fc1.bias", new float[64]);
        Path model = checkpoint(moreShapes, more);
        InputException e = assertThrows(InputException.class, () -> ClipModel.load(model));
        assertTrue(e.getMessage().startsWith(model.resolve(ClipModel.WEIGHTS) + ": unexpected tensor "
                + "'text_model.encoder.layers.2.mlp.fc1.bias'"), e.getMessage());
    }

    @Test
    void missingConfigFieldsTakeHuggingFacesDefaults() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"text_config\": {\"eos_token_id\": 2}, \"text_config_dict\": {\"hidden_size\": 64,"
                + " \"hidden_act\": \"gelu\"}, \"vision_config\": {\"patch_size\": 16}}");
        ClipConfig config = ClipConfig.read(file);
        assertEquals(512, config.projectionDim());
        assertEquals(new ClipConfig.Text(new ClipConfig.Encoder(64, 2048, 12, 8, ClipConfig.Activation.GELU, 1e-5),
                49408, 77, 2), config.text());
        assertEquals(new ClipConfig.Vision(new ClipConfig.Encoder(768, 3072, 12, 12,
                ClipConfig.Activation.QUICK_GELU, 1e-5), 224, 16, 3), config.vision());
        assertEquals(197, config.vision().positions());
    }

    @Test
    void unsupportedActivationIsRefused() throws IOException {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"vision_config\": {\"hidden_act\": \"relu\"}}");
        InputException e = assertThrows(InputException.class, () -> ClipConfig.read(file));
        assertEquals(file + ": vision_config.hidden_act 'relu' is not supported (quick_gelu or gelu)", e.getMessage());
    }

    @Test
    void activationsAreQuickGeluAndExactGelu() {
        float[] x = {-3, -1, 0, 0.5f, 1, 2};
        float[] quick = ClipConfig.Activation.QUICK_GELU.apply(manager.create(x)).toFloatArray();
        float[] gelu = ClipConfig.Activation.GELU.apply(manager.create(x)).toFloatArray();
        // x·Φ(x), Φ the standard normal CDF (values from scipy.stats.norm.cdf)
        double[] phi = {0.0013498980316301, 0.15865525393145707, 0.5, 0.6914624612740131, 0.8413447460685429,
                0.9772498680518208};
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] / (1 + Math.exp(-1.702 * x[i])), quick[i], 1e-6, "quick_gelu(" + x[i] + ")");
            assertEquals(x[i] * phi[i], gelu[i], 1e-6, "gelu(" + x[i] + ")");
        }
    }

    private static void assertClose(String key, Shape shape, NDArray actual) {
        assertEquals(shape, actual.getShape(), key);
        float[] reference = floats(expected.get(key));
        float[] values = actual.toFloatArray();
        assertEquals(reference.length, values.length, key);
        double max = 0;
        for (int i = 0; i < values.length; i++) {
            max = Math.max(max, Math.abs((double) reference[i] - values[i]));
        }
        assertTrue(max < TOLERANCE, key + ": max |diff| " + max);
    }

    /** The fixture's config with these tensors (F32). */
    private Path checkpoint(Map<String, long[]> tensorShapes, Map<String, float[]> tensorValues) throws IOException {
        Path model = Files.createTempDirectory(dir, "clip");
        Files.copy(fixture.resolve(ClipModel.CONFIG), model.resolve(ClipModel.CONFIG));
        SafeTensors.write(model.resolve(ClipModel.WEIGHTS), tensorShapes, tensorValues, Map.of());
        return model;
    }

    /**
     * The fixture's tensors (F32) plus int64 position_ids buffers [1, positions] as some conversions carry them;
     * written by hand because {@link SafeTensors#write} writes F32 only.
     */
    private static void writeWithPositionIds(Path out) throws IOException {
        Map<String, Long> positionIds = Map.of("text_model.embeddings.position_ids", 16L,
                "vision_model.embeddings.position_ids", 17L);
        ObjectNode header = JSON.createObjectNode();
        long offset = 0;
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            offset = describe(header, e.getKey(), "F32", shapes.get(e.getKey()), offset, 4L * e.getValue().length);
        }
        for (Map.Entry<String, Long> e : positionIds.entrySet()) {
            offset = describe(header, e.getKey(), "I64", new long[] {1, e.getValue()}, offset, 8L * e.getValue());
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer bytes = ByteBuffer.allocate(8 + headerBytes.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        bytes.putLong(headerBytes.length).put(headerBytes);
        values.values().forEach(v -> {
            for (float f : v) {
                bytes.putFloat(f);
            }
        });
        positionIds.values().forEach(n -> {
            for (long i = 0; i < n; i++) {
                bytes.putLong(i);
            }
        });
        Files.write(out, bytes.array());
    }

    private static long describe(ObjectNode header, String name, String dtype, long[] shape, long offset, long length) {
        ObjectNode t = header.putObject(name);
        t.put("dtype", dtype);
        t.set("shape", JSON.valueToTree(shape));
        t.putArray("data_offsets").add(offset).add(offset + length);
        return offset + length;
    }

    private static long[] longs(JsonNode node) {
        float[] values = floats(node);
        long[] out = new long[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (long) values[i];
        }
        return out;
    }
}

package io.caption4j.vision.tfjs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.util.InputException;
import io.caption4j.vision.Fixtures;
import io.caption4j.vision.MobileNetV2;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TfjsLayersModelTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    @Test
    void readsTheTeachableMachineExport() throws Exception {
        Path dir = Fixtures.mobileNetDir();
        TfjsLayersModel model = TfjsLayersModel.load(dir.resolve("model.json"));
        assertEquals(263, model.weights().size());
        assertEquals(538808, model.weights().values().stream().mapToLong(TfjsWeight::size).sum());
        TfjsWeight kernel = model.weights().get("Conv1/kernel");
        assertArrayEquals(new long[] {3, 3, 3, 16}, kernel.shape());
        assertEquals(Float.intBitsToFloat(readIntLe(dir.resolve("weights.bin"), 0)), kernel.values()[0]);
        assertEquals("model2", model.layer("out_relu").container());
        assertEquals(List.of("block_1_project_BN", "block_2_project_BN"), model.layer("block_2_add").inbound());
        assertEquals(List.of("dense_Dense3"), model.layer("dense_Dense4").inbound());
        assertEquals("sequential_7", model.layer("dense_Dense4").container());
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(Files.readAllBytes(dir.resolve("model.json")));
        sha.update(Files.readAllBytes(dir.resolve("weights.bin")));
        assertEquals(HexFormat.of().formatHex(sha.digest()), model.sha256());
    }

    @Test
    void refusesAShardShorterThanTheManifest() throws IOException {
        Path json = copyFixture();
        byte[] bin = Files.readAllBytes(tmp.resolve("weights.bin"));
        Files.write(tmp.resolve("weights.bin"), java.util.Arrays.copyOf(bin, bin.length - 4));
        InputException e = assertThrows(InputException.class, () -> TfjsLayersModel.load(json));
        assertEquals(json + ": the weights manifest describes 2155232 bytes but weights.bin hold 2155228 bytes "
                + "(too short)", e.getMessage());
    }

    @Test
    void refusesAShardLongerThanTheManifest() throws IOException {
        Path json = copyFixture();
        Files.write(tmp.resolve("weights.bin"), new byte[8], StandardOpenOption.APPEND);
        InputException e = assertThrows(InputException.class, () -> TfjsLayersModel.load(json));
        assertTrue(e.getMessage().endsWith("hold 2155240 bytes (too long)"), e.getMessage());
    }

    @Test
    void refusesAMissingShard() throws IOException {
        Path json = copyFixture();
        Files.delete(tmp.resolve("weights.bin"));
        InputException e = assertThrows(InputException.class, () -> TfjsLayersModel.load(json));
        assertEquals(json + ": weight shard " + tmp.resolve("weights.bin") + " does not exist", e.getMessage());
    }

    @Test
    void refusesMalformedJsonNamingTheLine() throws IOException {
        Path json = tmp.resolve("model.json");
        Files.writeString(json, "{\n  \"modelTopology\": {\n  \"x\": ]\n}");
        InputException e = assertThrows(InputException.class, () -> TfjsLayersModel.load(json));
        assertTrue(e.getMessage().startsWith(json + ":3: malformed JSON: "), e.getMessage());
    }

    @Test
    void refusesUnsupportedDtypeAndQuantization() throws IOException {
        Path json = copyFixture();
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        ObjectNode first = (ObjectNode) root.at("/weightsManifest/0/weights/0");
        first.put("dtype", "int32");
        JSON.writeValue(json.toFile(), root);
        assertEquals(json + ": weight 'Conv1/kernel' has dtype 'int32'; only float32 weights are supported",
                assertThrows(InputException.class, () -> TfjsLayersModel.load(json)).getMessage());
        first.put("dtype", "float32");
        first.putObject("quantization").put("dtype", "float16");
        JSON.writeValue(json.toFile(), root);
        assertEquals(json + ": weight 'Conv1/kernel' uses quantization to 'float16'; only uint8 and uint16 "
                + "quantization are supported",
                assertThrows(InputException.class, () -> TfjsLayersModel.load(json)).getMessage());
    }

    @Test
    void dequantizesUint8AndUint16Weights() throws IOException {
        Path json = tmp.resolve("model.json");
        Files.writeString(json, """
                {"modelTopology": {"class_name": "Sequential", "config": {"name": "s", "layers": [
                   {"class_name": "Dense", "config": {"name": "d", "units": 2}}]}},
                 "weightsManifest": [{"paths": ["a.bin", "b.bin"], "weights": [
                   {"name": "d/kernel", "shape": [2, 2], "dtype": "float32",
                    "quantization": {"dtype": "uint8", "min": -1.0, "scale": 0.5}},
                   {"name": "d/bias", "shape": [2], "dtype": "float32",
                    "quantization": {"dtype": "uint16", "min": 0.0, "scale": 0.25}}]}]}
                """);
        Files.write(tmp.resolve("a.bin"), new byte[] {0, 1, 2});
        Files.write(tmp.resolve("b.bin"), new byte[] {4, 8, 0, 1, 0});
        TfjsLayersModel model = TfjsLayersModel.load(json);
        assertArrayEquals(new float[] {-1, -0.5f, 0, 1}, model.weights().get("d/kernel").values());
        assertArrayEquals(new float[] {2.0f, 0.25f}, model.weights().get("d/bias").values());
        assertEquals("s", model.layer("d").container());
    }

    @Test
    void mobileNetRefusesAKernelWhoseShapeDisagreesWithItsLayer() throws IOException {
        Path json = copyFixture();
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        ((ObjectNode) root.at("/weightsManifest/0/weights/0")).putArray("shape").add(3).add(3).add(16).add(3);
        JSON.writeValue(json.toFile(), root);
        InputException e = assertThrows(InputException.class, () -> MobileNetV2.load(json));
        assertEquals(json + ": weight 'Conv1/kernel' has shape [3, 3, 16, 3], expected [3, 3, 16, 16]",
                e.getMessage());
    }

    /** Copies model.json and weights.bin into the temp dir (never into the repository); returns the copy's json. */
    private Path copyFixture() throws IOException {
        for (String name : List.of("model.json", "weights.bin")) {
            Files.copy(Fixtures.mobileNetDir().resolve(name), tmp.resolve(name));
            tmp.resolve(name).toFile().setWritable(true);
        }
        return tmp.resolve("model.json");
    }

    private static int readIntLe(Path file, int offset) throws IOException {
        return ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
    }
}

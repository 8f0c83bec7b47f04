package io.caption4j.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.util.InputException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafeTensorsTest {
    @TempDir
    Path dir;

    @Test
    void writesAndReadsBackFloat32TensorsWithMetadata() throws Exception {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        shapes.put("b.bias", new long[] {3});
        values.put("b.bias", new float[] {1f, -2.5f, 3e-7f});
        shapes.put("a.weight", new long[] {2, 2});
        values.put("a.weight", new float[] {0f, 1f, 2f, Float.MIN_VALUE});
        Path file = dir.resolve("w.safetensors");
        SafeTensors.write(file, shapes, values, Map.of("format", "test"));

        SafeTensors read = SafeTensors.open(file);
        assertEquals("test", read.metadata().get("format"));
        assertArrayEquals(new long[] {2, 2}, read.entry("a.weight").shape());
        assertArrayEquals(values.get("a.weight"), read.floats("a.weight"), 0f);
        assertArrayEquals(values.get("b.bias"), read.floats("b.bias"), 0f);
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, headerLength % 8, "the header is padded to 8-byte alignment");
    }

    @Test
    void widensHalfAndBfloat16() throws Exception {
        // 1.0, -2.0, 0.5 and the smallest subnormal in float16; 1.0 and -3.0 in bfloat16
        Path file = raw("{\"h\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[8,12]}}",
                shorts(0x3C00, 0xC000, 0x3800, 0x0001, 0x3F80, 0xC040));
        SafeTensors read = SafeTensors.open(file);
        assertArrayEquals(new float[] {1f, -2f, 0.5f, 0x1p-24f}, read.floats("h"), 0f);
        assertArrayEquals(new float[] {1f, -3f}, read.floats("b"), 0f);
    }

    @Test
    void refusesTruncatedAndLyingFilesBeforeReadingTensors() throws Exception {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        assertRefused(raw(header, new byte[8]), "outside the 8 data bytes");
        assertRefused(raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,16]}}", new byte[16]),
                "needs 12");
        assertRefused(raw("{\"w\":{\"dtype\":\"Q4\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[16]),
                "unsupported dtype Q4");
        assertRefused(raw("{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}", new byte[16]), "overlap");
        assertRefused(raw("{not json", new byte[0]), "corrupted safetensors header");
        assertRefused(Files.write(dir.resolve("short"), new byte[] {1, 2, 3}), "shorter than its header");
        byte[] hugeLength = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(1L << 40).array();
        assertRefused(Files.write(dir.resolve("huge"), hugeLength), "header length");
    }

    private void assertRefused(Path file, String expected) {
        InputException e = assertThrows(InputException.class, () -> SafeTensors.open(file));
        assertTrue(e.getMessage().contains(expected) && e.getMessage().contains(file.toString()), e.getMessage());
    }

    private static byte[] shorts(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        Arrays.stream(values).forEach(v -> b.putShort((short) v));
        return b.array();
    }

    private Path raw(String header, byte[] data) throws Exception {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length).array());
        out.write(json);
        out.write(data);
        return Files.write(Files.createTempFile(dir, "t", ".safetensors"), out.toByteArray());
    }
}

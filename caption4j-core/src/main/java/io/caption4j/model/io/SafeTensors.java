package io.caption4j.model.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.util.AtomicFiles;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Hugging Face safetensors format (an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then raw little-endian data): the project's one reader and writer of weights.
 *
 * <p>The header is parsed and checked here, before any tensor is touched: every dtype is known, every byte range
 * matches its shape and lies inside the file, ranges do not overlap. A truncated or lying file is an
 * {@link InputException}, never a crash. F16 and BF16 tensors are widened to float32 on read.
 */
public final class SafeTensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_HEADER_BYTES = 100L << 20;

    /** A tensor's description in the header. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        public long elements() {
            long n = 1;
            for (long d : shape) {
                n *= d;
            }
            return n;
        }
    }

    private final Path file;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;
    private final MappedByteBuffer data;

    private SafeTensors(Path file, Map<String, Entry> entries, Map<String, String> metadata, MappedByteBuffer data) {
        this.file = file;
        this.entries = entries;
        this.metadata = metadata;
        this.data = data;
    }

    /** Opens and validates a safetensors file; the data is memory-mapped, not read. */
    public static SafeTensors open(Path file) {
        try (FileChannel channel = FileChannel.open(file)) {
            long size = channel.size();
            if (size < 8) {
                throw InputException.at(file, "not a safetensors file: " + size + " bytes, shorter than its header");
            }
            ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            channel.read(lengthBytes, 0);
            long headerLength = lengthBytes.flip().getLong();
            if (headerLength <= 0 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
                throw InputException.at(file, "corrupted safetensors file: header length " + headerLength
                        + " does not fit a file of " + size + " bytes");
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLength);
            channel.read(header, 8);
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            JsonNode root;
            try {
                root = JSON.readTree(new String(header.array(), StandardCharsets.UTF_8));
            } catch (JsonProcessingException e) {
                throw InputException.at(file, "corrupted safetensors header: " + e.getOriginalMessage());
            }
            if (root == null || !root.isObject()) {
                throw InputException.at(file, "corrupted safetensors header: not a JSON object");
            }
            Map<String, String> metadata = new LinkedHashMap<>();
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("__metadata__")) {
                    field.getValue().fields().forEachRemaining(m -> metadata.put(m.getKey(), m.getValue().asText()));
                    continue;
                }
                entries.put(field.getKey(), parseEntry(file, field.getKey(), field.getValue(), dataSize));
            }
            checkNoOverlap(file, entries);
            MappedByteBuffer data = channel.map(FileChannel.MapMode.READ_ONLY, dataStart, dataSize);
            data.order(ByteOrder.LITTLE_ENDIAN);
            return new SafeTensors(file, Collections.unmodifiableMap(entries), metadata, data);
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "file not found");
        } catch (IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        }
    }

    private static Entry parseEntry(Path file, String name, JsonNode node, long dataSize) {
        String where = "tensor '" + name + "'";
        JsonNode dtype = node.get("dtype");
        JsonNode shape = node.get("shape");
        JsonNode offsets = node.get("data_offsets");
        if (dtype == null || shape == null || !shape.isArray() || offsets == null || offsets.size() != 2) {
            throw InputException.at(file, where + " lacks dtype, shape or data_offsets");
        }
        int width = bytesPerElement(dtype.asText());
        if (width < 0) {
            throw InputException.at(file, where + " has unsupported dtype " + dtype.asText());
        }
        long[] dims = new long[shape.size()];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = shape.get(i).asLong(-1);
            if (dims[i] < 0) {
                throw InputException.at(file, where + " has a negative dimension");
            }
            elements = Math.multiplyExact(elements, dims[i]);
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (begin < 0 || end < begin || end > dataSize) {
            throw InputException.at(file, where + " has byte range [" + begin + ", " + end
                    + ") outside the " + dataSize + " data bytes (truncated file?)");
        }
        if (end - begin != elements * width) {
            throw InputException.at(file, where + " has " + (end - begin) + " bytes but shape "
                    + Arrays.toString(dims) + " of " + dtype.asText() + " needs " + elements * width);
        }
        return new Entry(name, dtype.asText(), dims, begin, end);
    }

    private static void checkNoOverlap(Path file, Map<String, Entry> entries) {
        Entry[] sorted = entries.values().stream()
                .sorted((a, b) -> Long.compare(a.begin, b.begin)).toArray(Entry[]::new);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i].begin < sorted[i - 1].end) {
                throw InputException.at(file, "tensors '" + sorted[i - 1].name + "' and '" + sorted[i].name
                        + "' overlap");
            }
        }
    }

    private static int bytesPerElement(String dtype) {
        return switch (dtype) {
            case "F32", "I32" -> 4;
            case "F16", "BF16" -> 2;
            case "I64", "F64" -> 8;
            case "U8", "I8", "BOOL" -> 1;
            default -> -1;
        };
    }

    public Path file() {
        return file;
    }

    public Map<String, Entry> entries() {
        return entries;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            throw InputException.at(file, "has no tensor '" + name + "'");
        }
        return e;
    }

    /** A floating-point tensor's values as float32 (F16 and BF16 are widened, F64 narrowed). */
    public float[] floats(String name) {
        Entry e = entry(name);
        ByteBuffer bytes = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        bytes.position((int) e.begin).limit((int) e.end);
        float[] out = new float[Math.toIntExact(e.elements())];
        switch (e.dtype) {
            case "F32" -> bytes.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            case "F16" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = halfToFloat(bytes.getShort());
                }
            }
            case "BF16" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = Float.intBitsToFloat((bytes.getShort() & 0xffff) << 16);
                }
            }
            case "F64" -> {
                for (int i = 0; i < out.length; i++) {
                    out[i] = (float) bytes.getDouble();
                }
            }
            default -> throw InputException.at(file, "tensor '" + name + "' is " + e.dtype + ", not floating point");
        }
        return out;
    }

    /** IEEE 754 binary16 → float32 (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short half) {
        int bits = half & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            float value = mantissa * 0x1p-24f; // subnormal (or zero)
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }

    /** Writes float32 tensors (name → shape and values), sorted by name, atomically. */
    public static void write(Path file, Map<String, long[]> shapes, Map<String, float[]> values,
            Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = header.putObject("__metadata__");
            metadata.forEach(meta::put);
        }
        long offset = 0;
        Map<String, float[]> sorted = new TreeMap<>(values);
        for (Map.Entry<String, float[]> e : sorted.entrySet()) {
            long length = 4L * e.getValue().length;
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F32");
            long[] shape = shapes.get(e.getKey());
            t.putArray("shape").addAll(Arrays.stream(shape).mapToObj(JSON.getNodeFactory()::numberNode).toList());
            t.putArray("data_offsets").add(offset).add(offset + length);
            offset += length;
        }
        byte[] headerBytes = JSON.writeValueAsBytes(header);
        int padded = (headerBytes.length + 7) / 8 * 8; // the format pads the header with spaces to 8-byte alignment
        byte[] headerPadded = Arrays.copyOf(headerBytes, padded);
        Arrays.fill(headerPadded, headerBytes.length, padded, (byte) ' ');
        AtomicFiles.write(file, out -> {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
            out.write(length.array());
            out.write(headerPadded);
            ByteBuffer chunk = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] v : sorted.values()) {
                for (float f : v) {
                    if (!chunk.hasRemaining()) {
                        out.write(chunk.array(), 0, chunk.position());
                        chunk.clear();
                    }
                    chunk.putFloat(f);
                }
            }
            out.write(chunk.array(), 0, chunk.position());
        });
    }
}

package io.caption4j.vision.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import io.caption4j.util.InputException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One entry of a TF.js weights manifest: name, shape and how its values are stored. Supported storage: plain
 * float32, and the converter's affine quantization to uint8 / uint16 ({@code value = min + scale * q}).
 */
record WeightSpec(String name, long[] shape, Storage storage, double min, double scale) {

    enum Storage {
        FLOAT32(4), UINT8(1), UINT16(2);

        final int bytes;

        Storage(int bytes) {
            this.bytes = bytes;
        }
    }

    static WeightSpec parse(Path file, JsonNode entry) {
        String name = entry.path("name").asText();
        if (name.isEmpty() || !entry.path("shape").isArray()) {
            throw InputException.at(file, "weights manifest entry without name or shape: " + entry);
        }
        long[] shape = new long[entry.get("shape").size()];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = entry.get("shape").get(i).asLong(-1);
            if (shape[i] < 0) {
                throw InputException.at(file, "weight '" + name + "' has a bad shape " + entry.get("shape"));
            }
        }
        String dtype = entry.path("dtype").asText();
        if (!dtype.equals("float32")) {
            throw InputException.at(file, "weight '" + name + "' has dtype '" + dtype
                    + "'; only float32 weights are supported");
        }
        JsonNode quantization = entry.get("quantization");
        if (quantization == null || quantization.isNull()) {
            return new WeightSpec(name, shape, Storage.FLOAT32, 0, 1);
        }
        String stored = quantization.path("dtype").asText();
        Storage storage = switch (stored) {
            case "uint8" -> Storage.UINT8;
            case "uint16" -> Storage.UINT16;
            default -> throw InputException.at(file, "weight '" + name + "' uses quantization to '" + stored
                    + "'; only uint8 and uint16 quantization are supported");
        };
        if (!quantization.path("min").isNumber() || !quantization.path("scale").isNumber()) {
            throw InputException.at(file, "weight '" + name + "' is quantized without numeric 'min' and 'scale'");
        }
        return new WeightSpec(name, shape, storage, quantization.get("min").asDouble(),
                quantization.get("scale").asDouble());
    }

    long size() {
        long n = 1;
        for (long d : shape) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    long bytes() {
        return Math.multiplyExact(size(), storage.bytes);
    }

    /** Reads this weight's values from the current position of {@code data} (little-endian). */
    float[] read(ByteBuffer data) {
        float[] values = new float[Math.toIntExact(size())];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (storage) {
                case FLOAT32 -> data.getFloat();
                case UINT8 -> (float) (min + scale * Byte.toUnsignedInt(data.get()));
                case UINT16 -> (float) (min + scale * Short.toUnsignedInt(data.getShort()));
            };
        }
        return values;
    }
}

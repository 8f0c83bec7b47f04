package io.caption4j.vision;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The MobileNetV2 reference fixtures (TF.js outputs for 4 Flickr8k photos), read from {@code caption4j.fixtures}. */
public final class Fixtures {
    public static final List<String> PHOTOS = List.of("1000268201_693b08cb0e", "1001773457_577c3a7d70",
            "1002674143_1b742ab4b8", "1003163366_44323f5815");

    private Fixtures() {}

    public static Path mobileNetDir() {
        Path dir = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "mobilenetv2-tm");
        assertTrue(Files.isRegularFile(dir.resolve("model.json")),
                "MobileNetV2 fixtures missing: " + dir.toAbsolutePath() + " (set -Dcaption4j.fixtures=...)");
        return dir;
    }

    /** The four photos' TF.js input tensors as one batch [4, 224, 224, 3] (NHWC, in [-1, 1]). */
    public static NDArray inputBatch(NDManager manager) {
        float[] batch = new float[PHOTOS.size() * 224 * 224 * 3];
        for (int i = 0; i < PHOTOS.size(); i++) {
            float[] input = floats(PHOTOS.get(i), "input");
            System.arraycopy(input, 0, batch, i * input.length, input.length);
        }
        return manager.create(batch, new Shape(PHOTOS.size(), 224, 224, 3));
    }

    /** A raw little-endian float32 file such as {@code <photo>.input.f32}. */
    public static float[] floats(String photo, String kind) {
        try {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(mobileNetDir().resolve(photo + "." + kind + ".f32")))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(values);
            return values;
        } catch (IOException e) {
            throw new AssertionError("cannot read fixture " + photo + "." + kind + ".f32", e);
        }
    }
}

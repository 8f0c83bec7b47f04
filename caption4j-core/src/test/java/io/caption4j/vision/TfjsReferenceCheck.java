package io.caption4j.vision;

import static io.caption4j.testing.ReferenceValues.maxAbsDiff;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Check (not a test: its references are made on demand, not shipped in {@code ../shared}): a TF.js export run by
 * caption4j against the outputs TensorFlow.js computed for the same input tensors with {@code bench/tfjs_reference.js}.
 * Prints the largest absolute difference of the feature map per photo, next to the largest reference value.
 *
 * <pre>
 * node bench/tfjs_reference.js MODEL_DIR ../shared/fixtures/mobilenetv2-tm /tmp/ref
 * mvn -B -q -pl caption4j-core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp caption4j-core/target/test-classes:caption4j-core/target/classes:$(cat caption4j-core/target/cp.txt) \
 *     io.caption4j.vision.TfjsReferenceCheck MODEL_DIR/model.json /tmp/ref
 * </pre>
 */
public final class TfjsReferenceCheck {
    public static void main(String[] args) throws IOException {
        Path model = Path.of(args[0]);
        Path references = Path.of(args[1]);
        List<Path> inputs;
        try (Stream<Path> files = Files.list(references)) {
            inputs = files.filter(f -> f.getFileName().toString().endsWith(".input.f32")).sorted().toList();
        }
        try (NDManager manager = NDManager.newBaseManager();
                FrozenBackbone backbone = FrozenBackbone.open(model, FrozenBackbone.AS_EXPORTED)) {
            int side = backbone.encoder().inputSize();
            for (Path input : inputs) {
                String photo = input.getFileName().toString().replace(".input.f32", "");
                NDArray image = manager.create(floats(input), new Shape(1, side, side, 3));
                float[] regions = backbone.encoder().encode(image).get(0).toFloatArray();
                float[] expected = floats(references.resolve(photo + ".output.f32"));
                double largest = 0;
                for (float v : expected) {
                    largest = Math.max(largest, Math.abs(v));
                }
                System.out.printf(Locale.ROOT, "%s: %d values, max |diff| %.3g (largest |value| %.3g)%n", photo,
                        regions.length, maxAbsDiff(regions, expected), largest);
            }
        }
    }

    private static float[] floats(Path file) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[bytes.remaining() / 4];
        bytes.asFloatBuffer().get(values);
        return values;
    }
}

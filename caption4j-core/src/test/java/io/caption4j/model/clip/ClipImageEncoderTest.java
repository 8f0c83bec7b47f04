package io.caption4j.model.clip;

import static io.caption4j.testing.ReferenceValues.floats;
import static io.caption4j.testing.ReferenceValues.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.vision.FrozenBackbone;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CLIP's vision tower as a frozen backbone, on the tiny random CLIP fixture. */
class ClipImageEncoderTest {
    private static final double TOLERANCE = 1e-4;

    @Test
    void pooledIsTheReferenceImageEmbeddingAndRegionsAreTheProjectedPatches() throws IOException {
        Path fixture = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "tiny-clip");
        assertTrue(Files.isRegularFile(fixture.resolve("expected.json")),
                "CLIP fixture missing: " + fixture.toAbsolutePath() + " (set -Dcaption4j.fixtures=...)");
        JsonNode expected = new ObjectMapper().readTree(fixture.resolve("expected.json").toFile());
        try (FrozenBackbone backbone = FrozenBackbone.clip(fixture); NDManager manager = NDManager.newBaseManager()) {
            assertEquals(24, backbone.encoder().featureSize());
            assertEquals(32, backbone.encoder().inputSize());
            NDArray pixelValues = manager.create(floats(expected.get("pixel_values")), new Shape(3, 3, 32, 32));
            NDList out = backbone.encoder().encode(pixelValues.transpose(0, 2, 3, 1)); // the encoder takes NHWC
            NDArray regions = out.get(0);
            NDArray pooled = out.get(1);
            assertEquals(new Shape(3, 16, 24), regions.getShape()); // (32 / 8)² patches
            assertEquals(new Shape(3, 24), pooled.getShape());
            double diff = maxAbsDiff(floats(expected.get("image_embeds")), pooled.toFloatArray());
            assertTrue(diff < TOLERANCE, "pooled vs the reference image_embeds, max |diff| " + diff);
            // each region is a patch token through the same post-LayerNorm and projection: distinct, finite vectors
            float[] r = regions.toFloatArray();
            assertTrue(maxAbsDiff(slice(r, 0, 24), slice(r, 24, 24)) > 1e-3, "two patches gave the same vector");
            for (float v : r) {
                assertTrue(Float.isFinite(v));
            }
            assertTrue(backbone.encoder().identity().startsWith("clip-vision sha256="),
                    backbone.encoder().identity());
            assertEquals(List.of(fixture.resolve("config.json"), fixture.resolve("model.safetensors")),
                    backbone.files());
        }
    }

    private static float[] slice(float[] a, int from, int length) {
        float[] out = new float[length];
        System.arraycopy(a, from, out, 0, length);
        return out;
    }
}

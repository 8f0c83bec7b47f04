package io.caption4j.model.clipcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import io.caption4j.model.io.ModelDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformerMappingTest {
    private static final int PREFIX = 3;
    private static final int REGIONS = 4;
    private static final int CHANNELS = 6;
    private static final int WIDTH = 8;

    private static TransformerMapping overRegions(NDManager manager) {
        TransformerMapping mapping = new TransformerMapping(CHANNELS, PREFIX, 10, REGIONS, WIDTH, 1, 2);
        mapping.setInitializer(Initializer.ONES, Parameter.Type.GAMMA);
        Engine.getInstance().setRandomSeed(1);
        mapping.initialize(manager, DataType.FLOAT32, new Shape(2, REGIONS, CHANNELS));
        return mapping;
    }

    private static NDArray prefix(TransformerMapping mapping, NDArray regions) {
        return mapping.forward(new ParameterStore(regions.getManager(), false), new NDList(regions), false).head();
    }

    @Test
    void theRegionsLayoutShapesThePrefix() {
        try (NDManager manager = NDManager.newBaseManager()) {
            TransformerMapping mapping = overRegions(manager);
            NDArray regions = manager.randomNormal(new Shape(2, REGIONS, CHANNELS));
            NDArray reordered = regions.flip(1);
            NDArray prefix = prefix(mapping, regions);
            assertEquals(new Shape(2, PREFIX, WIDTH), prefix.getShape());
            float moved = prefix.sub(prefix(mapping, reordered)).abs().max().getFloat();
            assertTrue(moved > 1e-3f, "the same regions in another layout must give another prefix: " + moved);

            // the check above can fail: without the learned positions the encoder cannot tell layouts apart
            mapping.getParameters().get("regionPositions").getArray().muli(0);
            float withoutPositions = prefix(mapping, regions).sub(prefix(mapping, reordered)).abs().max().getFloat();
            assertTrue(withoutPositions < 1e-5f, "without positions only the set of regions counts: "
                    + withoutPositions);
        }
    }

    @Test
    void overThePooledEmbeddingThereAreNoRegionPositions() {
        TransformerMapping pooled = new TransformerMapping(CHANNELS, PREFIX, 5, 0, WIDTH, 1, 2);
        assertFalse(pooled.getParameters().contains("regionPositions"));
        try (NDManager manager = NDManager.newBaseManager()) {
            pooled.setInitializer(Initializer.ONES, Parameter.Type.GAMMA);
            pooled.initialize(manager, DataType.FLOAT32, new Shape(2, CHANNELS));
            assertEquals(new Shape(2, PREFIX, WIDTH), prefix(pooled, manager.ones(new Shape(2, CHANNELS))).getShape());
        }
    }

    /** Each linear layer starts as nn.Linear, U(±1/√fan-in), by its own input size: here the 1280-d embedding. */
    @Test
    void theProjectionStartsAsNnLinearOverTheEmbedding() {
        TransformerMapping mapping = new TransformerMapping(1280, 10, 10, 0, 128, 1, 8);
        try (NDManager manager = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(1);
            mapping.initialize(manager, DataType.FLOAT32, new Shape(2, 1280));
            NDArray projection = mapping.getParameters().stream().filter(p -> p.getKey().endsWith("projection_weight"))
                    .findFirst().orElseThrow().getValue().getArray();
            double bound = 1 / Math.sqrt(1280);
            double largest = projection.abs().max().getFloat();
            assertTrue(largest <= bound && largest > 0.99 * bound, "U(±1/√1280): largest " + largest);
        }
    }

    /** Model directories saved before the option existed have no such field: they read the pooled embedding. */
    @Test
    void aConfigWithoutRegionsReadsThePooledEmbedding(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("config.json"), "{\"mapping\":\"transformer\",\"prefixLength\":10,"
                + "\"embeddingSize\":1280,\"projectedLength\":10,\"mappingLayers\":4,\"mappingHeads\":8,"
                + "\"fineTuneLm\":false,\"backbone\":\"b\",\"imageSize\":224,\"maxLength\":20}");
        ClipCapConfig config = ModelDirectory.readJson(file, ClipCapConfig.class);
        assertEquals(0, config.regions());
        assertFalse(config.readsRegions());
        assertEquals(10, config.projectedLength());
    }

    @Test
    void onlyTheTransformerMappingReadsRegions() {
        IllegalArgumentException mlp = assertThrows(IllegalArgumentException.class, () -> new ClipCapConfig(
                ClipCapConfig.MLP, 10, 1280, 0, 0, 0, false, "b", 224, 20, 49));
        assertTrue(mlp.getMessage().contains("only the transformer mapping reads regions"), mlp.getMessage());
    }
}

package io.caption4j.vision;

import static io.caption4j.testing.ReferenceValues.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.util.InputException;
import io.caption4j.vision.tfjs.TfjsLayersModel;
import io.caption4j.vision.tfjs.TfjsWeight;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The generic Keras graph runner: on a real backbone against TF.js's outputs, and layer semantics on small graphs. */
class KerasGraphEncoderTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path tmp;

    /**
     * The MobileNetV2 fixture's functional trunk ({@code model2}, input_1 → out_relu) exported on its own, run as a
     * graph of layers rather than as the hand-built MobileNetV2, within the fidelity tolerances of that test.
     */
    @Test
    void mobileNetV2TrunkRunAsAGraphMatchesTfjs() throws IOException {
        Path json = trunkOfTheMobileNetFixture();
        try (NDManager manager = NDManager.newBaseManager();
                KerasGraphEncoder encoder = KerasGraphEncoder.load(TfjsLayersModel.load(json),
                        NDManager.newBaseManager())) {
            assertEquals(224, encoder.inputSize());
            assertEquals(1280, encoder.featureSize());
            assertTrue(encoder.identity().startsWith("caption4j-keras-graph-1 sha256="), encoder.identity());
            assertTrue(encoder.identity().endsWith("input=224x224 RGB NHWC v/127.5-1 output=out_relu+avgpool"),
                    encoder.identity());
            int n = Fixtures.PHOTOS.size();
            NDList out = encoder.encode(Fixtures.inputBatch(manager));
            assertEquals(new Shape(n, 49, 1280), out.get(0).getShape());
            for (int i = 0; i < n; i++) {
                String photo = Fixtures.PHOTOS.get(i);
                double featmap = maxAbsDiff(out.get(0).get(i).toFloatArray(), Fixtures.floats(photo, "featmap"));
                double pooled = maxAbsDiff(out.get(1).get(i).toFloatArray(), Fixtures.floats(photo, "pooled"));
                System.out.printf(Locale.ROOT, "%s as a graph: max |diff| featmap %.3g, pooled %.3g%n", photo,
                        featmap, pooled);
                assertTrue(featmap <= 1e-4, photo + " featmap max |diff| " + featmap);
                assertTrue(pooled <= 1e-5, photo + " pooled max |diff| " + pooled);
            }
        }
    }

    @Test
    void frozenBackboneOpensANonMobileNetExportAsAGraph() throws IOException {
        try (FrozenBackbone backbone = FrozenBackbone.open(trunkOfTheMobileNetFixture(), FrozenBackbone.AS_EXPORTED)) {
            assertTrue(backbone.encoder() instanceof MobileNetV2, "out_relu marks a MobileNetV2");
        }
        Path graph = smallGraph();
        try (FrozenBackbone backbone = FrozenBackbone.open(graph, FrozenBackbone.AS_EXPORTED)) {
            assertTrue(backbone.encoder() instanceof KerasGraphEncoder);
        }
        InputException e = assertThrows(InputException.class, () -> FrozenBackbone.open(graph, 8));
        assertEquals(graph + ": is a generic Keras backbone, read at its exported side of 4 pixels only, not 8",
                e.getMessage());
    }

    /**
     * Input 4×4×1 → [3×3 average pooling, 'same' | 1×1 conv picking channel 0 | 2×2 conv with bias,
     * 'same', relu] → concatenated channels: TF's average pooling divides by the pixels inside the image only, and 'same' pads the 2×2 kernel at the bottom/right.
     */
    @Test
    void poolingConvolutionAndConcatenationFollowKeras() throws IOException {
        try (NDManager manager = NDManager.newBaseManager();
                KerasGraphEncoder encoder = KerasGraphEncoder.load(TfjsLayersModel.load(smallGraph()),
                        NDManager.newBaseManager())) {
            float[] pixels = new float[16];
            for (int i = 0; i < 16; i++) {
                pixels[i] = i;
            }
            NDList out = encoder.encode(manager.create(pixels, new Shape(1, 4, 4, 1)).repeat(3, 3));
            float[] regions = out.get(0).toFloatArray(); // [1, 16, 2]: (pooled, conv) per pixel
            assertEquals((0 + 1 + 4 + 5) / 4f, regions[0], 1e-6, "corner average over the 4 pixels inside");
            assertEquals((0 + 1 + 2 + 4 + 5 + 6 + 8 + 9 + 10) / 9f, regions[2 * 5], 1e-6, "inner average over 9");
            // conv: 3 channels of the same value, kernel 1 on all taps and channels, bias −40, then relu
            assertEquals(0f, regions[1], "relu of 3 · (0 + 1 + 4 + 5) − 40");
            assertEquals(3 * (5 + 6 + 9 + 10) - 40, regions[2 * 5 + 1], 1e-5);
            assertEquals(3 * 15 - 40, regions[2 * 15 + 1], 1e-5, "bottom-right: 'same' pads below and right");
            assertEquals(2, encoder.featureSize());
            assertArrayEquals(new long[] {1, 2}, out.get(1).getShape().getShape());
        }
    }

    @Test
    void normalisesAsTheExportsMetadataSays() throws IOException {
        Path json = smallGraph();
        try (KerasGraphEncoder encoder = KerasGraphEncoder.load(TfjsLayersModel.load(json), NDManager.newBaseManager())) {
            assertTrue(encoder.identity().contains(" v/127.5-1 "), "Keras applications' default: " + encoder.identity());
        }
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        root.putObject("userDefinedMetadata").put("inputNormalization", "v/255");
        JSON.writeValue(json.toFile(), root);
        try (KerasGraphEncoder encoder = KerasGraphEncoder.load(TfjsLayersModel.load(json), NDManager.newBaseManager())) {
            assertTrue(encoder.identity().contains(" v/255 "), encoder.identity());
            assertEquals(TfjsPreprocessor.Normalization.ZERO_TO_ONE,
                    ((TfjsPreprocessor) encoder.preprocessor()).normalization());
        }
        ((ObjectNode) root.get("userDefinedMetadata")).put("inputNormalization", "v/128");
        JSON.writeValue(json.toFile(), root);
        InputException e = assertThrows(InputException.class,
                () -> KerasGraphEncoder.load(TfjsLayersModel.load(json), NDManager.newBaseManager()));
        assertTrue(e.getMessage().startsWith(json + ": userDefinedMetadata.inputNormalization is \"v/128\"; known: "
                + "[v/127.5-1, v/255, "), e.getMessage());
    }

    @Test
    void mobileNetV2HonoursTheNormalisationMetadataToo() throws IOException {
        Path json = trunkOfTheMobileNetFixture();
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        root.putObject("userDefinedMetadata").put("inputNormalization", "v/255");
        JSON.writeValue(json.toFile(), root);
        try (FrozenBackbone backbone = FrozenBackbone.open(json, FrozenBackbone.AS_EXPORTED)) {
            assertTrue(backbone.encoder() instanceof MobileNetV2);
            assertTrue(backbone.encoder().identity().contains(" v/255 "), backbone.encoder().identity());
            assertEquals(TfjsPreprocessor.Normalization.ZERO_TO_ONE,
                    ((TfjsPreprocessor) backbone.encoder().preprocessor()).normalization());
        }
    }

    @Test
    void refusesAnUnsupportedLayerNamingIt() throws IOException {
        Path json = smallGraph();
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        ((ObjectNode) root.at("/modelTopology/config/layers/1")).put("class_name", "Conv3D");
        JSON.writeValue(json.toFile(), root);
        InputException e = assertThrows(InputException.class,
                () -> KerasGraphEncoder.load(TfjsLayersModel.load(json), NDManager.newBaseManager()));
        assertEquals(json + ": layer 'pool' (Conv3D): is not supported in a generic backbone (to use the layers"
                + " before it, cut the export: tools/tfjs-unbundle.js --trunk LAYER)", e.getMessage());
    }

    @Test
    void refusesUnevenSamePoolingWhenLoading() throws IOException {
        Path json = smallGraph();
        ObjectNode root = (ObjectNode) JSON.readTree(json.toFile());
        ((ObjectNode) root.at("/modelTopology/config/layers/1/config")).set("pool_size", JSON.readTree("[2, 2]"));
        JSON.writeValue(json.toFile(), root);
        InputException e = assertThrows(InputException.class,
                () -> KerasGraphEncoder.load(TfjsLayersModel.load(json), NDManager.newBaseManager()));
        assertEquals(json + ": layer 'pool' (AveragePooling2D): 'same' pooling that pads unevenly is not supported"
                + " (input (1, 3, 4, 4))", e.getMessage());
    }

    @Test
    void refusesNestedModels() {
        Path json = Fixtures.mobileNetDir().resolve("model.json");
        InputException e = assertThrows(InputException.class,
                () -> KerasGraphEncoder.load(TfjsLayersModel.load(json), NDManager.newBaseManager()));
        assertTrue(e.getMessage().contains("holds nested models"), e.getMessage());
    }

    /** The fixture's functional MobileNetV2 trunk alone, as its own export (model.json + float32 shard). */
    private Path trunkOfTheMobileNetFixture() throws IOException {
        Path source = Fixtures.mobileNetDir().resolve("model.json");
        JsonNode trunk = find(JSON.readTree(source.toFile()).get("modelTopology"), "model2");
        Set<String> layers = new HashSet<>();
        trunk.path("config").path("layers").forEach(l -> layers.add(l.path("name").asText()));
        TfjsLayersModel full = TfjsLayersModel.load(source);
        ArrayNode specs = JSON.createArrayNode();
        List<TfjsWeight> kept = full.weights().values().stream()
                .filter(w -> layers.contains(w.name().substring(0, w.name().lastIndexOf('/')))).toList();
        ByteBuffer data = ByteBuffer.allocate(kept.stream().mapToInt(w -> w.values().length * 4).sum())
                .order(ByteOrder.LITTLE_ENDIAN);
        for (TfjsWeight w : kept) {
            ObjectNode spec = specs.addObject().put("name", w.name()).put("dtype", "float32");
            ArrayNode shape = spec.putArray("shape");
            for (long d : w.shape()) {
                shape.add(d);
            }
            for (float v : w.values()) {
                data.putFloat(v);
            }
        }
        return write("trunk", trunk, specs, data.array());
    }

    /** The small graph of {@link #poolingConvolutionAndConcatenationFollowKeras}. */
    private Path smallGraph() throws IOException {
        String topology = """
                {"class_name": "Model", "config": {"name": "small", "layers": [
                  {"class_name": "InputLayer", "name": "in", "config": {"name": "in", "batch_input_shape": [null, 4, 4, 3]},
                   "inbound_nodes": []},
                  {"class_name": "AveragePooling2D", "name": "pool", "config": {"name": "pool", "pool_size": [3, 3],
                   "strides": [1, 1], "padding": "same"}, "inbound_nodes": [[["in", 0, 0, {}]]]},
                  {"class_name": "Conv2D", "name": "conv", "config": {"name": "conv", "filters": 1, "kernel_size": [2, 2],
                   "strides": [1, 1], "padding": "same", "use_bias": true, "activation": "relu",
                   "dilation_rate": [1, 1]}, "inbound_nodes": [[["in", 0, 0, {}]]]},
                  {"class_name": "Lambda", "name": "pick", "config": {"name": "pick"},
                   "inbound_nodes": [[["pool", 0, 0, {}]]]},
                  {"class_name": "Concatenate", "name": "mix", "config": {"name": "mix", "axis": -1},
                   "inbound_nodes": [[["pick", 0, 0, {}], ["conv", 0, 0, {}]]]}]}}""";
        // the average pooling keeps 3 channels; a 1×1 conv picking the first stands in for the Lambda
        ObjectNode model = (ObjectNode) JSON.readTree(topology);
        ObjectNode pick = (ObjectNode) model.at("/config/layers/3");
        pick.put("class_name", "Conv2D");
        ((ObjectNode) pick.get("config")).put("filters", 1).put("padding", "valid").put("use_bias", false)
                .put("activation", "linear").set("kernel_size", JSON.readTree("[1, 1]"));
        ((ObjectNode) pick.get("config")).set("strides", JSON.readTree("[1, 1]"));
        ((ObjectNode) pick.get("config")).set("dilation_rate", JSON.readTree("[1, 1]"));
        ArrayNode specs = (ArrayNode) JSON.readTree("""
                [{"name": "conv/kernel", "shape": [2, 2, 3, 1], "dtype": "float32"},
                 {"name": "conv/bias", "shape": [1], "dtype": "float32"},
                 {"name": "pick/kernel", "shape": [1, 1, 3, 1], "dtype": "float32"}]""");
        ByteBuffer data = ByteBuffer.allocate((12 + 1 + 3) * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 12; i++) {
            data.putFloat(1f);
        }
        data.putFloat(-40f).putFloat(1f).putFloat(0f).putFloat(0f);
        return write("small", model, specs, data.array());
    }

    private Path write(String name, JsonNode topology, ArrayNode specs, byte[] weights) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        ObjectNode root = JSON.createObjectNode();
        root.set("modelTopology", topology);
        ObjectNode group = root.putArray("weightsManifest").addObject();
        group.putArray("paths").add(name + ".bin");
        group.set("weights", specs);
        Files.write(dir.resolve(name + ".bin"), weights);
        Path json = dir.resolve("model.json");
        JSON.writeValue(json.toFile(), root);
        return json;
    }

    private static JsonNode find(JsonNode node, String modelName) {
        if (node.isObject() && modelName.equals(node.path("config").path("name").asText())
                && node.path("config").has("layers")) {
            return node;
        }
        for (JsonNode child : node) {
            JsonNode found = find(child, modelName);
            if (found != null) {
                return found;
            }
        }
        return null;
    }
}

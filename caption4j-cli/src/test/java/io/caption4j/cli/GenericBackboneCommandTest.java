package io.caption4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.data.synthetic.SyntheticWorld;
import io.caption4j.model.Captioner;
import io.caption4j.vision.TfjsPreprocessor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train / caption with {@code --encoder tfjs} on a Keras export that is not a MobileNetV2 (two parallel
 * convolution towers concatenated, as InceptionV3's blocks are): the captioner trains on its cached features, and the
 * model directory carries the backbone so captioning needs nothing else.
 */
class GenericBackboneCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void trainsAndCaptionsOnAGenericKerasBackbone() throws Exception {
        Path world = dir.resolve("world");
        new SyntheticWorld(3, SyntheticWorld.DEFAULT_IMAGE_SIZE).writeDataset(world, 30);
        Path backbone = writeTwoTowerExport(dir.resolve("backbone"));
        Path run = dir.resolve("run");
        CliRun trained = train(backbone, world, run);
        assertEquals(0, trained.exitCode(), trained.err());
        JsonNode config = JSON.readTree(run.resolve("model/config.json").toFile());
        assertEquals(24, config.get("featureSize").asInt(), "8 + 16 concatenated channels");
        assertEquals(32, config.get("imageSize").asInt());
        assertTrue(config.get("backbone").asText().startsWith("caption4j-keras-graph-1 "), config.toString());
        assertTrue(config.get("backbone").asText().endsWith(" v/127.5-1 output=towers+avgpool"), config.toString());
        assertTrue(Files.isRegularFile(run.resolve("model/backbone/model.json")));

        Path images = world.resolve("images");
        CliRun first = CliRun.of("caption", "--model", run.resolve("model").toString(), images.toString());
        CliRun second = CliRun.of("caption", "--model", run.resolve("model").toString(), images.toString());
        assertEquals(0, first.exitCode(), first.err());
        assertEquals(30, first.out().lines().count(), first.out());
        assertTrue(first.out().lines().allMatch(l -> l.split("\t").length == 2 && !l.split("\t")[1].isBlank()),
                first.out());
        assertEquals(first.out(), second.out(), "captioning is deterministic");
    }

    /** A captioner reads photos as its backbone asks, not as the shared MobileNetV2 does (here v/255, not [-1, 1]). */
    @Test
    void aTrainedCaptionerPreprocessesAsItsBackboneSays() throws Exception {
        Path world = dir.resolve("world");
        new SyntheticWorld(3, SyntheticWorld.DEFAULT_IMAGE_SIZE).writeDataset(world, 10);
        Path backbone = writeTwoTowerExport(dir.resolve("backbone"));
        Files.writeString(backbone, Files.readString(backbone).replaceFirst("^\\{",
                "{\"userDefinedMetadata\": {\"inputNormalization\": \"v/255\"}, "));
        Path run = dir.resolve("run");
        CliRun trained = train(backbone, world, run);
        assertEquals(0, trained.exitCode(), trained.err());
        try (Captioner captioner = Captioner.load(run.resolve("model"))) {
            assertTrue(captioner.config().backbone().contains(" v/255 "), captioner.config().backbone());
            assertEquals(TfjsPreprocessor.Normalization.ZERO_TO_ONE,
                    ((TfjsPreprocessor) captioner.preprocessor()).normalization());
        }
    }

    @Test
    void aLayerOfAnotherKindIsOneErrorLine() throws Exception {
        Path backbone = writeTwoTowerExport(dir.resolve("backbone"));
        Files.writeString(backbone, Files.readString(backbone).replace("\"MaxPooling2D\"", "\"Cropping2D\""));
        Path world = dir.resolve("world");
        new SyntheticWorld(3, SyntheticWorld.DEFAULT_IMAGE_SIZE).writeDataset(world, 10);
        CliRun run = train(backbone, world, dir.resolve("run"));
        assertEquals(1, run.exitCode());
        assertEquals("error: " + backbone + ": layer 'pool' (Cropping2D): is not supported in a generic backbone (to use"
                + " the layers before it, cut the export: tools/tfjs-unbundle.js --trunk LAYER)", run.err().strip());
    }

    private CliRun train(Path backbone, Path world, Path run) {
        return CliRun.of("train", "--encoder", "tfjs", "--backbone", backbone.toString(),
                "--images", world.resolve("images").toString(), "--captions", world.resolve("captions.csv").toString(),
                "--splits", world.resolve("splits.json").toString(), "--feature-cache", dir.resolve("cache").toString(),
                "--hidden", "16", "--embedding", "8", "--attention", "8", "--epochs", "1", "--out", run.toString());
    }

    /**
     * Input 32×32×3 → 3×3 stride-2 conv (8, 'same', no bias) → batch norm → relu → [3×3 max pool, stride 2 'valid'
     * | 3×3 stride-2 conv (16, 'valid', bias, relu)] → concatenated: 7×7×24 regions. Random weights, fixed seed.
     */
    private static Path writeTwoTowerExport(Path folder) throws Exception {
        String topology = """
                {"class_name": "Functional", "config": {"name": "towers_model", "layers": [
                 {"class_name": "InputLayer", "name": "image", "config": {"name": "image",
                  "batch_input_shape": [null, 32, 32, 3]}, "inbound_nodes": []},
                 {"class_name": "Conv2D", "name": "stem", "config": {"name": "stem", "filters": 8,
                  "kernel_size": [3, 3], "strides": [2, 2], "padding": "same", "use_bias": false,
                  "activation": "linear", "dilation_rate": [1, 1]}, "inbound_nodes": [[["image", 0, 0, {}]]]},
                 {"class_name": "BatchNormalization", "name": "stem_bn", "config": {"name": "stem_bn", "axis": [3],
                  "epsilon": 0.001, "center": true, "scale": false}, "inbound_nodes": [[["stem", 0, 0, {}]]]},
                 {"class_name": "Activation", "name": "stem_relu", "config": {"name": "stem_relu",
                  "activation": "relu"}, "inbound_nodes": [[["stem_bn", 0, 0, {}]]]},
                 {"class_name": "MaxPooling2D", "name": "pool", "config": {"name": "pool", "pool_size": [3, 3],
                  "strides": [2, 2], "padding": "valid"}, "inbound_nodes": [[["stem_relu", 0, 0, {}]]]},
                 {"class_name": "Conv2D", "name": "branch", "config": {"name": "branch", "filters": 16,
                  "kernel_size": [3, 3], "strides": [2, 2], "padding": "valid", "use_bias": true,
                  "activation": "relu", "dilation_rate": [1, 1]}, "inbound_nodes": [[["stem_relu", 0, 0, {}]]]},
                 {"class_name": "Concatenate", "name": "towers", "config": {"name": "towers", "axis": -1},
                  "inbound_nodes": [[["pool", 0, 0, {}], ["branch", 0, 0, {}]]]}],
                 "input_layers": [["image", 0, 0]], "output_layers": [["towers", 0, 0]]}}""";
        String[][] weights = {{"stem/kernel", "3,3,3,8"}, {"stem_bn/beta", "8"}, {"stem_bn/moving_mean", "8"},
            {"stem_bn/moving_variance", "8"}, {"branch/kernel", "3,3,8,16"}, {"branch/bias", "16"}};
        StringBuilder specs = new StringBuilder();
        Random random = new Random(7);
        ByteBuffer data = ByteBuffer.allocate(4 * (216 + 24 + 1152 + 16)).order(ByteOrder.LITTLE_ENDIAN);
        for (String[] w : weights) {
            int size = 1;
            for (String d : w[1].split(",")) {
                size *= Integer.parseInt(d);
            }
            boolean variance = w[0].endsWith("variance");
            for (int i = 0; i < size; i++) {
                data.putFloat(variance ? 1f + random.nextFloat() : (float) random.nextGaussian() * 0.3f);
            }
            specs.append(specs.isEmpty() ? "" : ",").append("{\"name\": \"").append(w[0])
                    .append("\", \"shape\": [").append(w[1]).append("], \"dtype\": \"float32\"}");
        }
        Files.createDirectories(folder);
        Files.write(folder.resolve("towers.bin"), data.array());
        Path json = folder.resolve("model.json");
        Files.writeString(json, "{\"format\": \"layers-model\", \"modelTopology\": " + topology
                + ", \"weightsManifest\": [{\"paths\": [\"towers.bin\"], \"weights\": [" + specs + "]}]}");
        return json;
    }
}

package io.caption4j.vision.tfjs;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A TensorFlow.js "layers" model as exported by Teachable Machine or {@code tensorflowjs_converter}: the Keras topology
 * of {@code model.json} flattened into its layers (nested Sequential and functional models included), and the weights
 * of its {@code weightsManifest} read from the binary shards next to it.
 */
public final class TfjsLayersModel {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path source;
    private final List<KerasLayer> layers;
    private final Map<String, TfjsWeight> weights;
    private final String sha256;
    private final List<Path> files;
    private final JsonNode userDefinedMetadata;

    private TfjsLayersModel(Path source, List<KerasLayer> layers, Map<String, TfjsWeight> weights, String sha256,
            List<Path> files, JsonNode userDefinedMetadata) {
        this.source = source;
        this.files = files;
        this.userDefinedMetadata = userDefinedMetadata;
        this.layers = layers;
        this.weights = weights;
        this.sha256 = sha256;
    }

    /** Reads {@code model.json} and its weight shards; any inconsistency is an {@link InputException}. */
    public static TfjsLayersModel load(Path modelJson) {
        MessageDigest digest = sha256Digest();
        byte[] jsonBytes = readFile(modelJson, modelJson);
        digest.update(jsonBytes);
        JsonNode root = parse(modelJson, jsonBytes);
        JsonNode topology = root.get("modelTopology");
        if (topology == null || !topology.isObject()) {
            throw InputException.at(modelJson, "no 'modelTopology' object; not a TF.js layers model");
        }
        if (topology.has("model_config")) {
            topology = topology.get("model_config");
        }
        List<KerasLayer> layers = new ArrayList<>();
        flattenModel(modelJson, topology, "", null, layers);
        JsonNode manifest = root.get("weightsManifest");
        if (manifest == null || !manifest.isArray()) {
            throw InputException.at(modelJson, "no 'weightsManifest' list");
        }
        Map<String, TfjsWeight> weights = new LinkedHashMap<>();
        List<Path> files = new ArrayList<>(List.of(modelJson));
        for (JsonNode group : manifest) {
            readGroup(modelJson, group, digest, weights, files);
        }
        return new TfjsLayersModel(modelJson, Collections.unmodifiableList(layers),
                Collections.unmodifiableMap(weights), HexFormat.of().formatHex(digest.digest()), List.copyOf(files),
                root.path("userDefinedMetadata"));
    }

    public Path source() {
        return source;
    }

    /** {@code model.json} and its weight shards: everything needed to load the model again elsewhere. */
    public List<Path> files() {
        return files;
    }

    /** All leaf layers in topology order. */
    public List<KerasLayer> layers() {
        return layers;
    }

    public Optional<KerasLayer> findLayer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    public KerasLayer layer(String name) {
        return findLayer(name).orElseThrow(() -> InputException.at(source, "the topology has no layer '" + name + "'"));
    }

    /** Weights by manifest name, in manifest order. */
    public Map<String, TfjsWeight> weights() {
        return weights;
    }

    /**
     * The {@code userDefinedMetadata} object of {@code model.json} (TF.js' place for what the exporter wants to say
     * about the model); a missing node when there is none.
     */
    public JsonNode userDefinedMetadata() {
        return userDefinedMetadata;
    }

    /** SHA-256 over {@code model.json} and every weight shard, in manifest order. */
    public String sha256() {
        return sha256;
    }

    private static JsonNode parse(Path file, byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            long line = at == null ? 0 : at.getLineNr();
            throw InputException.at(file, Math.max(line, 1), "malformed JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        }
    }

    /** Appends the leaf layers of a Sequential or functional model (recursively) to {@code into}. */
    private static void flattenModel(Path file, JsonNode model, String container, String sequentialInput,
            List<KerasLayer> into) {
        String className = model.path("class_name").asText();
        JsonNode config = model.path("config");
        String name = config.path("name").asText(model.path("name").asText());
        JsonNode layerList = config.isArray() ? config : config.path("layers");
        if (!layerList.isArray()) {
            throw InputException.at(file, "model '" + name + "' (" + className + ") has no layer list");
        }
        boolean sequential = className.equals("Sequential");
        String previous = sequentialInput;
        for (JsonNode layer : layerList) {
            String layerClass = layer.path("class_name").asText();
            JsonNode layerConfig = layer.path("config");
            String layerName = layer.path("name").asText(layerConfig.path("name").asText());
            if (layerName.isEmpty()) {
                throw InputException.at(file, "a layer of '" + name + "' has no name");
            }
            List<String> inbound = sequential
                    ? (previous == null ? List.of() : List.of(previous))
                    : inboundNames(layer.path("inbound_nodes"));
            if (layerClass.equals("Sequential") || layerClass.equals("Model") || layerClass.equals("Functional")) {
                flattenModel(file, layer, name, inbound.isEmpty() ? null : inbound.get(0), into);
            } else {
                into.add(new KerasLayer(file, layerClass, layerName, layerConfig, inbound, name));
            }
            previous = layerName;
        }
    }

    private static List<String> inboundNames(JsonNode nodes) {
        List<String> names = new ArrayList<>();
        for (JsonNode node : nodes) {
            for (JsonNode tensor : node) {
                if (tensor.isArray() && tensor.size() > 0) {
                    names.add(tensor.get(0).asText());
                }
            }
        }
        return names;
    }

    /** Reads one manifest group: its shards are concatenated and hold its weights back to back, in order. */
    private static void readGroup(Path modelJson, JsonNode group, MessageDigest digest,
            Map<String, TfjsWeight> into, List<Path> files) {
        Path dir = modelJson.toAbsolutePath().getParent();
        List<byte[]> shards = new ArrayList<>();
        List<String> shardNames = new ArrayList<>();
        for (JsonNode path : group.path("paths")) {
            byte[] bytes = readFile(modelJson, dir.resolve(path.asText()));
            digest.update(bytes);
            shards.add(bytes);
            shardNames.add(path.asText());
            files.add(dir.resolve(path.asText()));
        }
        long available = shards.stream().mapToLong(b -> b.length).sum();
        long needed = 0;
        List<WeightSpec> specs = new ArrayList<>();
        for (JsonNode entry : group.path("weights")) {
            WeightSpec spec = WeightSpec.parse(modelJson, entry);
            specs.add(spec);
            needed += spec.bytes();
        }
        if (needed != available) {
            throw InputException.at(modelJson, "the weights manifest describes " + needed + " bytes but "
                    + String.join(" + ", shardNames) + " hold " + available + " bytes ("
                    + (available < needed ? "too short" : "too long") + ")");
        }
        ByteBuffer data = ByteBuffer.allocate((int) available).order(ByteOrder.LITTLE_ENDIAN);
        shards.forEach(data::put);
        data.flip();
        for (WeightSpec spec : specs) {
            if (into.containsKey(spec.name())) {
                throw InputException.at(modelJson, "weight '" + spec.name() + "' appears twice in the manifest");
            }
            into.put(spec.name(), new TfjsWeight(spec.name(), spec.shape(), spec.read(data)));
        }
    }

    private static byte[] readFile(Path modelJson, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw file.equals(modelJson)
                    ? InputException.at(file, "no such file")
                    : InputException.at(modelJson, "weight shard " + file + " does not exist");
        } catch (IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        }
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }
}

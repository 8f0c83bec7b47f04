package io.caption4j.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.caption4j.model.Captioner;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.AtomicFiles;
import io.caption4j.util.InputException;
import io.caption4j.vision.FrozenBackbone;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A captioner on disk:
 *
 * <pre>
 * config.json          architecture ({@link CaptionerConfig})
 * vocab.json           the vocabulary
 * weights.safetensors  every parameter, float32, named as the network names them
 * backbone/            for a model that reads a frozen backbone's features: that backbone's own files
 *                      (a TensorFlow.js model.json and its weight shards), so the directory is self-contained
 * manifest.json        format version and the SHA-256 of each file above
 * </pre>
 *
 * The whole directory is built aside and swapped into place, so a crash never leaves a half-written model; on load
 * the checksums catch a damaged or mixed-up file before any weight is used.
 */
public final class ModelDirectory {
    public static final String FORMAT = "caption4j-captioner/1";
    static final String CONFIG = "config.json";
    static final String VOCABULARY = "vocab.json";
    static final String WEIGHTS = "weights.safetensors";
    static final String MANIFEST = "manifest.json";
    static final String BACKBONE = "backbone";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelDirectory() {}

    public record Manifest(String format, Map<String, String> sha256) {}

    public static void save(Captioner captioner, Path directory) throws IOException {
        AtomicFiles.writeDirectory(directory, dir -> {
            JSON.writeValue(dir.resolve(CONFIG).toFile(), captioner.config());
            captioner.vocabulary().save(dir.resolve(VOCABULARY));
            writeParameters(captioner, dir.resolve(WEIGHTS));
            List<String> files = new ArrayList<>(List.of(CONFIG, VOCABULARY, WEIGHTS));
            if (captioner.backbone() != null) {
                files.addAll(copyBackbone(captioner.backbone(), dir.resolve(BACKBONE)));
            }
            Map<String, String> sums = new LinkedHashMap<>();
            for (String name : files) {
                sums.put(name, sha256(dir.resolve(name)));
            }
            JSON.writeValue(dir.resolve(MANIFEST).toFile(), new Manifest(FORMAT, sums));
        });
    }

    /** Copies the backbone's files, keeping their paths relative to its {@code model.json}; returns those paths. */
    private static List<String> copyBackbone(FrozenBackbone backbone, Path target) throws IOException {
        Path root = backbone.files().get(0).toAbsolutePath().getParent();
        List<String> copied = new ArrayList<>();
        for (Path file : backbone.files()) {
            Path relative = root.relativize(file.toAbsolutePath());
            Path destination = target.resolve(relative.toString());
            Files.createDirectories(destination.getParent());
            Files.copy(file, destination);
            copied.add(BACKBONE + "/" + relative.toString().replace('\\', '/'));
        }
        return copied;
    }

    static void writeParameters(Captioner captioner, Path file) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : captioner.network().getParameters()) {
            NDArray array = p.getValue().getArray();
            shapes.put(p.getKey(), array.getShape().getShape());
            values.put(p.getKey(), array.toFloatArray());
        }
        SafeTensors.write(file, shapes, values, Map.of("format", FORMAT));
    }

    /**
     * Loads a model directory, or the best model of a training run directory (its {@code model/}); every problem is
     * an {@link InputException} naming the file.
     */
    public static Captioner load(Path directory) {
        if (!Files.isRegularFile(directory.resolve(MANIFEST)) && Files.isRegularFile(
                directory.resolve("model").resolve(MANIFEST))) {
            directory = directory.resolve("model");
        }
        if (!Files.isDirectory(directory)) {
            throw InputException.at(directory, "model directory not found");
        }
        Path manifestFile = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw InputException.at(directory, "not a caption4j model directory (no " + MANIFEST + ")");
        }
        Manifest manifest;
        CaptionerConfig config;
        try {
            manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
        } catch (IOException e) {
            throw InputException.at(manifestFile, "unreadable: " + e.getMessage());
        }
        if (!FORMAT.equals(manifest.format())) {
            throw InputException.at(manifestFile, "format " + manifest.format() + " is not " + FORMAT);
        }
        for (Map.Entry<String, String> e : manifest.sha256().entrySet()) {
            Path file = directory.resolve(e.getKey());
            if (!Files.isRegularFile(file)) {
                throw InputException.at(file, "missing from the model directory");
            }
            if (!sha256(file).equals(e.getValue())) {
                throw InputException.at(file, "corrupted: its checksum does not match " + MANIFEST);
            }
        }
        try {
            config = JSON.readValue(directory.resolve(CONFIG).toFile(), CaptionerConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw InputException.at(directory.resolve(CONFIG), "invalid model config: " + e.getMessage());
        }
        Vocabulary vocabulary = Vocabulary.load(directory.resolve(VOCABULARY));
        FrozenBackbone backbone = null;
        if (!config.trainsEncoder()) {
            Path modelJson = directory.resolve(BACKBONE).resolve("model.json");
            backbone = FrozenBackbone.mobileNetV2(modelJson);
            if (!backbone.encoder().identity().equals(config.backbone())) {
                backbone.close();
                throw InputException.at(modelJson, "is not the backbone this model was trained on ("
                        + config.backbone() + ")");
            }
        }
        Captioner captioner = Captioner.create(config, vocabulary, 0, backbone);
        try {
            readParameters(captioner, directory.resolve(WEIGHTS));
        } catch (RuntimeException e) {
            captioner.close();
            throw e;
        }
        return captioner;
    }

    static void readParameters(Captioner captioner, Path file) {
        SafeTensors weights = SafeTensors.open(file);
        for (Pair<String, Parameter> p : captioner.network().getParameters()) {
            NDArray array = p.getValue().getArray();
            SafeTensors.Entry entry = weights.entries().get(p.getKey());
            if (entry == null) {
                throw InputException.at(file, "has no tensor for parameter '" + p.getKey() + "'");
            }
            if (!java.util.Arrays.equals(entry.shape(), array.getShape().getShape())) {
                throw InputException.at(file, "tensor '" + p.getKey() + "' has shape "
                        + java.util.Arrays.toString(entry.shape()) + ", the model needs " + array.getShape());
            }
            array.set(weights.floats(p.getKey()));
        }
    }

    static String sha256(Path file) {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            while (in.read(buffer) >= 0) {
                // reading feeds the digest
            }
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.caption4j.model.io;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.caption4j.util.AtomicFiles;
import io.caption4j.util.InputException;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.MobileNetV2;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * How every caption4j model lives on disk: a directory of files plus {@code manifest.json}, which names the model's
 * format (say {@code caption4j-captioner/1}) and the SHA-256 of every other file in the directory.
 *
 * <p>The whole directory is built aside and swapped into place, so a crash never leaves a half-written model; on
 * load the checksums catch a damaged or mixed-up file before any weight is used. Parameters are stored as float32
 * safetensors named as the network names them; a frozen backbone travels in {@code backbone/} with its own files,
 * so the directory is self-contained.
 */
public final class ModelDirectory {
    public static final String MANIFEST = "manifest.json";
    public static final String BACKBONE = "backbone";
    /** Inside a training run directory, the best model is here. */
    public static final String RUN_MODEL = "model";
    public static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ModelDirectory() {}

    public record Manifest(String format, Map<String, String> sha256) {}

    /** Writes the files of a model into a fresh directory. */
    @FunctionalInterface
    public interface Contents {
        void write(Path directory) throws IOException;
    }

    /** A verified model directory: every file matches the manifest. */
    public record Verified(Path directory, String format) {
        public Path file(String name) {
            return directory.resolve(name);
        }
    }

    /** Writes {@code contents} and a manifest of all its files, atomically replacing {@code directory}. */
    public static void write(Path directory, String format, Contents contents) throws IOException {
        AtomicFiles.writeDirectory(directory, dir -> {
            contents.write(dir);
            Map<String, String> sums = new LinkedHashMap<>();
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
                    sums.put(dir.relativize(file).toString().replace('\\', '/'), sha256(file));
                }
            }
            JSON.writeValue(dir.resolve(MANIFEST).toFile(), new Manifest(format, sums));
        });
    }

    /**
     * Opens a model directory, or the best model of a training run directory (its {@code model/}), and checks every
     * file against the manifest; every problem is an {@link InputException} naming the file.
     */
    public static Verified open(Path directory) {
        if (!Files.isRegularFile(directory.resolve(MANIFEST))
                && Files.isRegularFile(directory.resolve(RUN_MODEL).resolve(MANIFEST))) {
            directory = directory.resolve(RUN_MODEL);
        }
        if (!Files.isDirectory(directory)) {
            throw InputException.at(directory, "model directory not found");
        }
        Path manifestFile = directory.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw InputException.at(directory, "not a caption4j model directory (no " + MANIFEST + ")");
        }
        Manifest manifest;
        try {
            manifest = JSON.readValue(manifestFile.toFile(), Manifest.class);
        } catch (IOException e) {
            throw InputException.at(manifestFile, "unreadable: " + e.getMessage());
        }
        if (manifest.format() == null || manifest.sha256() == null) {
            throw InputException.at(manifestFile, "has no format or no checksums");
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
        return new Verified(directory, manifest.format());
    }

    /** Like {@link #open} but refuses any format other than {@code format}. */
    public static Verified open(Path directory, String format) {
        Verified verified = open(directory);
        if (!format.equals(verified.format())) {
            throw InputException.at(verified.file(MANIFEST), "holds a " + verified.format() + " model, not "
                    + format);
        }
        return verified;
    }

    /** Reads a JSON file of a verified directory; a bad one is an {@link InputException} naming it. */
    public static <T> T readJson(Path file, Class<T> type) {
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (IOException | IllegalArgumentException e) {
            throw InputException.at(file, "invalid: " + e.getMessage());
        }
    }

    /** Every parameter of {@code block}, float32, named by its path in the block tree. */
    public static void writeParameters(Block block, Path file, String format) throws IOException {
        Map<String, long[]> shapes = new LinkedHashMap<>();
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            shapes.put(p.getKey(), array.getShape().getShape());
            values.put(p.getKey(), array.toFloatArray());
        }
        SafeTensors.write(file, shapes, values, Map.of("format", format));
    }

    /** Sets every parameter of {@code block} from {@code file}; a missing or mis-shaped tensor is refused. */
    public static void readParameters(Block block, Path file) {
        SafeTensors weights = SafeTensors.open(file);
        for (Pair<String, Parameter> p : block.getParameters()) {
            NDArray array = p.getValue().getArray();
            SafeTensors.Entry entry = weights.entries().get(p.getKey());
            if (entry == null) {
                throw InputException.at(file, "has no tensor for parameter '" + p.getKey() + "'");
            }
            if (!Arrays.equals(entry.shape(), array.getShape().getShape())) {
                throw InputException.at(file, "tensor '" + p.getKey() + "' has shape "
                        + Arrays.toString(entry.shape()) + ", the model needs " + array.getShape());
            }
            ArrayValues.assign(array, weights.floats(p.getKey()));
        }
    }

    /**
     * Copies the backbone's files into {@code directory/backbone}, keeping their paths relative to the first one's
     * folder (model.json's for MobileNetV2, the Hugging Face folder's for CLIP).
     */
    public static void copyBackbone(FrozenBackbone backbone, Path directory) throws IOException {
        Path root = backbone.files().get(0).toAbsolutePath().getParent();
        for (Path file : backbone.files()) {
            Path destination = directory.resolve(BACKBONE).resolve(root.relativize(file.toAbsolutePath()).toString());
            Files.createDirectories(destination.getParent());
            Files.copy(file, destination);
        }
    }

    /**
     * The backbone stored in a model directory, at the input size the model was trained with, refused unless it is
     * the one the model was trained on.
     */
    public static FrozenBackbone loadBackbone(Verified model, String identity, int inputSize) {
        return loadBackbone(model, identity, inputSize, MobileNetV2.Output.OUT_RELU);
    }

    /** As {@link #loadBackbone(Verified, String, int)}, a MobileNetV2 giving its regions at {@code output}. */
    public static FrozenBackbone loadBackbone(Verified model, String identity, int inputSize,
            MobileNetV2.Output output) {
        Path folder = model.file(BACKBONE);
        FrozenBackbone backbone = FrozenBackbone.open(folder, inputSize, output);
        if (!backbone.encoder().identity().equals(identity)) {
            backbone.close();
            throw InputException.at(folder, "is not the backbone this model was trained on (" + identity + ")");
        }
        return backbone;
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

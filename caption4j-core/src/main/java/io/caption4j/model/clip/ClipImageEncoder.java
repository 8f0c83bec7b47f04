package io.caption4j.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import io.caption4j.util.InputException;
import io.caption4j.vision.ClipPreprocessor;
import io.caption4j.vision.ImageEncoder;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * CLIP's vision tower as a frozen image encoder, with CLIP's own preprocessing. The pooled vector is the image
 * embedding [B, projection_dim] (visual_projection of the class token after post_layernorm: what ClipCap's paper
 * maps into the prefix); the regions are the R = (image_size / patch_size)² patch tokens of the last hidden state
 * through the same post_layernorm and visual_projection [B, R, projection_dim], so both live in one space.
 */
public final class ClipImageEncoder implements ImageEncoder, AutoCloseable {
    private final ClipModel model;
    private final ClipPreprocessor preprocessor;
    private final String identity;

    private ClipImageEncoder(ClipModel model, ClipPreprocessor preprocessor, String identity) {
        this.model = model;
        this.preprocessor = preprocessor;
        this.identity = identity;
    }

    /** The files a Hugging Face CLIP folder is loaded from (preprocessor_config.json only when present). */
    public static List<Path> files(Path folder) {
        Path preprocessing = folder.resolve(ClipPreprocessor.CONFIG);
        return Files.exists(preprocessing)
                ? List.of(folder.resolve(ClipModel.CONFIG), folder.resolve(ClipModel.WEIGHTS), preprocessing)
                : List.of(folder.resolve(ClipModel.CONFIG), folder.resolve(ClipModel.WEIGHTS));
    }

    /** Loads a Hugging Face {@code CLIPModel} folder (its text tower is loaded too, and unused here). */
    public static ClipImageEncoder load(Path folder) {
        ClipModel model = ClipModel.load(folder);
        try {
            ClipConfig.Vision vision = model.config().vision();
            ClipPreprocessor preprocessor = ClipPreprocessor.read(folder, vision.imageSize());
            String identity = String.format("clip-vision sha256=%s input=%dx%d RGB NHWC %s"
                    + " output=projected-patch-tokens+image-embeds(%d)", sha256(files(folder)), vision.imageSize(),
                    vision.imageSize(), preprocessor.identity(), model.config().projectionDim());
            return new ClipImageEncoder(model, preprocessor, identity);
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static String sha256(List<Path> files) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (Path file : files) {
                try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
                    while (in.read(buffer) >= 0) {
                        // reading feeds the digest
                    }
                } catch (IOException e) {
                    throw InputException.at(file, "cannot be read: " + e.getMessage());
                }
            }
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public NDList encode(NDArray images) {
        NDArray tokens = model.projectedImageTokens(images.transpose(0, 3, 1, 2)); // NHWC → pixel_values NCHW
        return new NDList(tokens.get(new NDIndex(":, 1:, :")), tokens.get(new NDIndex(":, 0, :")));
    }

    @Override
    public int featureSize() {
        return model.config().projectionDim();
    }

    @Override
    public int inputSize() {
        return model.config().vision().imageSize();
    }

    @Override
    public ClipPreprocessor preprocessor() {
        return preprocessor;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public void close() {
        model.close();
    }
}

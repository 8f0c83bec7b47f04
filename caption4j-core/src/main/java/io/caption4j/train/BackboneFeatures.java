package io.caption4j.train;

import ai.djl.ndarray.types.DataType;
import io.caption4j.data.CaptionDataset;
import io.caption4j.util.Problems;
import io.caption4j.vision.FeatureCache;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.ImagePreprocessor;
import io.caption4j.vision.RgbImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A frozen backbone's features (regions and pooled vector) of a dataset's images, computed once into a
 * {@link FeatureCache} and reused by every later run on the same images, whatever model trains on them.
 */
public final class BackboneFeatures {
    private static final int BATCH_SIZE = 16;
    private static final int DECODE_THREADS = 2;

    private BackboneFeatures() {}

    /** The cache for {@code ids} under {@code cacheRoot}, extracted now if it is missing or stale. */
    public static FeatureCache extract(CaptionDataset dataset, List<String> ids, FrozenBackbone backbone,
            Path cacheRoot, Problems problems, PrintStream out) throws IOException {
        return extract(dataset, ids, backbone, false, cacheRoot, problems, out);
    }

    /**
     * The cache for {@code ids} under {@code cacheRoot}, extracted now if it is missing or stale.
     *
     * @param mirrored the features of the photos flipped left to right (for {@link FlipAugmentation})
     */
    public static FeatureCache extract(CaptionDataset dataset, List<String> ids, FrozenBackbone backbone,
            boolean mirrored, Path cacheRoot, Problems problems, PrintStream out) throws IOException {
        ImageLoader loader = new ImageLoader();
        ImagePreprocessor preprocessor = backbone.encoder().preprocessor();
        FeatureCache.Extraction extraction = new FeatureCache.Extraction(backbone.encoder(),
                ImageLoader.IDENTITY + (mirrored ? " | flipped left-right" : "") + " | " + preprocessor.identity(),
                id -> {
                    RgbImage image = loader.load(dataset.get(id).image());
                    return preprocessor.toTensor(mirrored ? image.flipHorizontal() : image);
                }, DataType.FLOAT16, BATCH_SIZE, DECODE_THREADS);
        Path dir = cacheRoot.resolve("features-" + shortHash(extraction.encoder().identity() + "\n"
                + String.join("\n", ids)) + (mirrored ? "-mirrored" : ""));
        out.println("features: " + dir);
        return FeatureCache.openOrBuild(dir, ids, extraction, problems, out);
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

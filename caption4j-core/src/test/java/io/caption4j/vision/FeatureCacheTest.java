package io.caption4j.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {
    private static final List<String> IDS = List.of("a", "b", "bad", "c", "d", "e", "f");

    @TempDir
    Path tmp;

    private final NDManager manager = NDManager.newBaseManager();
    private final FakeEncoder encoder = new FakeEncoder("fake-1");
    private final AtomicInteger loads = new AtomicInteger();

    @AfterEach
    void close() {
        manager.close();
    }

    @Test
    void storesEveryImagesFeaturesAndRecordsUnreadableOnes() throws IOException {
        Problems problems = Problems.silent();
        try (FeatureCache cache = FeatureCache.openOrBuild(tmp.resolve("c"), IDS, extraction(encoder, DataType.FLOAT32),
                problems, null)) {
            assertEquals(List.of("bad.jpg: not a JPEG"), problems.messages());
            assertEquals(Set.of("bad"), cache.missing());
            assertEquals(IDS, cache.ids());
            assertEquals(4, cache.regionCount());
            assertEquals(3, cache.channels());
            int[] all = {0, 1, 3, 4, 5, 6};
            NDArray regions = cache.regions(manager, 6, 0, 4);
            assertEquals(new ai.djl.ndarray.types.Shape(3, 4, 3), regions.getShape());
            for (int i : all) {
                NDList expected = encoder.encode(manager.create(image(IDS.get(i))).reshape(1, 4, 4, 3));
                assertArrayEquals(expected.get(0).toFloatArray(), cache.regions(manager, i).toFloatArray());
                assertArrayEquals(expected.get(1).toFloatArray(), cache.pooled(manager, i).toFloatArray());
            }
            assertArrayEquals(new float[12], cache.regions(manager, cache.indexOf("bad")).toFloatArray());
            assertEquals(-1, cache.indexOf("nope"));
        }
    }

    @Test
    void float16StorageKeepsValuesWithinHalfPrecision() throws IOException {
        try (FeatureCache cache = FeatureCache.openOrBuild(tmp.resolve("c"), IDS, extraction(encoder, DataType.FLOAT16),
                Problems.silent(), null)) {
            float[] expected = encoder.encode(manager.create(image("e")).reshape(1, 4, 4, 3)).get(0).toFloatArray();
            float[] stored = cache.regions(manager, cache.indexOf("e")).toFloatArray();
            for (int i = 0; i < expected.length; i++) {
                assertEquals(expected[i], stored[i], Math.abs(expected[i]) / 1024, "value " + i);
            }
            assertTrue(cache.key().contains("storage: float16"), cache.key());
        }
    }

    @Test
    void reopensWithoutRecomputingAndRebuildsWhenTheEncoderChanges() throws IOException {
        Path dir = tmp.resolve("c");
        FeatureCache.openOrBuild(dir, IDS, extraction(encoder, DataType.FLOAT32), Problems.silent(), null).close();
        assertEquals(7, loads.get());
        try (FeatureCache again = FeatureCache.openOrBuild(dir, IDS, extraction(encoder, DataType.FLOAT32),
                Problems.silent(), null)) {
            assertEquals(7, loads.get(), "a matching cache must not extract again");
            assertEquals(Set.of("bad"), again.missing());
        }
        FakeEncoder other = new FakeEncoder("fake-2");
        try (FeatureCache rebuilt = FeatureCache.openOrBuild(dir, IDS, extraction(other, DataType.FLOAT32),
                Problems.silent(), null)) {
            assertEquals(14, loads.get());
            assertTrue(rebuilt.key().startsWith("fake-2"), rebuilt.key());
            assertEquals(2 * image("a")[0], rebuilt.regions(manager, 0).toFloatArray()[0]);
        }
        FeatureCache.openOrBuild(dir, IDS.subList(0, 3), extraction(other, DataType.FLOAT32), Problems.silent(),
                null).close();
        assertEquals(17, loads.get(), "other ids, other cache");
    }

    @Test
    void rebuildsATruncatedOrGarbledCache() throws IOException {
        Path dir = tmp.resolve("c");
        FeatureCache.openOrBuild(dir, IDS, extraction(encoder, DataType.FLOAT32), Problems.silent(), null).close();
        try (FileChannel data = FileChannel.open(dir.resolve("features.bin"), StandardOpenOption.WRITE)) {
            data.truncate(100);
        }
        try (FeatureCache cache = FeatureCache.openOrBuild(dir, IDS, extraction(encoder, DataType.FLOAT32),
                Problems.silent(), null)) {
            assertEquals(14, loads.get());
            assertEquals(image("d")[0], cache.regions(manager, 4).toFloatArray()[0]);
        }
        Files.writeString(dir.resolve("features.json"), "{\"format\": ");
        try (FeatureCache cache = FeatureCache.openOrBuild(dir, IDS, extraction(encoder, DataType.FLOAT32),
                Problems.silent(), null)) {
            assertEquals(21, loads.get());
            assertEquals(IDS, cache.ids());
        }
    }

    @Test
    void refusesToReplaceADirectoryThatIsNotACache() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("photos"));
        Files.writeString(dir.resolve("holiday.jpg"), "x");
        InputException e = assertThrows(InputException.class, () -> FeatureCache.openOrBuild(dir, IDS,
                extraction(encoder, DataType.FLOAT32), Problems.silent(), null));
        assertEquals(dir + ": not a feature cache (it holds holiday.jpg); choose an empty or new directory",
                e.getMessage());
        assertTrue(Files.exists(dir.resolve("holiday.jpg")));
    }

    private FeatureCache.Extraction extraction(ImageEncoder encoder, DataType storage) {
        return new FeatureCache.Extraction(encoder, "fake-pixels", id -> {
            loads.incrementAndGet();
            if (id.equals("bad")) {
                throw InputException.at(id + ".jpg", "not a JPEG");
            }
            return image(id);
        }, storage, 3, 2);
    }

    /** A 4×4×3 image whose values depend on the id. */
    private static float[] image(String id) {
        float[] values = new float[48];
        for (int i = 0; i < values.length; i++) {
            values[i] = id.charAt(0) * 0.01f + i * 0.1f;
        }
        return values;
    }

    /** Regions = the 4 pixels of the top row (times a version factor), pooled = their mean. */
    private static final class FakeEncoder implements ImageEncoder {
        private final String identity;
        private final float factor;

        FakeEncoder(String identity) {
            this.identity = identity;
            this.factor = identity.endsWith("2") ? 2 : 1;
        }

        @Override
        public NDList encode(NDArray images) {
            NDArray regions = images.get(":, 0, :, :").mul(factor);
            return new NDList(regions, regions.mean(new int[] {1}));
        }

        @Override
        public int featureSize() {
            return 3;
        }

        @Override
        public int inputSize() {
            return 4;
        }

        @Override
        public ImagePreprocessor preprocessor() {
            return new TfjsPreprocessor(4, TfjsPreprocessor.Normalization.MINUS_ONE_TO_ONE);
        }

        @Override
        public String identity() {
            return identity;
        }
    }
}

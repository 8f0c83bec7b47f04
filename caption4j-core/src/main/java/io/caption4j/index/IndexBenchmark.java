package io.caption4j.index;

import ai.djl.ndarray.NDManager;
import io.caption4j.vision.TfjsPreprocessor;
import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.model.joint.JointEmbedders;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageFiles;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.apache.lucene.util.Version;

/**
 * Prints the speed and memory of the retrieval index: images/s indexed from image files, and, over an index of
 * synthetic unit vectors, query latency (p50/p99) with recall against exact search, index size and heap.
 *
 * <p>Usage: {@code IndexBenchmark [--vectors 100000] [--dimension 256] [--queries 1000] [-k 10]
 * [--candidates 100,200,400] [--intrinsic-dimension 0] [--images DIR [--model DIR] [--batch-size 32]]} (--vectors 0:
 * images only); latency
 * and recall are measured for each candidate count (what the HNSW search keeps: more finds more of the true
 * nearest, and costs time). Without {@code --model} images are decoded and resized to 224 px
 * as a MobileNetV2-based model needs, and the vector is the mean colour: everything but the network is timed.
 * Synthetic vectors are uniformly random on the unit sphere, the hardest case for HNSW: in 256 dimensions every
 * point is nearly as far from a query as its nearest neighbour. Real embeddings vary along far fewer directions than
 * they have; {@code --intrinsic-dimension D} makes vectors like that: a random linear map of D-dimensional Gaussian
 * points plus 10% noise in every direction, normalised.
 */
public final class IndexBenchmark {
    private static final int RECALL_QUERIES = 100;
    private static final int WARMUP_QUERIES = 500;
    /** CPU time per query: on a shared machine, wall time also counts the time other processes had the core. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private IndexBenchmark() {}

    public static void main(String[] args) throws IOException {
        Map<String, String> options = options(args);
        int vectors = Integer.parseInt(options.getOrDefault("--vectors", "100000"));
        int dimension = Integer.parseInt(options.getOrDefault("--dimension", "256"));
        int queries = Integer.parseInt(options.getOrDefault("--queries", "1000"));
        int k = Integer.parseInt(options.getOrDefault("-k", "10"));
        int intrinsic = Integer.parseInt(options.getOrDefault("--intrinsic-dimension", "0"));
        int[] candidates = Arrays.stream(options.getOrDefault("--candidates",
                EmbeddingIndexReader.DEFAULT_CANDIDATES + ",200,400").split(",")).mapToInt(Integer::parseInt).toArray();
        System.out.printf(Locale.ROOT, "machine: %d cores, %s %s, Java %s, Lucene %s, max heap %d MB, load average"
                + " %.2f%n", Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.version"), Version.LATEST,
                Runtime.getRuntime().maxMemory() >> 20,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        Path work = Files.createTempDirectory("caption4j-index-bench");
        try {
            if (options.containsKey("--images")) {
                imageIndexing(Path.of(options.get("--images")), options.get("--model"),
                        Integer.parseInt(options.getOrDefault("--batch-size", "32")), work.resolve("images"));
            }
            if (vectors > 0) {
                vectorSearch(new VectorSource(dimension, intrinsic), vectors, queries, k, candidates,
                        work.resolve("vectors"));
            }
        } finally {
            deleteTree(work);
        }
    }

    private static void imageIndexing(Path images, String model, int batchSize, Path folder) {
        Problems problems = new Problems(System.err);
        List<Path> files = ImageFiles.expand(List.of(images), problems);
        try (JointEmbedder embedder = model == null ? new MeanColour() : JointEmbedders.load(Path.of(model))) {
            String what = model == null ? "no model: decode + resize to 224 px + Lucene, the network not included"
                    : "model " + model;
            IndexModel recorded = IndexModel.of(embedder, Path.of(model == null ? "none" : model));
            long start = System.nanoTime();
            IndexingCounts counts;
            try (EmbeddingIndexWriter index = EmbeddingIndexWriter.open(folder, recorded)) {
                counts = ImageIndexing.index(embedder, index, files, batchSize, problems, null);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "indexing images (%s): %d files in %.1f s = %.1f images/s, batch %d"
                    + " (%d failed)%n", what, files.size(), seconds, counts.added() / seconds, batchSize,
                    counts.failed());
            start = System.nanoTime();
            try (EmbeddingIndexWriter index = EmbeddingIndexWriter.open(folder, recorded)) {
                counts = ImageIndexing.index(embedder, index, files, batchSize, problems, null);
            }
            System.out.printf(Locale.ROOT, "re-run with nothing changed: %d unchanged in %.2f s%n",
                    counts.unchanged(), (System.nanoTime() - start) / 1e9);
        }
    }

    private static void vectorSearch(VectorSource source, int count, int queries, int k, int[] candidates,
            Path folder) throws IOException {
        float[][] vectors = new float[count][];
        for (int i = 0; i < count; i++) {
            vectors[i] = source.next();
        }
        int dimension = source.dimension();
        IndexModel model = new IndexModel("synthetic-unit-vectors", dimension, Path.of("synthetic"));
        long start = System.nanoTime();
        try (EmbeddingIndexWriter index = EmbeddingIndexWriter.open(folder, model)) {
            for (int i = 0; i < count; i++) {
                index.putImage(new IndexedImage("v" + i, Path.of("/synthetic/v" + i), new FileStamp(0, 0)),
                        vectors[i]);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "synthetic index: %d unit vectors of dimension %d (%s) written and committed"
                + " in %.1f s = %.0f vectors/s%n", count, dimension, source.describe(), seconds, count / seconds);
        float[][] probes = new float[queries][];
        for (int i = 0; i < queries; i++) {
            probes[i] = source.next();
        }
        measureQueries("as written", folder, vectors, probes, k, candidates);
        start = System.nanoTime();
        try (EmbeddingIndexWriter index = EmbeddingIndexWriter.open(folder, model)) {
            index.forceMerge();
        }
        System.out.printf(Locale.ROOT, "force-merged to one segment in %.1f s%n", (System.nanoTime() - start) / 1e9);
        measureQueries("one segment", folder, vectors, probes, k, candidates);
    }

    private static void measureQueries(String state, Path folder, float[][] vectors, float[][] probes, int k,
            int[] candidates) throws IOException {
        long heapBefore = usedHeapAfterGc();
        try (EmbeddingIndexReader index = EmbeddingIndexReader.open(folder)) {
            for (int n : candidates) {
                for (int i = 0; i < WARMUP_QUERIES; i++) {
                    index.nearest(ItemKind.IMAGE, probes[i % probes.length], k, n);
                }
                double[] ms = new double[probes.length];
                double[] cpuMs = new double[probes.length];
                for (int i = 0; i < probes.length; i++) {
                    long cpu = THREADS.getCurrentThreadCpuTime();
                    long start = System.nanoTime();
                    index.nearest(ItemKind.IMAGE, probes[i], k, n);
                    ms[i] = (System.nanoTime() - start) / 1e6;
                    cpuMs[i] = (THREADS.getCurrentThreadCpuTime() - cpu) / 1e6;
                }
                System.out.printf(Locale.ROOT, "%s (%d segments), k=%d, %d candidates, %d queries: wall p50 %.2f ms,"
                        + " p99 %.2f ms; CPU p50 %.2f ms, p99 %.2f ms; recall@%d %.3f against exact search (%d"
                        + " queries)%n", state, segments(folder), k, n, probes.length, percentile(ms, 50),
                        percentile(ms, 99), percentile(cpuMs, 50), percentile(cpuMs, 99), k,
                        recall(index, vectors, probes, k, n), RECALL_QUERIES);
            }
            System.out.printf(Locale.ROOT, "memory: index on disk %.1f MB (the float vectors alone: %.1f MB); heap"
                    + " held by the open index %.1f MB; process resident %s (vectors are memory-mapped, not on the"
                    + " heap)%n", sizeOf(folder) / 1e6, vectors.length * (double) vectors[0].length * 4 / 1e6,
                    (usedHeapAfterGc() - heapBefore) / 1e6, resident());
        }
    }

    /** The value below which {@code p} percent of the values lie (nearest rank). */
    private static double percentile(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(int) Math.ceil(sorted.length * p / 100.0) - 1];
    }

    private static long usedHeapAfterGc() {
        System.gc();
        return Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
    }

    /** Fraction of the true k nearest (by exact dot product) that the index returns. */
    private static double recall(EmbeddingIndexReader index, float[][] vectors, float[][] probes, int k,
            int candidates) {
        int found = 0;
        int queries = Math.min(RECALL_QUERIES, probes.length);
        for (int q = 0; q < queries; q++) {
            float[] probe = probes[q];
            PriorityQueue<Integer> best = new PriorityQueue<>(
                    (a, b) -> Double.compare(dot(vectors[a], probe), dot(vectors[b], probe)));
            for (int i = 0; i < vectors.length; i++) {
                best.add(i);
                if (best.size() > k) {
                    best.poll();
                }
            }
            Set<String> exact = new HashSet<>();
            best.forEach(i -> exact.add("v" + i));
            found += (int) index.nearest(ItemKind.IMAGE, probe, k, candidates).stream()
                    .filter(hit -> exact.contains(hit.imageId())).count();
        }
        return found / (double) (queries * k);
    }

    private static double dot(float[] a, float[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += a[i] * b[i];
        }
        return sum;
    }

    /** Random unit vectors, uniform on the sphere or varying mostly along a few directions. */
    private static final class VectorSource {
        private static final double NOISE = 0.1;
        private final Random random = new Random(1);
        private final int dimension;
        private final int intrinsic;
        private final float[][] map;

        VectorSource(int dimension, int intrinsic) {
            this.dimension = dimension;
            this.intrinsic = intrinsic;
            this.map = new float[intrinsic][];
            for (int i = 0; i < intrinsic; i++) {
                map[i] = gaussian(dimension, 1 / Math.sqrt(intrinsic));
            }
        }

        int dimension() {
            return dimension;
        }

        String describe() {
            return intrinsic == 0 ? "uniform on the sphere"
                    : "intrinsic dimension " + intrinsic + " plus " + Math.round(NOISE * 100) + "% noise";
        }

        float[] next() {
            // the map gives each coordinate unit variance, so NOISE is the noise-to-signal ratio of the norms
            float[] v = gaussian(dimension, intrinsic == 0 ? 1 : NOISE);
            for (float[] direction : map) {
                double z = random.nextGaussian();
                for (int i = 0; i < dimension; i++) {
                    v[i] += (float) (z * direction[i]);
                }
            }
            float scale = (float) (1 / Math.sqrt(dot(v, v)));
            for (int i = 0; i < dimension; i++) {
                v[i] *= scale;
            }
            return v;
        }

        private float[] gaussian(int length, double sigma) {
            float[] v = new float[length];
            for (int i = 0; i < length; i++) {
                v[i] = (float) (random.nextGaussian() * sigma);
            }
            return v;
        }
    }

    private static int segments(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return (int) files.filter(f -> f.getFileName().toString().endsWith(".si")).count();
        }
    }

    private static long sizeOf(Path folder) throws IOException {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }

    private static String resident() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                    .map(l -> l.replaceAll("\\s+", " ").substring(7)).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        return options;
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.delete(f);
            }
        }
    }

    /**
     * Stands in for a model so that everything but the network is timed: 224 px input as MobileNetV2 takes, pixels
     * copied into an NDArray as a model's input would be, and the mean colour (padded to 256) as the vector.
     */
    private static final class MeanColour implements JointEmbedder {
        private static final int DIMENSION = 256;

        @Override
        public String identity() {
            return "benchmark-mean-colour";
        }

        @Override
        public int dimension() {
            return DIMENSION;
        }

        @Override
        public ImagePreprocessor preprocessor() {
            return new TfjsPreprocessor(224, TfjsPreprocessor.Normalization.MINUS_ONE_TO_ONE);
        }

        @Override
        public float[][] embedImages(ImageInputs pixels) {
            float[][] vectors = new float[pixels.size()][DIMENSION];
            try (NDManager manager = NDManager.newBaseManager()) {
                float[] means = pixels.batch(manager, IntStream.range(0, pixels.size()).toArray())
                        .reshape(pixels.size(), -1, 3).mean(new int[] {1}).toFloatArray();
                for (int i = 0; i < pixels.size(); i++) {
                    float[] v = vectors[i];
                    System.arraycopy(means, i * 3, v, 0, 3);
                    v[3] = 1;
                    double norm = Math.sqrt(dot(v, v));
                    for (int c = 0; c < 4; c++) {
                        v[c] /= (float) norm;
                    }
                }
            }
            return vectors;
        }

        @Override
        public float[][] embedTexts(List<String> texts) {
            throw new UnsupportedOperationException("the benchmark embeds no text");
        }

        @Override
        public int maxTextTokens() {
            return 0;
        }

        @Override
        public int countTextTokens(String text) {
            return 0;
        }

        @Override
        public void close() {}
    }
}

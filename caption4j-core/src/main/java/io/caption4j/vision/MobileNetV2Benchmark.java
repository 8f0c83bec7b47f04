package io.caption4j.vision;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.caption4j.util.AtomicFiles;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Prints MobileNetV2 inference speed: single-image latency (median), throughput at several batch sizes, and the
 * throughput of a {@link FeatureCache} extraction (inference + float16 writes; the image source hands out a ready
 * tensor, so decoding is not included). Usage: {@code MobileNetV2Benchmark model.json [seconds-per-setting]}.
 */
public final class MobileNetV2Benchmark {
    private static final int[] BATCHES = {1, 8, 16, 32, 64};

    private MobileNetV2Benchmark() {}

    public static void main(String[] args) {
        Path modelJson = Path.of(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        try (MobileNetV2 encoder = MobileNetV2.load(modelJson); NDManager manager = NDManager.newBaseManager()) {
            System.out.printf(Locale.ROOT, "engine %s, %d cores, load average %.1f, ai.djl.pytorch.num_threads=%s%n",
                    Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion(),
                    Runtime.getRuntime().availableProcessors(),
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    System.getProperty("ai.djl.pytorch.num_threads", "(default)"));
            int size = encoder.inputSize();
            double[] latencies = new double[50];
            NDArray one = manager.randomUniform(-1, 1, new Shape(1, size, size, 3));
            for (int i = -5; i < latencies.length; i++) {
                long start = System.nanoTime();
                run(encoder, one);
                if (i >= 0) {
                    latencies[i] = (System.nanoTime() - start) / 1e6;
                }
            }
            Arrays.sort(latencies);
            System.out.printf(Locale.ROOT, "single image: median %.1f ms, p90 %.1f ms%n", latencies[25], latencies[45]);
            for (int batch : BATCHES) {
                NDArray images = manager.randomUniform(-1, 1, new Shape(batch, size, size, 3));
                run(encoder, images);
                long start = System.nanoTime();
                long cpuStart = processCpuNanos();
                long done = 0;
                while (System.nanoTime() - start < seconds * 1e9) {
                    run(encoder, images);
                    done += batch;
                }
                double wall = (System.nanoTime() - start) / 1e9;
                double cpu = (processCpuNanos() - cpuStart) / 1e9;
                images.close();
                System.out.printf(Locale.ROOT, "batch %3d: %.1f images/s (%.1f ms CPU time per image)%n", batch,
                        done / wall, 1000 * cpu / done);
            }
            extraction(encoder, 512, 8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void extraction(MobileNetV2 encoder, int count, int batch) throws IOException {
        Path dir = Files.createTempDirectory("caption4j-bench-");
        float[] image = new float[encoder.inputSize() * encoder.inputSize() * 3];
        Random random = new Random(1);
        for (int i = 0; i < image.length; i++) {
            image[i] = random.nextFloat() * 2 - 1;
        }
        List<String> ids = IntStream.range(0, count).mapToObj(i -> "img" + i).toList();
        FeatureCache.Extraction extraction = new FeatureCache.Extraction(encoder, "benchmark", id -> image.clone(),
                DataType.FLOAT16, batch, 1);
        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        try (FeatureCache cache = FeatureCache.openOrBuild(dir.resolve("features"), ids, extraction,
                Problems.silent(), null)) {
            double wall = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "feature cache extraction, %d images, batch %d, float16: %.1f images/s "
                    + "(%.1f ms CPU time per image)%n", cache.ids().size(), batch, count / wall,
                    (processCpuNanos() - cpuStart) / 1e6 / count);
        } finally {
            AtomicFiles.deleteRecursively(dir);
        }
    }

    /** CPU time of this process, all threads; unlike wall time it is not inflated by other processes' load. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** One forward pass including the copy of the outputs to the heap, as a feature cache would do. */
    private static void run(MobileNetV2 encoder, NDArray images) {
        NDList out = encoder.encode(images);
        out.get(0).toFloatArray();
        out.get(1).toFloatArray();
        out.close();
    }
}

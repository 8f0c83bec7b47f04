package io.caption4j.vision;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): images/s of {@link ImageLoader#load} + {@link ImagePreprocessor#toTensor} (224, v/127.5−1)
 * over a folder of images, on 1 and 2 threads. Each setting runs twice over the folder; the second pass is timed.
 * Prints wall-clock images/s and process CPU ms per image.
 *
 * <pre>
 * mvn -B -q -pl caption4j-core test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp caption4j-core/target/test-classes:caption4j-core/target/classes:$(cat caption4j-core/target/cp.txt) \
 *     io.caption4j.vision.ImageLoadingBenchmark ../shared/data/flickr8k-1k/images
 * </pre>
 */
public final class ImageLoadingBenchmark {
    public static void main(String[] args) throws Exception {
        Path folder = Path.of(args.length > 0 ? args[0] : "../shared/data/flickr8k-1k/images");
        List<Path> files = imagesIn(folder);
        ImageLoader loader = new ImageLoader();
        ImagePreprocessor preprocessor = new TfjsPreprocessor(224, TfjsPreprocessor.Normalization.MINUS_ONE_TO_ONE);
        System.out.printf(Locale.ROOT, "%d images in %s; %s, %d cores, Java %s%n", files.size(), folder,
                preprocessor.identity(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        for (int threads : new int[] {1, 2}) {
            run(files, loader, preprocessor, threads); // warm-up pass
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            double checksum = run(files, loader, preprocessor, threads);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuMsPerImage = (processCpuNanos() - cpuStart) / 1e6 / files.size();
            System.out.printf(Locale.ROOT, "threads=%d  %.0f images/s  (%.2f ms CPU/image; checksum %.1f)%n",
                    threads, files.size() / seconds, cpuMsPerImage, checksum);
        }
    }

    /** CPU time of this process: on a shared machine, CPU/image stays honest when wall-clock scaling does not. */
    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static List<Path> imagesIn(Path folder) throws IOException {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(Files::isRegularFile).sorted().toList();
        }
    }

    /** Loads and preprocesses every file on {@code threads} threads; returns a checksum so no work is optimised away. */
    private static double run(List<Path> files, ImageLoader loader, ImagePreprocessor preprocessor, int threads)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Float>> results = files.stream()
                    .map(file -> pool.submit(() -> preprocessor.toTensor(loader.load(file))[0]))
                    .toList();
            double checksum = 0;
            for (Future<Float> result : results) {
                checksum += result.get();
            }
            return checksum;
        } finally {
            pool.shutdown();
        }
    }
}

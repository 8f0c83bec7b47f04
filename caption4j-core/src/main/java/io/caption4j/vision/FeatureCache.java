package io.caption4j.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.util.AtomicFiles;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.util.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Image features computed once per dataset and kept on disk: for every image id, the encoder's regions [R, C] and
 * pooled vector [C], memory-mapped so that a whole dataset (8k photos × 49 × 1280) never has to fit in the heap.
 *
 * <p>A cache directory holds {@code features.bin} (all regions [N, R, C], then all pooled vectors [N, C],
 * float16 or float32 in the machine's byte order) and {@code features.json} (format, key = encoder identity +
 * preprocessing + storage type, ids, ids whose image could not be read, sizes). {@link #openOrBuild} reuses a cache only if its key
 * and ids match and the data file has the expected size; otherwise it extracts everything again and replaces the
 * directory atomically.
 */
public final class FeatureCache implements AutoCloseable {
    private static final String FORMAT = "caption4j-features-1";
    private static final String HEADER = "features.json";
    private static final String DATA = "features.bin";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Produces the encoder input of one image: HWC float32 [S·S·3], normalised as the encoder expects. */
    @FunctionalInterface
    public interface ImageSource {
        float[] load(String id) throws IOException;
    }

    /**
     * How features are extracted.
     *
     * @param preprocessing a stable description of what {@code source} does (decoder, resize, flip...); part of the key
     * @param storage {@link DataType#FLOAT16} (half the disk and page cache; values off by up to 2⁻¹¹
     *     relative, i.e. ≤ 0.003 on MobileNetV2's [0, 6] features) or {@link DataType#FLOAT32} (exact)
     * @param batchSize images per forward pass
     * @param decodeThreads threads running {@code source} while the encoder works on the previous batch
     */
    public record Extraction(ImageEncoder encoder, String preprocessing, ImageSource source, DataType storage,
            int batchSize, int decodeThreads) {
        public Extraction {
            if (storage != DataType.FLOAT16 && storage != DataType.FLOAT32) {
                throw new IllegalArgumentException("features are stored as float16 or float32, not " + storage);
            }
            if (batchSize < 1 || decodeThreads < 1) {
                throw new IllegalArgumentException("batchSize and decodeThreads must be positive");
            }
        }

        String key() {
            return encoder.identity() + " | preprocessing: " + preprocessing + " | storage: "
                    + storage.name().toLowerCase(Locale.ROOT);
        }
    }

    private record Header(String format, String key, List<String> ids, List<String> missing, int regions,
            int channels, String storage) {
        long regionsBytes() {
            return (long) ids.size() * regions * channels * bytesPerValue();
        }

        long dataBytes() {
            return regionsBytes() + (long) ids.size() * channels * bytesPerValue();
        }

        DataType dataType() {
            return storage.equals("float16") ? DataType.FLOAT16 : DataType.FLOAT32;
        }

        int bytesPerValue() {
            return dataType().getNumOfBytes();
        }
    }

    private final Path dir;
    private final Header header;
    private final Map<String, Integer> index;
    private final Set<String> missing;
    private final FileChannel channel;
    private final MappedRecords regionRecords;
    private final MappedRecords pooledRecords;

    private FeatureCache(Path dir, Header header) throws IOException {
        this.dir = dir;
        this.header = header;
        this.index = new HashMap<>();
        for (int i = 0; i < header.ids().size(); i++) {
            index.put(header.ids().get(i), i);
        }
        this.missing = new LinkedHashSet<>(header.missing());
        this.channel = FileChannel.open(dir.resolve(DATA), StandardOpenOption.READ);
        int bytes = header.bytesPerValue();
        this.regionRecords = new MappedRecords(channel, 0, header.regions() * header.channels() * bytes,
                header.ids().size());
        this.pooledRecords = new MappedRecords(channel, header.regionsBytes(), header.channels() * bytes,
                header.ids().size());
    }

    /**
     * Opens the cache in {@code dir} if it was made for exactly these ids with this extraction; otherwise extracts the
     * features (images that cannot be read are reported to {@code problems} and recorded as missing) and writes the
     * cache atomically.
     *
     * @param progress where the progress bar and a note on why the cache is rebuilt go; null for silence
     */
    public static FeatureCache openOrBuild(Path dir, List<String> ids, Extraction extraction, Problems problems,
            PrintStream progress) throws IOException {
        if (new LinkedHashSet<>(ids).size() != ids.size()) {
            throw new IllegalArgumentException("image ids must be unique");
        }
        refuseForeignDirectory(dir);
        Optional<String> stale = staleness(dir, ids, extraction.key());
        if (stale.isEmpty()) {
            return new FeatureCache(dir, readHeader(dir));
        }
        if (progress != null && Files.exists(dir.resolve(HEADER))) {
            progress.println("feature cache " + dir + " is out of date (" + stale.get() + "); extracting again");
        }
        AtomicFiles.writeDirectory(dir, tmp -> extract(tmp, ids, extraction, problems, progress));
        return new FeatureCache(dir, readHeader(dir));
    }

    public List<String> ids() {
        return header.ids();
    }

    /** Ids whose image could not be read when the cache was built; their features are zeros. */
    public Set<String> missing() {
        return missing;
    }

    /** Position of {@code id} in {@link #ids()}; -1 if the cache does not know it. */
    public int indexOf(String id) {
        return index.getOrDefault(id, -1);
    }

    public int regionCount() {
        return header.regions();
    }

    public int channels() {
        return header.channels();
    }

    /** The extraction key (encoder identity, preprocessing, storage) the cache was built with. */
    public String key() {
        return header.key();
    }

    /** Regions [B, R, C] float32 of the images at {@code indices}, created in {@code manager}. */
    public NDArray regions(NDManager manager, int... indices) {
        return gather(manager, regionRecords, indices, new Shape(indices.length, header.regions(), header.channels()));
    }

    /** Pooled vectors [B, C] float32 of the images at {@code indices}, created in {@code manager}. */
    public NDArray pooled(NDManager manager, int... indices) {
        return gather(manager, pooledRecords, indices, new Shape(indices.length, header.channels()));
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    @Override
    public String toString() {
        return "FeatureCache[" + dir + ", " + header.ids().size() + " images]";
    }

    private NDArray gather(NDManager manager, MappedRecords records, int[] indices, Shape shape) {
        ByteBuffer batch = ByteBuffer.allocateDirect(Math.toIntExact(shape.size() * header.bytesPerValue()))
                .order(ByteOrder.nativeOrder());
        for (int i : indices) {
            records.copy(i, batch);
        }
        batch.rewind();
        NDArray stored = manager.create(batch, shape, header.dataType());
        if (header.dataType() == DataType.FLOAT32) {
            return stored;
        }
        NDArray values = stored.toType(DataType.FLOAT32, false);
        stored.close();
        return values;
    }

    /** Rebuilding replaces the whole directory, so it must be a feature cache (or empty, or absent). */
    private static void refuseForeignDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir) && !Files.exists(dir.resolve(HEADER))) {
            try (Stream<Path> entries = Files.list(dir)) {
                List<String> foreign = entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(DATA))
                        .limit(3).toList();
                if (!foreign.isEmpty()) {
                    throw InputException.at(dir, "not a feature cache (it holds " + String.join(", ", foreign)
                            + "); choose an empty or new directory");
                }
            }
        } else if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw InputException.at(dir, "not a directory");
        }
    }

    /** Why the cache in {@code dir} cannot be used as it is; empty if it can. */
    private static Optional<String> staleness(Path dir, List<String> ids, String key) {
        if (!Files.isRegularFile(dir.resolve(HEADER))) {
            return Optional.of("no cache yet");
        }
        Header header;
        try {
            header = readHeader(dir);
        } catch (IOException | RuntimeException e) {
            return Optional.of("unreadable " + HEADER + ": " + e.getMessage());
        }
        if (!FORMAT.equals(header.format())) {
            return Optional.of("format " + header.format());
        }
        if (!key.equals(header.key())) {
            return Optional.of("made with " + header.key());
        }
        if (!ids.equals(header.ids())) {
            return Optional.of("made for other images");
        }
        try {
            long size = Files.size(dir.resolve(DATA));
            return size == header.dataBytes() ? Optional.empty()
                    : Optional.of(DATA + " holds " + size + " bytes, expected " + header.dataBytes());
        } catch (IOException e) {
            return Optional.of("unreadable " + DATA + ": " + e.getMessage());
        }
    }

    private static Header readHeader(Path dir) throws IOException {
        return JSON.readValue(dir.resolve(HEADER).toFile(), Header.class);
    }

    private static void extract(Path dir, List<String> ids, Extraction extraction, Problems problems,
            PrintStream progressOut) throws IOException {
        ImageEncoder encoder = extraction.encoder();
        int channels = encoder.featureSize();
        int regions = -1;
        List<String> missing = new ArrayList<>();
        ExecutorService decoders = Executors.newFixedThreadPool(extraction.decodeThreads(), r -> {
            Thread t = new Thread(r, "feature-cache-decode");
            t.setDaemon(true);
            return t;
        });
        try (FileChannel out = FileChannel.open(dir.resolve(DATA), StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE); NDManager manager = NDManager.newBaseManager();
                ProgressBar bar = new ProgressBar(progressOut, "features", ids.size())) {
            Deque<Future<float[]>> pending = new ArrayDeque<>();
            int submitted = 0;
            int batchSize = extraction.batchSize();
            for (int first = 0; first < ids.size(); first += batchSize) {
                // keep the decoders one batch ahead of the encoder
                while (submitted < Math.min(ids.size(), first + 2 * batchSize)) {
                    String id = ids.get(submitted++);
                    pending.add(decoders.submit(() -> extraction.source().load(id)));
                }
                int n = Math.min(batchSize, ids.size() - first);
                List<Integer> loaded = new ArrayList<>();
                float[] batch = new float[n * inputValues(encoder)];
                for (int i = first; i < first + n; i++) {
                    float[] image = await(pending.removeFirst(), ids.get(i), encoder, problems);
                    if (image == null) {
                        missing.add(ids.get(i));
                    } else {
                        System.arraycopy(image, 0, batch, loaded.size() * image.length, image.length);
                        loaded.add(i);
                    }
                }
                if (!loaded.isEmpty()) {
                    regions = write(out, encodeBatch(manager, encoder, batch, loaded.size()), loaded, ids.size(),
                            channels, extraction.storage());
                }
                bar.step(n, missing.isEmpty() ? "" : missing.size() + " unreadable");
            }
            if (regions < 0) {
                regions = 0;
            }
            Header header = new Header(FORMAT, extraction.key(), List.copyOf(ids), missing, regions, channels,
                    extraction.storage().name().toLowerCase(Locale.ROOT));
            // unreadable images keep all-zero features
            if (out.size() < header.dataBytes()) {
                out.write(ByteBuffer.allocate(1), header.dataBytes() - 1);
            }
            out.force(true);
            AtomicFiles.writeString(dir.resolve(HEADER),
                    JSON.writerWithDefaultPrettyPrinter().writeValueAsString(header));
        } finally {
            decoders.shutdownNow();
        }
    }

    private static int inputValues(ImageEncoder encoder) {
        return encoder.inputSize() * encoder.inputSize() * 3;
    }

    /** The decoded image, or null (reported) when it cannot be read. */
    private static float[] await(Future<float[]> future, String id, ImageEncoder encoder, Problems problems)
            throws IOException {
        try {
            float[] image = future.get();
            if (image.length != inputValues(encoder)) {
                problems.report(id + ": image source gave " + image.length + " values, expected "
                        + inputValues(encoder));
                return null;
            }
            return image;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof InputException || cause instanceof IOException
                    || cause instanceof UncheckedIOException) {
                problems.report(cause instanceof InputException ? cause.getMessage() : id + ": " + cause.getMessage());
                return null;
            }
            throw new IllegalStateException("extracting features of " + id + " failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while extracting features", e);
        }
    }

    private static NDList encodeBatch(NDManager parent, ImageEncoder encoder, float[] batch, int n) {
        try (NDManager scope = parent.newSubManager()) {
            int size = encoder.inputSize();
            NDArray images = scope.create(Arrays.copyOf(batch, n * inputValues(encoder)), new Shape(n, size, size, 3));
            NDList features = encoder.encode(images);
            features.attach(parent);
            return features;
        }
    }

    /** Writes a batch's regions and pooled vectors at their images' positions; returns R. */
    private static int write(FileChannel out, NDList features, List<Integer> positions, int count, int channels,
            DataType storage) throws IOException {
        try (features) {
            NDArray regions = features.get(0);
            long r = regions.getShape().get(1);
            if (regions.getShape().get(2) != channels || features.get(1).getShape().get(1) != channels) {
                throw new IllegalStateException("encoder returned " + regions.getShape() + " / "
                        + features.get(1).getShape() + " for " + channels + " channels");
            }
            int bytes = storage.getNumOfBytes();
            long regionBytes = r * channels * bytes;
            long pooledStart = count * regionBytes;
            ByteBuffer regionData = regions.toType(storage, false).toByteBuffer();
            ByteBuffer pooledData = features.get(1).toType(storage, false).toByteBuffer();
            for (int i = 0; i < positions.size(); i++) {
                writeFully(out, slice(regionData, i * regionBytes, regionBytes), positions.get(i) * regionBytes);
                writeFully(out, slice(pooledData, (long) i * channels * bytes, (long) channels * bytes),
                        pooledStart + (long) positions.get(i) * channels * bytes);
            }
            return (int) r;
        }
    }

    private static ByteBuffer slice(ByteBuffer data, long start, long length) {
        ByteBuffer copy = data.duplicate();
        copy.limit(Math.toIntExact(start + length)).position(Math.toIntExact(start));
        return copy;
    }

    private static void writeFully(FileChannel out, ByteBuffer data, long position) throws IOException {
        while (data.hasRemaining()) {
            position += out.write(data, position);
        }
    }
}

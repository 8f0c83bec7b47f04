package io.caption4j.index;

import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.util.ProgressBar;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.PixelInputs;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Brings the image entries of an index up to date with image files, incrementally: a file whose size and
 * modification time match its entry is left alone; new and changed files are decoded and embedded in batches; entries
 * of files that no longer exist are removed. A file that cannot be read is reported to {@link Problems} (its stale
 * entry, if any, removed) and the others go on.
 */
public final class ImageIndexing {
    /** Images between commits: a long run that is stopped keeps most of its work, without many tiny segments. */
    static final int COMMIT_EVERY = 1024;

    private final JointEmbedder embedder;
    private final EmbeddingIndexWriter index;
    private final Problems problems;
    private final ImageLoader loader = new ImageLoader();
    private final Map<Path, FileStamp> indexed;
    private int added;
    private int updated;
    private int unchanged;
    private int removed;
    private int failed;

    private ImageIndexing(JointEmbedder embedder, EmbeddingIndexWriter index, Problems problems) {
        this.embedder = embedder;
        this.index = index;
        this.problems = problems;
        this.indexed = index.images();
    }

    /** Indexes {@code files} (image files, any order), then commits; progress goes to {@code progress} (may be null). */
    public static IndexingCounts index(JointEmbedder embedder, EmbeddingIndexWriter index, List<Path> files,
            int batchSize, Problems problems, PrintStream progress) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be positive, got " + batchSize);
        }
        ImageIndexing run = new ImageIndexing(embedder, index, problems);
        Set<Path> seen = new LinkedHashSet<>();
        for (Path file : files) {
            seen.add(file.toAbsolutePath().normalize());
        }
        List<IndexedImage> todo = run.newOrChanged(seen);
        try (ProgressBar bar = new ProgressBar(progress, "indexing images", todo.size())) {
            int sinceCommit = 0;
            for (int from = 0; from < todo.size(); from += batchSize) {
                List<IndexedImage> batch = todo.subList(from, Math.min(todo.size(), from + batchSize));
                run.embed(batch);
                bar.step(batch.size());
                sinceCommit += batch.size();
                if (sinceCommit >= COMMIT_EVERY) {
                    index.commit();
                    sinceCommit = 0;
                }
            }
        }
        run.removeDeleted(seen);
        index.commit();
        return new IndexingCounts(run.added, run.updated, run.unchanged, run.removed, run.failed);
    }

    /** The files whose entry is missing or out of date; counts the others as unchanged, unreadable ones as failed. */
    private List<IndexedImage> newOrChanged(Set<Path> files) {
        List<IndexedImage> todo = new ArrayList<>();
        for (Path path : files) {
            FileStamp stamp;
            try {
                stamp = FileStamp.of(path);
            } catch (IOException e) {
                problems.report(InputException.at(path, "cannot read: " + e.getMessage()));
                failed++;
                continue;
            }
            if (stamp.equals(indexed.get(path))) {
                unchanged++;
            } else {
                todo.add(new IndexedImage(path.getFileName().toString(), path, stamp));
            }
        }
        return todo;
    }

    private void embed(List<IndexedImage> batch) {
        PixelInputs.Loaded pixels = PixelInputs.load(batch.stream().map(IndexedImage::path).toList(), loader,
                embedder.preprocessor(), problems, null);
        float[][] vectors = pixels.inputs().size() == 0 ? new float[0][] : embedder.embedImages(pixels.inputs());
        for (int i = 0; i < vectors.length; i++) {
            IndexedImage image = batch.get(pixels.kept().get(i));
            index.putImage(image, vectors[i]);
            if (indexed.containsKey(image.path())) {
                updated++;
            } else {
                added++;
            }
        }
        Set<Integer> kept = Set.copyOf(pixels.kept());
        for (int i = 0; i < batch.size(); i++) {
            if (!kept.contains(i)) {
                // an entry left from before would describe the file as it was, and answer searches wrongly
                index.removeImage(batch.get(i).path());
                failed++;
            }
        }
    }

    /** Removes the entries of files that no longer exist (entries of other folders that still exist are kept). */
    private void removeDeleted(Set<Path> seen) {
        for (Path path : indexed.keySet()) {
            if (!seen.contains(path) && !Files.exists(path)) {
                index.removeImage(path);
                removed++;
            }
        }
    }
}

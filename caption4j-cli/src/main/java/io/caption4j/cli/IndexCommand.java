package io.caption4j.cli;

import io.caption4j.data.CaptionDatasets;
import io.caption4j.index.CaptionCollections;
import io.caption4j.index.CaptionIndexing;
import io.caption4j.index.EmbeddingIndexReader;
import io.caption4j.index.EmbeddingIndexWriter;
import io.caption4j.index.ImageIndexing;
import io.caption4j.index.IndexModel;
import io.caption4j.index.IndexedCaption;
import io.caption4j.index.IndexingCounts;
import io.caption4j.index.ItemKind;
import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.model.joint.JointEmbedders;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "index", mixinStandardHelpOptions = true,
        description = {"Add images and captions to a search index (Lucene HNSW vectors), incrementally.",
            "Re-running embeds only new or changed files (size or modification time), removes the entries of files",
            "that no longer exist, and prints what it did. Unreadable images are reported on stderr, the others are",
            "still indexed, and the exit code is 1. The index records its model; it refuses any other."})
final class IndexCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Joint image-text model directory.")
    Path model;

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index folder (created if new).")
    Path index;

    @Option(names = "--images", paramLabel = "IMAGE_OR_DIR",
            description = "Image files or folders of them; repeatable.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--captions", paramLabel = "FILE",
            description = {"A caption dataset (CSV, COCO JSON or JSON Lines, as for train) whose image names are",
                "relative to the --images folder given at the same position; repeatable."})
    List<Path> captions = new ArrayList<>();

    @Option(names = "--texts", paramLabel = "FILE", description = "A UTF-8 file of one caption per line; repeatable.")
    List<Path> texts = new ArrayList<>();

    @Option(names = "--merge", description = {"Then merge the index into one segment: one HNSW graph to search, so",
        "searches are faster (about 3x at 100,000 images); takes minutes for a large index."})
    boolean merge;

    @Option(names = "--batch-size", defaultValue = "32", description = "Images per batch (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() {
        if (images.isEmpty() && captions.isEmpty() && texts.isEmpty()) {
            throw new InputException("nothing to index: give --images, --captions or --texts");
        }
        if (captions.size() > images.size()) {
            throw new InputException("each --captions FILE needs the --images folder its image names are relative "
                    + "to, given at the same position (got " + captions.size() + " --captions and " + images.size()
                    + " --images)");
        }
        if (batchSize < 1) {
            throw new InputException("--batch-size must be at least 1, got " + batchSize);
        }
        LuceneLog.quiet();
        Problems problems = new Problems(System.err);
        try (JointEmbedder embedder = JointEmbedders.load(model);
                EmbeddingIndexWriter writer = EmbeddingIndexWriter.open(index, IndexModel.of(embedder, model))) {
            if (!images.isEmpty()) {
                IndexingCounts counts = ImageIndexing.index(embedder, writer, ImageFiles.expand(images, problems),
                        batchSize, problems, System.err);
                System.out.println("images: " + counts.describe() + " (removed: files no longer there)");
            }
            for (int i = 0; i < captions.size(); i++) {
                Path file = captions.get(i);
                var dataset = CaptionDatasets.read(file, images.get(i), problems);
                indexCaptions(embedder, writer, file, CaptionCollections.of(dataset, file));
            }
            for (Path file : texts) {
                indexCaptions(embedder, writer, file, CaptionCollections.readTexts(file));
            }
            if (merge) {
                writer.forceMerge();
            }
        }
        try (EmbeddingIndexReader reader = EmbeddingIndexReader.open(index)) {
            System.out.printf("index %s: %d images, %d captions%n", index, reader.count(ItemKind.IMAGE),
                    reader.count(ItemKind.CAPTION));
        }
        return problems.count() == 0 ? 0 : 1;
    }

    private static void indexCaptions(JointEmbedder embedder, EmbeddingIndexWriter writer, Path file,
            List<IndexedCaption> collection) {
        IndexingCounts counts = CaptionIndexing.index(embedder, writer, CaptionCollections.source(file), collection,
                System.err);
        System.out.println("captions of " + file + ": " + counts.added() + " added, " + counts.unchanged()
                + " unchanged, " + counts.removed() + " removed (no longer in the file)");
    }
}

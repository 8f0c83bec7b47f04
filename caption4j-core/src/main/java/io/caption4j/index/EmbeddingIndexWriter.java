package io.caption4j.index;

import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.LockObtainFailedException;
import org.apache.lucene.util.Bits;

/**
 * Adds, replaces and removes the entries of an index, which it creates when the folder is new. One writer at a time
 * (Lucene's write lock); readers opened meanwhile see the last commit. Each {@link #commit()} is atomic and records
 * the model, so an index is never left half-written and never mixes models.
 */
public final class EmbeddingIndexWriter implements AutoCloseable {
    /** Enough buffer that a 100,000-vector index is flushed as a few large segments (faster to search). */
    private static final double RAM_BUFFER_MB = 64;

    private final Path folder;
    private final IndexModel model;
    private final Directory directory;
    private final IndexWriter writer;

    private EmbeddingIndexWriter(Path folder, IndexModel model, Directory directory, IndexWriter writer) {
        this.folder = folder;
        this.model = model;
        this.directory = directory;
        this.writer = writer;
    }

    /**
     * Opens the index in {@code folder} for writing, creating it if the folder is new or empty; an index built by
     * another model, a folder of other files and an index another process is writing are refused.
     */
    public static EmbeddingIndexWriter open(Path folder, IndexModel model) {
        Directory directory = IndexFolder.openForWriting(folder);
        try {
            if (DirectoryReader.indexExists(directory)) {
                IndexModel.fromCommitData(folder, SegmentInfos.readLatestCommit(directory).getUserData())
                        .requireSameModel(folder, model.identity(), model.dimension());
            }
            IndexWriterConfig config = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                    .setRAMBufferSizeMB(RAM_BUFFER_MB);
            IndexWriter writer = new IndexWriter(directory, config);
            writer.setLiveCommitData(model.toCommitData().entrySet());
            EmbeddingIndexWriter index = new EmbeddingIndexWriter(folder, model, directory, writer);
            index.commit();
            return index;
        } catch (LockObtainFailedException e) {
            IndexFolder.closeQuietly(directory);
            throw InputException.at(folder, "another process is writing this index (its write.lock is held)");
        } catch (IOException e) {
            IndexFolder.closeQuietly(directory);
            throw IndexFolder.failure(folder, e);
        } catch (RuntimeException e) {
            IndexFolder.closeQuietly(directory);
            throw e;
        }
    }

    public Path folder() {
        return folder;
    }

    public IndexModel model() {
        return model;
    }

    /** Every indexed image file with the stamp it had when embedded, as of the entries written so far. */
    public Map<Path, FileStamp> images() {
        Map<Path, FileStamp> images = new HashMap<>();
        forEachEntry(new TermQuery(new Term(IndexDocuments.KIND, ItemKind.IMAGE.term())),
                Set.of(IndexDocuments.KEY, IndexDocuments.SIZE, IndexDocuments.MODIFIED),
                doc -> images.put(Path.of(doc.get(IndexDocuments.KEY)), IndexDocuments.stamp(doc)));
        return images;
    }

    /** The keys of the captions indexed from {@code source}. */
    public Set<String> captionKeys(String source) {
        Set<String> keys = new HashSet<>();
        forEachEntry(new TermQuery(new Term(IndexDocuments.SOURCE, source)), Set.of(IndexDocuments.KEY),
                doc -> keys.add(doc.get(IndexDocuments.KEY)));
        return keys;
    }

    /** Adds the image, or replaces the entry of the same file. */
    public void putImage(IndexedImage image, float[] vector) {
        put(image.path().toString(), IndexDocuments.image(image, requireDimension(vector)));
    }

    /** Adds the caption, or replaces the entry with the same key. */
    public void putCaption(IndexedCaption caption, float[] vector) {
        put(caption.key(), IndexDocuments.caption(caption, requireDimension(vector)));
    }

    /** Removes the entry of an image file. */
    public void removeImage(Path path) {
        remove(path.toString());
    }

    /** Removes the caption entry with this key. */
    public void removeCaption(String key) {
        remove(key);
    }

    /** Makes everything written so far durable and visible to readers opened from now on, all at once. */
    public void commit() {
        try {
            writer.commit();
        } catch (IOException e) {
            throw IndexFolder.failure(folder, e);
        }
    }

    /** Merges the index into one segment: one HNSW graph to search instead of several (slow; for a finished index). */
    public void forceMerge() {
        try {
            writer.forceMerge(1);
        } catch (IOException e) {
            throw IndexFolder.failure(folder, e);
        }
    }

    /** Commits what was written, then releases the index. */
    @Override
    public void close() {
        try {
            writer.close();
            directory.close();
        } catch (IOException e) {
            throw IndexFolder.failure(folder, e);
        }
    }

    private float[] requireDimension(float[] vector) {
        if (vector.length != model.dimension()) {
            throw new IllegalArgumentException("vector of length " + vector.length + " for an index of dimension "
                    + model.dimension());
        }
        return vector;
    }

    private void put(String key, Document doc) {
        try {
            writer.updateDocument(new Term(IndexDocuments.KEY, key), doc);
        } catch (IOException e) {
            throw IndexFolder.failure(folder, e);
        }
    }

    private void remove(String key) {
        try {
            writer.deleteDocuments(new Term(IndexDocuments.KEY, key));
        } catch (IOException e) {
            throw IndexFolder.failure(folder, e);
        }
    }

    /** Visits the stored fields of every live entry matching {@code query}, including uncommitted ones. */
    private void forEachEntry(TermQuery query, Set<String> fields, Consumer<Document> visitor) {
        try (DirectoryReader reader = DirectoryReader.open(writer)) {
            IndexSearcher searcher = new IndexSearcher(reader);
            Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
            for (LeafReaderContext leaf : reader.leaves()) {
                Scorer scorer = weight.scorer(leaf);
                if (scorer == null) {
                    continue;
                }
                StoredFields stored = leaf.reader().storedFields();
                Bits live = leaf.reader().getLiveDocs();
                DocIdSetIterator docs = scorer.iterator();
                for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
                    if (live == null || live.get(doc)) {
                        visitor.accept(stored.document(doc, fields));
                    }
                }
            }
        } catch (IOException e) {
            throw IndexFolder.failure(folder, e);
        }
    }
}

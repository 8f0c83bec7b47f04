package io.caption4j.index;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.store.Directory;

/**
 * Searches an index, read-only: it takes no lock, so it opens while an indexer writes and sees the last commit.
 * Nearest neighbours come from Lucene's HNSW graphs, approximate but with a candidate list longer than k.
 */
public final class EmbeddingIndexReader implements AutoCloseable {
    /** Candidates the HNSW search keeps per segment; more finds the true nearest more often, and costs time. */
    public static final int DEFAULT_CANDIDATES = 100;

    private final Path folder;
    private final Directory directory;
    private final DirectoryReader reader;
    private final IndexSearcher searcher;
    private final IndexModel model;

    private EmbeddingIndexReader(Path folder, Directory directory, DirectoryReader reader, IndexModel model) {
        this.folder = folder;
        this.directory = directory;
        this.reader = reader;
        this.searcher = new IndexSearcher(reader);
        this.model = model;
    }

    /** Opens the last commit of the index in {@code folder}; refuses a missing folder, or one with no caption4j index. */
    public static EmbeddingIndexReader open(Path folder) {
        Directory directory = IndexFolder.openExisting(folder);
        try {
            DirectoryReader reader = DirectoryReader.open(directory);
            try {
                IndexModel model = IndexModel.fromCommitData(folder, reader.getIndexCommit().getUserData());
                return new EmbeddingIndexReader(folder, directory, reader, model);
            } catch (RuntimeException e) {
                reader.close();
                throw e;
            }
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

    /** The model that built the index; queries must be embedded with it. */
    public IndexModel model() {
        return model;
    }

    /** Entries of this kind. */
    public int count(ItemKind kind) {
        try {
            return searcher.count(new TermQuery(new Term(IndexDocuments.KIND, kind.term())));
        } catch (IOException e) {
            throw IndexFolder.failure(folder, e);
        }
    }

    /** The {@code k} entries of this kind nearest to the unit vector {@code query}, best first. */
    public List<SearchHit> nearest(ItemKind kind, float[] query, int k) {
        return nearest(kind, query, k, Math.max(k, DEFAULT_CANDIDATES));
    }

    /** As {@link #nearest(ItemKind, float[], int)}, with {@code candidates} (at least k) kept by the graph search. */
    public List<SearchHit> nearest(ItemKind kind, float[] query, int k, int candidates) {
        if (query.length != model.dimension()) {
            throw new IllegalArgumentException("query of length " + query.length + " for an index of dimension "
                    + model.dimension());
        }
        if (k < 1 || candidates < k) {
            throw new IllegalArgumentException("need 1 <= k <= candidates, got k " + k + ", candidates " + candidates);
        }
        try {
            ScoreDoc[] top = searcher.search(new KnnFloatVectorQuery(kind.vectorField(), query, candidates), k)
                    .scoreDocs;
            StoredFields stored = searcher.storedFields();
            List<SearchHit> hits = new ArrayList<>(top.length);
            for (ScoreDoc doc : top) {
                hits.add(IndexDocuments.hit(stored.document(doc.doc, IndexDocuments.RESULT_FIELDS), doc.score));
            }
            return hits;
        } catch (IOException e) {
            throw IndexFolder.failure(folder, e);
        }
    }

    @Override
    public void close() {
        try {
            reader.close();
            directory.close();
        } catch (IOException e) {
            throw IndexFolder.failure(folder, e);
        }
    }
}

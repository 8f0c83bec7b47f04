package io.caption4j.index;

import java.nio.file.Path;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * How entries are stored as Lucene documents: a kind, a unique key (an image's path, a caption's
 * {@link IndexedCaption#key()}), stored metadata, and the embedding in the kind's vector field.
 *
 * <p>Embeddings are unit vectors, so dot product is their cosine similarity and the cheapest HNSW measure; Lucene
 * scores it as (1 + cosine) / 2.
 */
final class IndexDocuments {
    static final String KIND = "kind";
    static final String KEY = "key";
    static final String SOURCE = "source";
    static final String ID = "id";
    static final String PATH = "path";
    static final String TEXT = "text";
    static final String SIZE = "size";
    static final String MODIFIED = "modified";
    static final VectorSimilarityFunction SIMILARITY = VectorSimilarityFunction.DOT_PRODUCT;

    /** The stored fields a search result is made of. */
    static final Set<String> RESULT_FIELDS = Set.of(KIND, ID, PATH, TEXT);

    private IndexDocuments() {}

    static Document image(IndexedImage image, float[] vector) {
        Document doc = entry(ItemKind.IMAGE, image.path().toString(), vector);
        doc.add(new StoredField(ID, image.id()));
        doc.add(new StoredField(PATH, image.path().toString()));
        doc.add(new StoredField(SIZE, image.stamp().size()));
        doc.add(new StoredField(MODIFIED, image.stamp().modifiedMillis()));
        return doc;
    }

    static Document caption(IndexedCaption caption, float[] vector) {
        Document doc = entry(ItemKind.CAPTION, caption.key(), vector);
        doc.add(new StringField(SOURCE, caption.source(), Field.Store.NO));
        doc.add(new StoredField(TEXT, caption.text()));
        if (caption.imageId() != null) {
            doc.add(new StoredField(ID, caption.imageId()));
        }
        if (caption.image() != null) {
            doc.add(new StoredField(PATH, caption.image().toString()));
        }
        return doc;
    }

    private static Document entry(ItemKind kind, String key, float[] vector) {
        Document doc = new Document();
        doc.add(new StringField(KIND, kind.term(), Field.Store.YES));
        doc.add(new StringField(KEY, key, Field.Store.YES));
        doc.add(new KnnFloatVectorField(kind.vectorField(), vector, SIMILARITY));
        return doc;
    }

    /** A search result from an entry's stored fields and Lucene's score. */
    static SearchHit hit(Document doc, float luceneScore) {
        ItemKind kind = doc.get(KIND).equals(ItemKind.IMAGE.term()) ? ItemKind.IMAGE : ItemKind.CAPTION;
        String path = doc.get(PATH);
        return new SearchHit(kind, 2.0 * luceneScore - 1.0, doc.get(ID), path == null ? null : Path.of(path),
                doc.get(TEXT));
    }

    static FileStamp stamp(Document doc) {
        return new FileStamp(doc.getField(SIZE).numericValue().longValue(),
                doc.getField(MODIFIED).numericValue().longValue());
    }
}

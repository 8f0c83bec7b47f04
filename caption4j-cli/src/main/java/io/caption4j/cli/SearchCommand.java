package io.caption4j.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.caption4j.index.EmbeddingIndexReader;
import io.caption4j.index.ItemKind;
import io.caption4j.index.Retrieval;
import io.caption4j.index.SearchHit;
import io.caption4j.index.TextQuery;
import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.model.joint.JointEmbedders;
import io.caption4j.util.InputException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "search", mixinStandardHelpOptions = true,
        description = {"Search an index with a text or an image.",
            "Prints 'SCORE<TAB>IMAGE' per image found, or 'SCORE<TAB>CAPTION<TAB>IMAGE_ID' per caption, best first;",
            "SCORE is the cosine similarity. With --json one JSON object with the query and the ranked results.",
            "A text longer than the text encoder reads is cut, with a note on stderr."})
final class SearchCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What to search for; the default is the other modality: images for a text, captions for an image. */
    enum Find { images, captions }

    @Option(names = "--index", required = true, paramLabel = "DIR", description = "Index folder.")
    Path index;

    @Parameters(arity = "0..1", paramLabel = "QUERY", description = "The text to search for.")
    String query;

    @Option(names = "--image", paramLabel = "FILE", description = "Search with this image instead of a text.")
    Path image;

    @Option(names = "--find", paramLabel = "WHAT",
            description = "images or captions (default: images for a text, captions for an image).")
    Find find;

    @Option(names = "-k", defaultValue = "10", description = "Results (default: ${DEFAULT-VALUE}).")
    int k;

    @Option(names = "--model", paramLabel = "DIR",
            description = "The model that built the index, if it has moved (default: where the index says it is).")
    Path model;

    @Option(names = "--json", description = "One JSON object: query, target, results with rank, score, id, path, text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if ((query == null) == (image == null)) {
            throw new InputException(query == null ? "give a text query or --image FILE"
                    : "give a text query or --image FILE, not both");
        }
        if (query != null) {
            TextQuery.requireText(query);
        }
        if (k < 1) {
            throw new InputException("-k must be at least 1, got " + k);
        }
        LuceneLog.quiet();
        ItemKind target = find == Find.captions || (find == null && image != null) ? ItemKind.CAPTION : ItemKind.IMAGE;
        try (EmbeddingIndexReader reader = EmbeddingIndexReader.open(index);
                JointEmbedder embedder = JointEmbedders.load(model != null ? model
                        : reader.model().existingDirectory(index))) {
            Retrieval retrieval = new Retrieval(reader, embedder);
            ObjectNode out = JSON.createObjectNode();
            List<SearchHit> hits;
            if (query != null) {
                TextQuery text = retrieval.textQuery(query);
                text.note().ifPresent(System.err::println);
                hits = retrieval.search(text, target, k);
                out.putObject("query").put("text", text.text()).put("tokens", text.tokens())
                        .put("max_tokens", text.maxTokens()).put("truncated", text.truncated());
            } else {
                hits = retrieval.search(image, target, k);
                out.putObject("query").put("image", image.toString());
            }
            if (json) {
                out.put("find", target.term() + "s");
                ArrayNode results = out.putArray("results");
                for (int i = 0; i < hits.size(); i++) {
                    results.add(toJson(i + 1, hits.get(i)));
                }
                System.out.println(JSON.writeValueAsString(out));
            } else {
                hits.forEach(hit -> System.out.println(toLine(hit)));
            }
        }
        return 0;
    }

    private static String toLine(SearchHit hit) {
        String score = String.format(Locale.ROOT, "%.4f", hit.score());
        return hit.kind() == ItemKind.IMAGE ? score + "\t" + hit.image()
                : score + "\t" + hit.text() + (hit.imageId() == null ? "" : "\t" + hit.imageId());
    }

    private static ObjectNode toJson(int rank, SearchHit hit) {
        ObjectNode result = JSON.createObjectNode();
        result.put("rank", rank);
        result.put("score", hit.score());
        result.put("kind", hit.kind().term());
        if (hit.text() != null) {
            result.put("text", hit.text());
        }
        if (hit.imageId() != null) {
            result.put("id", hit.imageId());
        }
        if (hit.image() != null) {
            result.put("path", hit.image().toString());
        }
        return result;
    }
}

package io.caption4j.index;

import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.util.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The model an index was built with, as each commit of the index records it: a search must embed its query with
 * the same model, so an index refuses any other.
 *
 * @param identity  {@link JointEmbedder#identity()}
 * @param dimension length of every vector in the index
 * @param directory where the model was loaded from (absolute), so a search can load it without being told
 */
public record IndexModel(String identity, int dimension, Path directory) {
    /** Bumped when the index's fields change in a way older code cannot read. */
    static final String FORMAT = "1";
    private static final String FORMAT_KEY = "caption4j.index.format";
    private static final String IDENTITY_KEY = "caption4j.model.identity";
    private static final String DIMENSION_KEY = "caption4j.model.dimension";
    private static final String DIRECTORY_KEY = "caption4j.model.directory";

    public static IndexModel of(JointEmbedder embedder, Path directory) {
        return new IndexModel(embedder.identity(), embedder.dimension(), directory.toAbsolutePath().normalize());
    }

    Map<String, String> toCommitData() {
        return Map.of(FORMAT_KEY, FORMAT, IDENTITY_KEY, identity, DIMENSION_KEY, Integer.toString(dimension),
                DIRECTORY_KEY, directory.toString());
    }

    /** The model a commit of the index at {@code folder} records; refuses a Lucene index caption4j did not write. */
    static IndexModel fromCommitData(Path folder, Map<String, String> data) {
        String format = data.get(FORMAT_KEY);
        if (format == null || data.get(IDENTITY_KEY) == null) {
            throw InputException.at(folder, "a Lucene index, but not a caption4j index (it records no model)");
        }
        if (!format.equals(FORMAT)) {
            throw InputException.at(folder, "index format " + format + ", this caption4j reads format " + FORMAT);
        }
        return new IndexModel(data.get(IDENTITY_KEY), Integer.parseInt(data.get(DIMENSION_KEY)),
                Path.of(data.get(DIRECTORY_KEY)));
    }

    /** Refuses a model other than this one, which built the index at {@code folder}. */
    public void requireSameModel(Path folder, String otherIdentity, int otherDimension) {
        if (!identity.equals(otherIdentity) || dimension != otherDimension) {
            throw InputException.at(folder, "built with another model (the one at " + directory + ", identity "
                    + identity + "), not this one (identity " + otherIdentity
                    + "); use that model, or a new index folder");
        }
    }

    /** The recorded model directory, for a search that was given no model; refuses one that is gone. */
    public Path existingDirectory(Path folder) {
        if (!Files.isDirectory(directory)) {
            throw InputException.at(folder, "built with the model at " + directory
                    + ", which is no longer there; give that model with --model");
        }
        return directory;
    }
}

package io.caption4j.vision.tfjs;

import io.caption4j.util.InputException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hands out the weights of a model by name, each at most once and only with the shape the caller expects, so that a
 * network built from them provably uses every weight exactly once.
 */
public final class WeightTracker {
    private final Path source;
    private final Map<String, TfjsWeight> remaining;

    public WeightTracker(TfjsLayersModel model) {
        this.source = model.source();
        this.remaining = new LinkedHashMap<>(model.weights());
    }

    /** Takes the weight {@code name}; it must exist, not have been taken yet, and have exactly {@code shape}. */
    public TfjsWeight take(String name, long... shape) {
        TfjsWeight weight = remaining.remove(name);
        if (weight == null) {
            throw InputException.at(source, "weight '" + name
                    + "' is missing from the weights manifest (or used twice)");
        }
        if (!Arrays.equals(weight.shape(), shape)) {
            throw InputException.at(source, "weight '" + name + "' has shape " + weight.shapeText() + ", expected "
                    + Arrays.toString(shape));
        }
        return weight;
    }

    /** The number of values a weight holds along {@code axis}, for layers whose width follows from their weights. */
    public long dimension(String name, int axis) {
        TfjsWeight weight = remaining.get(name);
        if (weight == null || axis >= weight.shape().length) {
            throw InputException.at(source, "weight '" + name + "' is missing from the weights manifest");
        }
        return weight.shape()[axis];
    }

    /** Names of weights nobody has taken, in manifest order. */
    public List<String> unused() {
        return List.copyOf(remaining.keySet());
    }
}

package io.caption4j.vision.tfjs;

import com.fasterxml.jackson.databind.JsonNode;
import io.caption4j.util.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One layer of a Keras topology as TF.js stores it: its class, name, config and the names of the layers feeding it.
 *
 * @param container the name of the Sequential / functional model that directly holds this layer
 */
public record KerasLayer(Path source, String className, String name, JsonNode config, List<String> inbound,
        String container) {

    public String string(String key) {
        return required(key).asText();
    }

    public double number(String key) {
        JsonNode node = required(key);
        if (!node.isNumber()) {
            throw problem("'" + key + "' is not a number");
        }
        return node.asDouble();
    }

    /** A list of ints, e.g. {@code strides: [2, 2]}; nested lists such as ZeroPadding2D's are flattened. */
    public int[] ints(String key) {
        List<Integer> values = new ArrayList<>();
        flatten(required(key), key, values);
        return values.stream().mapToInt(Integer::intValue).toArray();
    }

    public boolean has(String key) {
        return config.hasNonNull(key);
    }

    public InputException problem(String what) {
        return InputException.at(source, "layer '" + name + "' (" + className + "): " + what);
    }

    private JsonNode required(String key) {
        JsonNode node = config.get(key);
        if (node == null || node.isNull()) {
            throw problem("config has no '" + key + "'");
        }
        return node;
    }

    private void flatten(JsonNode node, String key, List<Integer> into) {
        if (node.isArray()) {
            node.forEach(child -> flatten(child, key, into));
        } else if (node.isInt()) {
            into.add(node.asInt());
        } else {
            throw problem("'" + key + "' holds a non-integer: " + node);
        }
    }
}

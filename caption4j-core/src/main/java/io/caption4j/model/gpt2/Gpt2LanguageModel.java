package io.caption4j.model.gpt2;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import io.caption4j.model.io.ArrayValues;
import io.caption4j.model.io.SafeTensors;
import io.caption4j.util.AtomicFiles;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import io.caption4j.model.nn.LayerNorm;

/**
 * A GPT-2 loaded from a Hugging Face folder ({@code config.json} + {@code model.safetensors}), ready to run.
 *
 * <p>Both naming styles of real checkpoints are accepted: {@code transformer.h.0.attn.c_attn.weight}
 * (GPT2LMHeadModel) and {@code h.0.attn.c_attn.weight} (GPT2Model, e.g. openai-community/gpt2). The causal-mask
 * buffers {@code attn.bias} / {@code attn.masked_bias} and the tied {@code lm_head.weight} are ignored. Every
 * tensor's name, dtype and shape is checked against the config before any weight is allocated.
 */
public final class Gpt2LanguageModel implements AutoCloseable {
    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String TOKENIZER = "tokenizer.json";
    private static final String PREFIX = "transformer.";
    private static final Set<String> FLOAT_TYPES = Set.of("F32", "F16", "BF16", "F64");

    private final NDManager manager;
    private final Gpt2Model model;
    private final ParameterStore parameters;

    private Gpt2LanguageModel(NDManager manager, Gpt2Model model) {
        this.manager = manager;
        this.model = model;
        this.parameters = new ParameterStore(manager, false);
    }

    /**
     * A new GPT-2 with Hugging Face's initialisation (weights N(0, 0.02), biases 0, LayerNorm weights 1),
     * deterministic per seed: the start of pretraining.
     */
    public static Gpt2LanguageModel create(Gpt2Config config, long seed) {
        Gpt2Model model = new Gpt2Model(config);
        model.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        model.setInitializer(Initializer.ONES, Parameter.Type.GAMMA);
        NDManager manager = NDManager.newBaseManager();
        Engine.getInstance().setRandomSeed((int) seed);
        model.initialize(manager);
        return new Gpt2LanguageModel(manager, model);
    }

    public static Gpt2LanguageModel load(Path directory) {
        Gpt2Config config = Gpt2Config.read(directory.resolve(CONFIG));
        Path file = directory.resolve(WEIGHTS);
        SafeTensors weights = SafeTensors.open(file);
        Gpt2Model model = new Gpt2Model(config);
        Map<String, Parameter> named = model.namedParameters();
        String prefix = weights.entries().containsKey(PREFIX + "wte.weight") ? PREFIX : "";
        checkTensors(file, weights, named, prefix, config);
        NDManager manager = NDManager.newBaseManager();
        try {
            model.initialize(manager);
            named.forEach((name, p) -> ArrayValues.assign(p.getArray(), weights.floats(prefix + name)));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
        return new Gpt2LanguageModel(manager, model);
    }

    private static void checkTensors(Path file, SafeTensors weights, Map<String, Parameter> named, String prefix,
            Gpt2Config config) {
        for (Map.Entry<String, Parameter> p : named.entrySet()) {
            String name = prefix + p.getKey();
            SafeTensors.Entry entry = weights.entries().get(name);
            if (entry == null) {
                throw InputException.at(file, "has no tensor '" + name + "' (needed by config.json: n_layer "
                        + config.layers() + ", n_embd " + config.embeddingSize() + ")");
            }
            long[] expected = p.getValue().getShape().getShape();
            if (!Arrays.equals(entry.shape(), expected)) {
                throw InputException.at(file, "tensor '" + name + "' has shape " + Arrays.toString(entry.shape())
                        + ", config.json needs " + Arrays.toString(expected));
            }
            if (!FLOAT_TYPES.contains(entry.dtype())) {
                throw InputException.at(file, "tensor '" + name + "' is " + entry.dtype() + ", not floating point");
            }
        }
        for (String name : weights.entries().keySet()) {
            String bare = name.startsWith(prefix) ? name.substring(prefix.length()) : name;
            if (!named.containsKey(bare) && !ignored(bare)) {
                throw InputException.at(file, "unexpected tensor '" + name + "': not part of a GPT-2 with "
                        + config.layers() + " layers (does config.json belong to this checkpoint?)");
            }
        }
    }

    /** Tensors of real checkpoints that carry no weights: causal-mask buffers and the LM head tied to wte. */
    private static boolean ignored(String name) {
        return name.matches("h\\.\\d+\\.attn\\.(bias|masked_bias)") || name.equals("lm_head.weight");
    }

    /**
     * Saves in the Hugging Face layout ({@code config.json}, {@code model.safetensors} with {@code transformer.}
     * names, and the {@code tokenizer.json} the model was trained with), atomically.
     */
    public void save(Path directory, Path tokenizerJson) throws IOException {
        AtomicFiles.writeDirectory(directory, dir -> {
            config().write(dir.resolve(CONFIG));
            Map<String, long[]> shapes = new LinkedHashMap<>();
            Map<String, float[]> values = new LinkedHashMap<>();
            model.namedParameters().forEach((name, p) -> {
                shapes.put(PREFIX + name, p.getArray().getShape().getShape());
                values.put(PREFIX + name, p.getArray().toFloatArray());
            });
            SafeTensors.write(dir.resolve(WEIGHTS), shapes, values, Map.of("format", "pt"));
            Files.copy(tokenizerJson, dir.resolve(TOKENIZER));
        });
    }

    /** The network itself, for training. */
    public Gpt2Model network() {
        return model;
    }

    public Gpt2Config config() {
        return model.config();
    }

    public NDManager manager() {
        return manager;
    }

    /** Token ids [B, T] (int64) → embeddings [B, T, C]. */
    public NDArray embed(NDArray ids) {
        return model.embed(parameters, ids);
    }

    /**
     * inputs_embeds [B, T, C] and the key/value cache of earlier positions (per layer K and V [B, H, P, D], or an
     * empty list) → logits [B, T, V], then the cache extended by these T positions.
     */
    public NDList forward(NDArray inputsEmbeds, NDList cache) {
        return model.forward(parameters, inputs(inputsEmbeds, cache), false);
    }

    /** As {@link #forward(NDArray, NDList)}, but only the last position's logits [B, 1, V]: what generation reads. */
    public NDList forwardLast(NDArray inputsEmbeds, NDList cache) {
        return model.forwardLast(parameters, inputs(inputsEmbeds, cache));
    }

    private static NDList inputs(NDArray inputsEmbeds, NDList cache) {
        NDList inputs = new NDList(inputsEmbeds);
        inputs.addAll(cache);
        return inputs;
    }

    /** Token ids [B, T] → logits [B, T, V], the whole sequence at once. */
    public NDArray logits(NDArray ids) {
        return forward(embed(ids), new NDList()).head();
    }

    @Override
    public void close() {
        manager.close();
    }
}

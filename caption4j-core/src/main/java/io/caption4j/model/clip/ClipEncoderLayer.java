package io.caption4j.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.nn.LayerNorm;

/** One pre-LayerNorm encoder layer: x + self_attn(layer_norm1(x)), then x + mlp(layer_norm2(x)). */
final class ClipEncoderLayer extends AbstractBlock {
    private final ClipAttention selfAttn;
    private final LayerNorm layerNorm1;
    private final ClipMlp mlp;
    private final LayerNorm layerNorm2;

    ClipEncoderLayer(ClipConfig.Encoder config, boolean causal) {
        selfAttn = addChildBlock("self_attn", new ClipAttention(config, causal));
        layerNorm1 = addChildBlock("layer_norm1", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
        mlp = addChildBlock("mlp", new ClipMlp(config));
        layerNorm2 = addChildBlock("layer_norm2", new LayerNorm(config.hiddenSize(), config.layerNormEps()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.head();
        x = x.add(selfAttn.forward(ps, layerNorm1.forward(ps, new NDList(x), training), training).head());
        x = x.add(mlp.forward(ps, layerNorm2.forward(ps, new NDList(x), training), training).head());
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}

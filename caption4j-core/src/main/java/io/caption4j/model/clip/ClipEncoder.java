package io.caption4j.model.clip;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** num_hidden_layers encoder layers in sequence: hidden states [B, T, C] → [B, T, C]. */
final class ClipEncoder extends AbstractBlock {
    private final ClipEncoderLayer[] layers;

    ClipEncoder(ClipConfig.Encoder config, boolean causal) {
        layers = new ClipEncoderLayer[config.layers()];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = addChildBlock("layers." + i, new ClipEncoderLayer(config, causal));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDList x = inputs;
        for (ClipEncoderLayer layer : layers) {
            x = layer.forward(ps, x, training);
        }
        return x;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}

package io.caption4j.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** The feed-forward half of an encoder layer: fc1 → hidden_act → fc2. */
final class ClipMlp extends AbstractBlock {
    private final ClipConfig.Activation activation;
    private final ClipLinear fc1;
    private final ClipLinear fc2;

    ClipMlp(ClipConfig.Encoder config) {
        activation = config.activation();
        fc1 = addChildBlock("fc1", new ClipLinear(config.hiddenSize(), config.intermediateSize(), true));
        fc2 = addChildBlock("fc2", new ClipLinear(config.intermediateSize(), config.hiddenSize(), true));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray hidden = activation.apply(fc1.forward(ps, inputs, training).head());
        return fc2.forward(ps, new NDList(hidden), training);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }
}

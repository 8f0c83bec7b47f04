package io.caption4j.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.Arrays;
import io.caption4j.model.nn.LayerNorm;

/**
 * CLIP's text tower: token + position embeddings, the encoder with a causal mask, final_layer_norm; the hidden
 * state at the end-of-text token is the pooled output.
 */
final class ClipTextTransformer extends AbstractBlock {
    /** The eos_token_id of old configs, which means "the largest id" (Hugging Face's rule). */
    private static final int LEGACY_EOS_TOKEN_ID = 2;

    private final ClipConfig.Text config;
    private final Parameter tokenEmbedding;
    private final Parameter positionEmbedding;
    private final ClipEncoder encoder;
    private final LayerNorm finalLayerNorm;

    ClipTextTransformer(ClipConfig.Text config) {
        this.config = config;
        ClipConfig.Encoder e = config.encoder();
        tokenEmbedding = addParameter(ClipModel.parameter("embeddings.token_embedding.weight",
                Parameter.Type.WEIGHT, config.vocabSize(), e.hiddenSize()));
        positionEmbedding = addParameter(ClipModel.parameter("embeddings.position_embedding.weight",
                Parameter.Type.WEIGHT, config.maxPositions(), e.hiddenSize()));
        encoder = addChildBlock("encoder", new ClipEncoder(e, true));
        finalLayerNorm = addChildBlock("final_layer_norm", new LayerNorm(e.hiddenSize(), e.layerNormEps()));
    }

    /** input_ids [B, T] (int64) → last_hidden_state [B, T, C], pooled [B, C]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray ids = inputs.head();
        long length = ids.getShape().get(1);
        if (length > config.maxPositions()) {
            throw new IllegalArgumentException(length + " tokens exceed max_position_embeddings "
                    + config.maxPositions());
        }
        NDArray positions = ids.getManager().arange(0, length, 1, DataType.INT64);
        NDArray x = rows(ps.getValue(tokenEmbedding, ids.getDevice(), training), ids)
                .add(rows(ps.getValue(positionEmbedding, ids.getDevice(), training), positions));
        x = encoder.forward(ps, new NDList(x), training).head();
        NDArray hidden = finalLayerNorm.forward(ps, new NDList(x), training).head();
        long size = hidden.getShape().get(2);
        NDArray at = eosPositions(ids, config.eosTokenId()).reshape(-1, 1, 1).repeat(2, size);
        return new NDList(hidden, hidden.gather(at, 1).squeeze(1));
    }

    /** table[index], owned by the index's manager (a result computed from a weight would stay in the model's). */
    private static NDArray rows(NDArray table, NDArray index) {
        NDArray rows = table.get(index);
        rows.attach(index.getManager());
        return rows;
    }

    /**
     * input_ids [B, T] → [B] (int64): the first position of {@code eosTokenId} in each row, or, for the legacy id
     * 2, the position of the largest id.
     *
     * @throws IllegalArgumentException if a row has no end-of-text token
     */
    static NDArray eosPositions(NDArray ids, int eosTokenId) {
        if (eosTokenId == LEGACY_EOS_TOKEN_ID) {
            return ids.argMax(1);
        }
        NDArray isEos = ids.eq(eosTokenId).toType(DataType.INT32, false);
        long[] counts = isEos.sum(new int[] {1}).toType(DataType.INT64, false).toLongArray();
        for (int row = 0; row < counts.length; row++) {
            if (counts[row] == 0) {
                throw new IllegalArgumentException("input_ids row " + row + " has no end-of-text token (id "
                        + eosTokenId + "): " + Arrays.toString(ids.get(row).toLongArray()));
            }
        }
        return isEos.argMax(1); // the first of equal maxima
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        Shape ids = inputs[0];
        long size = config.encoder().hiddenSize();
        return new Shape[] {ids.add(size), new Shape(ids.get(0), size)};
    }
}

package io.caption4j.model.clip;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.caption4j.model.nn.LayerNorm;

/**
 * CLIP's vision tower, a ViT: the image is cut into patches, each linearly embedded (a convolution with stride =
 * kernel = patch size, no bias); a learned class token goes first; position embeddings are added; pre_layrnorm;
 * the encoder; the class token's hidden state through post_layernorm is the pooled output.
 */
final class ClipVisionTransformer extends AbstractBlock {
    private final ClipConfig.Vision config;
    private final Parameter classEmbedding;
    private final Parameter patchEmbedding;
    private final Parameter positionEmbedding;
    private final LayerNorm preLayrnorm;
    private final ClipEncoder encoder;
    private final LayerNorm postLayernorm;

    ClipVisionTransformer(ClipConfig.Vision config) {
        this.config = config;
        ClipConfig.Encoder e = config.encoder();
        int size = e.hiddenSize();
        classEmbedding = addParameter(
                ClipModel.parameter("embeddings.class_embedding", Parameter.Type.WEIGHT, size));
        patchEmbedding = addParameter(ClipModel.parameter("embeddings.patch_embedding.weight",
                Parameter.Type.WEIGHT, size, config.channels(), config.patchSize(), config.patchSize()));
        positionEmbedding = addParameter(ClipModel.parameter("embeddings.position_embedding.weight",
                Parameter.Type.WEIGHT, config.positions(), size));
        // Hugging Face's spelling of the parameter name
        preLayrnorm = addChildBlock("pre_layrnorm", new LayerNorm(size, e.layerNormEps()));
        encoder = addChildBlock("encoder", new ClipEncoder(e, false));
        postLayernorm = addChildBlock("post_layernorm", new LayerNorm(size, e.layerNormEps()));
    }

    /** pixel_values [B, channels, image_size, image_size] → last_hidden_state [B, 1 + patches, C], pooled [B, C]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray pixels = inputs.head();
        Shape expected = new Shape(pixels.getShape().get(0), config.channels(), config.imageSize(), config.imageSize());
        if (!pixels.getShape().equals(expected)) {
            throw new IllegalArgumentException("pixel_values of shape " + pixels.getShape() + ", the model takes "
                    + expected);
        }
        long batch = expected.get(0);
        long size = config.encoder().hiddenSize();
        NDArray patches = Conv2d.conv2d(pixels, ps.getValue(patchEmbedding, pixels.getDevice(), training), null,
                new Shape(config.patchSize(), config.patchSize())).head(); // [B, C, side, side]
        patches = patches.reshape(batch, size, -1).transpose(0, 2, 1); // [B, patches, C]
        // the class token is built in the input's manager: a result computed from a weight would stay in the model's
        NDArray classToken = patches.getManager().zeros(new Shape(batch, 1, size))
                .add(ps.getValue(classEmbedding, pixels.getDevice(), training));
        NDArray x = classToken.concat(patches, 1).add(ps.getValue(positionEmbedding, pixels.getDevice(), training));
        x = preLayrnorm.forward(ps, new NDList(x), training).head();
        NDArray hidden = encoder.forward(ps, new NDList(x), training).head();
        NDArray pooled = postLayernorm.forward(ps, new NDList(hidden.get(new NDIndex(":, 0, :"))), training).head();
        return new NDList(hidden, pooled);
    }

    /** Hidden states [B, T, C] through post_layernorm, as the pooled class token is. */
    NDArray postLayernorm(ParameterStore ps, NDArray hidden, boolean training) {
        return postLayernorm.forward(ps, new NDList(hidden), training).head();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        long batch = inputs[0].get(0);
        long size = config.encoder().hiddenSize();
        return new Shape[] {new Shape(batch, config.positions(), size), new Shape(batch, size)};
    }
}

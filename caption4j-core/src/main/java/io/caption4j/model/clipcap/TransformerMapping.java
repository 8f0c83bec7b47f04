package io.caption4j.model.clipcap;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import io.caption4j.model.nn.PyTorchDefaults;

/**
 * ClipCap's Transformer mapping: the embedding is projected to a few vectors, learned constant queries are appended,
 * a small transformer encoder mixes them, and the outputs at the constant positions are the prefix.
 *
 * <p>Over regions, each of the R region vectors is projected on its own and given a learned position (which cell of
 * the grid it is); without positions the encoder could not tell the regions' layout apart.
 *
 * <p>It starts as ClipCap's PyTorch code starts it: linear layers as nn.Linear, the constant queries N(0, 1)
 * (torch.randn); the region positions N(0, 0.02), as GPT-2's position embeddings.
 */
final class TransformerMapping extends AbstractBlock {
    private final int prefixLength;
    private final int projectedLength;
    private final int width;
    private final boolean readsRegions;
    private final Linear projection;
    private final Parameter regionPositions;
    private final Parameter queries;
    private final EncoderLayer[] layers;

    /**
     * @param inputSize the size of the embedding, or of each region vector
     * @param regions   0: one pooled embedding in, projected to {@code projectedLength} vectors; R: R region vectors
     */
    TransformerMapping(int inputSize, int prefixLength, int projectedLength, int regions, int width, int layerCount,
            int heads) {
        this.prefixLength = prefixLength;
        this.readsRegions = regions > 0;
        this.projectedLength = readsRegions ? regions : projectedLength;
        this.width = width;
        projection = addChildBlock("projection", PyTorchDefaults.uniformByFanIn(
                Linear.builder().setUnits(readsRegions ? width : (long) width * projectedLength).build(), inputSize));
        regionPositions = readsRegions ? addParameter(Parameter.builder().setName("regionPositions")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(regions, width))
                .optInitializer(new NormalInitializer(0.02f)).build()) : null;
        queries = addParameter(Parameter.builder().setName("queries").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(prefixLength, width)).optInitializer(new NormalInitializer(1f)).build());
        layers = new EncoderLayer[layerCount];
        for (int i = 0; i < layerCount; i++) {
            layers[i] = addChildBlock("layer" + i, new EncoderLayer(width, heads));
        }
    }

    /** embedding [B, C] or regions [B, R, C] → prefix [B, L, d]. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray image = inputs.head();
        long batch = image.getShape().get(0);
        NDArray projected = projection.forward(ps, inputs, training).head();
        projected = readsRegions
                ? projected.add(ps.getValue(regionPositions, image.getDevice(), training))
                : projected.reshape(batch, projectedLength, width);
        NDArray constant = ps.getValue(queries, image.getDevice(), training).expandDims(0)
                .broadcast(batch, prefixLength, width);
        NDArray x = NDArrays.concat(new NDList(projected, constant), 1);
        for (EncoderLayer layer : layers) {
            x = layer.forward(ps, new NDList(x), training).head();
        }
        return new NDList(x.get(new NDIndex(":, " + projectedLength + ":, :")));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return new Shape[] {new Shape(inputs[0].get(0), prefixLength, width)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputs) {
        projection.initialize(manager, dataType, inputs);
        Shape sequence = new Shape(inputs[0].get(0), projectedLength + prefixLength, width);
        for (EncoderLayer layer : layers) {
            layer.initialize(manager, dataType, sequence);
        }
    }
}

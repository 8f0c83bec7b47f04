package io.caption4j.vision;

import static io.caption4j.testing.ReferenceValues.maxAbsDiff;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.caption4j.vision.tfjs.TfjsLayersModel;
import io.caption4j.vision.tfjs.TfjsWeight;
import ai.djl.ndarray.types.DataType;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.io.TempDir;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Our MobileNetV2 against the outputs TensorFlow.js produced for the same input tensors. */
class MobileNetV2FidelityTest {
    private static final double FEATMAP_TOLERANCE = 1e-4;
    private static final double POOLED_TOLERANCE = 1e-5;
    private static final double HEAD_TOLERANCE = 1e-5;

    private static TfjsLayersModel model;
    private static MobileNetV2 encoder;
    private static NDManager manager;

    @BeforeAll
    static void load() {
        model = TfjsLayersModel.load(Fixtures.mobileNetDir().resolve("model.json"));
        manager = NDManager.newBaseManager();
        encoder = MobileNetV2.load(model, manager.newSubManager(), MobileNetV2.AS_EXPORTED, MobileNetV2.Output.OUT_RELU);
    }

    @AfterAll
    static void close() {
        encoder.close();
        manager.close();
    }

    @Test
    void matchesTfjsOnFourPhotosInOneBatch() {
        int n = Fixtures.PHOTOS.size();
        NDList out = encoder.encode(Fixtures.inputBatch(manager));
        assertEquals(new Shape(n, 49, 1280), out.get(0).getShape());
        assertEquals(new Shape(n, 1280), out.get(1).getShape());
        for (int i = 0; i < n; i++) {
            String photo = Fixtures.PHOTOS.get(i);
            double featmap = maxAbsDiff(out.get(0).get(i).toFloatArray(), Fixtures.floats(photo, "featmap"));
            double pooled = maxAbsDiff(out.get(1).get(i).toFloatArray(), Fixtures.floats(photo, "pooled"));
            double head = maxAbsDiff(head(out.get(1).get(i)), Fixtures.floats(photo, "head"));
            System.out.printf(Locale.ROOT, "%s: max |diff| featmap %.3g, pooled %.3g, head %.3g%n", photo, featmap,
                    pooled, head);
            assertTrue(featmap <= FEATMAP_TOLERANCE, photo + " featmap max |diff| " + featmap);
            assertTrue(pooled <= POOLED_TOLERANCE, photo + " pooled max |diff| " + pooled);
            assertTrue(head <= HEAD_TOLERANCE, photo + " head max |diff| " + head);
        }
    }

    @Test
    void batchOfOneGivesTheSameFeaturesAsTheReference() {
        String photo = Fixtures.PHOTOS.get(2);
        NDList out = encoder.encode(manager.create(Fixtures.floats(photo, "input"), new Shape(1, 224, 224, 3)));
        double pooled = maxAbsDiff(out.get(1).toFloatArray(), Fixtures.floats(photo, "pooled"));
        assertTrue(pooled <= POOLED_TOLERANCE, "pooled max |diff| " + pooled);
    }

    @Test
    void featureCacheOfTheFixturePhotosHoldsTheReferenceFeatures(@TempDir Path tmp) throws IOException {
        List<String> ids = new ArrayList<>(Fixtures.PHOTOS);
        ids.add(1, "unreadable");
        FeatureCache.Extraction extraction = new FeatureCache.Extraction(encoder, "fixture input.f32", id -> {
            if (!Fixtures.PHOTOS.contains(id)) {
                throw new NoSuchFileException(id + ".jpg");
            }
            return Fixtures.floats(id, "input");
        }, DataType.FLOAT32, 3, 2);
        Problems problems = Problems.silent();
        try (FeatureCache cache = FeatureCache.openOrBuild(tmp.resolve("features"), ids, extraction, problems, null)) {
            assertEquals(List.of("unreadable: unreadable.jpg"), problems.messages());
            assertEquals(Set.of("unreadable"), cache.missing());
            for (String photo : Fixtures.PHOTOS) {
                int i = cache.indexOf(photo);
                assertTrue(maxAbsDiff(cache.regions(manager, i).toFloatArray(),
                        Fixtures.floats(photo, "featmap")) <= FEATMAP_TOLERANCE, photo);
                assertTrue(maxAbsDiff(cache.pooled(manager, i).toFloatArray(),
                        Fixtures.floats(photo, "pooled")) <= POOLED_TOLERANCE, photo);
            }
        }
    }

    @Test
    void usesEveryBackboneWeightAndLeavesOnlyTheClassifierHead() {
        assertEquals(List.of("dense_Dense3/kernel", "dense_Dense3/bias", "dense_Dense4/kernel"),
                encoder.unusedWeights());
        assertEquals(263, model.weights().size());
        assertEquals(1280, encoder.featureSize());
        assertEquals(224, encoder.inputSize());
        assertTrue(encoder.identity().contains("sha256=" + model.sha256().substring(0, 16)), encoder.identity());
    }

    /**
     * Loaded {@code BEFORE_TOP}, the network stops at the last block (112 channels), and its top, folded into a
     * per-region linear layer + ReLU6 as a captioner fine-tunes it, turns those regions into TF.js's feature map again.
     * The folded kernel is rounded to float32 once (see ConvBn), within the feature map's tolerance.
     */
    @Test
    void trunkAndFoldedTopReproduceTheReferenceFeatureMap() {
        try (MobileNetV2 trunk = MobileNetV2.load(model, manager.newSubManager(), MobileNetV2.AS_EXPORTED,
                MobileNetV2.Output.BEFORE_TOP)) {
            assertEquals(112, trunk.featureSize());
            assertTrue(trunk.identity().endsWith("output=block_16_project_BN+avgpool"), trunk.identity());
            PointwiseConv top = trunk.top();
            assertEquals(112, top.inputs());
            assertEquals(1280, top.outputs());
            String photo = Fixtures.PHOTOS.get(0);
            NDList out = trunk.encode(manager.create(Fixtures.floats(photo, "input"), new Shape(1, 224, 224, 3)));
            assertEquals(new Shape(1, 49, 112), out.get(0).getShape());
            NDArray weight = manager.create(top.weight(), new Shape(1280, 112));
            NDArray regions = out.get(0).get(0).matMul(weight.transpose()).add(manager.create(top.bias())).clip(0, 6);
            double featmap = maxAbsDiff(regions.toFloatArray(), Fixtures.floats(photo, "featmap"));
            assertTrue(featmap <= FEATMAP_TOLERANCE, "featmap through the folded top: max |diff| " + featmap);
        }
    }

    /**
     * The same weights at 320 px read the photo on a 10×10 grid. No reference exists at that size, so the check is
     * that each photo's pooled vector at 320 px is still nearest to its own at 224 px, clearly so (measured: cosine
     * 0.86–0.88 to itself, at most 0.50 to another photo); a misplaced pad or a broken block would blur that.
     */
    @Test
    void largerInputSideGivesAFinerGridOfTheSamePhoto() {
        try (MobileNetV2 large = MobileNetV2.load(model, manager.newSubManager(), 320, MobileNetV2.Output.OUT_RELU)) {
            assertEquals(320, large.inputSize());
            assertTrue(large.identity().contains("input=320x320"), large.identity());
            assertNotEquals(encoder.identity(), large.identity(), "features of the two sizes must not share a cache");
            ImageLoader loader = new ImageLoader();
            List<float[]> at224 = new ArrayList<>();
            List<float[]> at320 = new ArrayList<>();
            for (String photo : Fixtures.PHOTOS) {
                RgbImage image = loader.load(Fixtures.mobileNetDir().resolve("images/" + photo + ".jpg"));
                NDList out = large.encode(manager.create(large.preprocessor().toTensor(image),
                        new Shape(1, 320, 320, 3)));
                assertEquals(new Shape(1, 100, 1280), out.get(0).getShape());
                at320.add(out.get(1).toFloatArray());
                at224.add(encoder.encode(manager.create(encoder.preprocessor().toTensor(image),
                        new Shape(1, 224, 224, 3))).get(1).toFloatArray());
            }
            for (int i = 0; i < at320.size(); i++) {
                double self = cosine(at320.get(i), at224.get(i));
                double other = 0;
                for (int j = 0; j < at224.size(); j++) {
                    other = j == i ? other : Math.max(other, cosine(at320.get(i), at224.get(j)));
                }
                System.out.printf(Locale.ROOT, "%s: pooled at 320 px vs 224 px, cosine %.4f to itself, at most"
                        + " %.4f to another photo%n", Fixtures.PHOTOS.get(i), self, other);
                assertTrue(self >= 0.8 && self >= other + 0.15, Fixtures.PHOTOS.get(i) + ": cosine " + self
                        + " to itself, " + other + " to another photo");
            }
        }
        InputException e = assertThrows(InputException.class,
                () -> MobileNetV2.load(model, manager.newSubManager(), 300, MobileNetV2.Output.OUT_RELU));
        assertEquals("MobileNetV2 takes images whose side is a multiple of 32 pixels (its export: 224), got 300",
                e.getMessage());
    }

    private static double cosine(float[] a, float[] b) {
        double dot = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            dot += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return dot / Math.sqrt(aa * bb);
    }

    /** The Teachable Machine head: dense 1280→100 ReLU → dense 100→5 (no bias) → softmax. */
    private static float[] head(NDArray pooled) {
        NDArray hidden = pooled.reshape(1, 1280).matMul(weight("dense_Dense3/kernel"))
                .add(weight("dense_Dense3/bias")).maximum(0);
        return hidden.matMul(weight("dense_Dense4/kernel")).softmax(1).toFloatArray();
    }

    private static NDArray weight(String name) {
        TfjsWeight w = model.weights().get(name);
        return manager.create(w.values(), new Shape(w.shape()));
    }

    /**
     * Our own JPEG decode + resize instead of TF.js's input tensor: the pooled vector moves by what the decoders'
     * pixel differences cause (jpeg-js vs ImageIO, and the ICC profile one photo carries). Reported, and bounded so a
     * broken preprocessing (wrong channel order, wrong normalisation) cannot pass.
     */
    @Test
    void ownJpegPreprocessingStaysCloseToTfjsInput() {
        ImagePreprocessor preprocessor = new TfjsPreprocessor(224, TfjsPreprocessor.Normalization.MINUS_ONE_TO_ONE);
        ImageLoader loader = new ImageLoader();
        for (String photo : Fixtures.PHOTOS) {
            float[] ours = preprocessor.toTensor(loader.load(Fixtures.mobileNetDir().resolve("images/" + photo + ".jpg")));
            float[] pooled = encoder.encode(manager.create(ours, new Shape(1, 224, 224, 3))).get(1).toFloatArray();
            float[] reference = Fixtures.floats(photo, "pooled");
            double max = 0;
            double sum = 0;
            double norm = 0;
            for (int i = 0; i < pooled.length; i++) {
                double d = Math.abs(pooled[i] - reference[i]);
                max = Math.max(max, d);
                sum += d;
                norm += Math.abs(reference[i]);
            }
            System.out.printf("%s: pooled |ours - tfjs| max %.4f, mean %.5f (mean |tfjs| %.4f)%n", photo, max,
                    sum / pooled.length, norm / pooled.length);
            assertTrue(sum / norm < 0.1, photo + ": own preprocessing moves the pooled vector by "
                    + (sum / norm) + " relative");
        }
    }
}

package io.caption4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionDatasets;
import io.caption4j.data.CaptionedImage;
import io.caption4j.data.synthetic.SyntheticWorld;
import io.caption4j.model.joint.DualEncoder;
import io.caption4j.model.joint.DualEncoderConfig;
import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.model.joint.JointEmbedders;
import io.caption4j.model.joint.JointVectors;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.Problems;
import io.caption4j.vision.FeatureCache;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.PixelInputs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny dual encoder on 12 synthetic images through the real MobileNetV2 backbone: contrastive steps drive the loss
 * down until every image finds its own captions first; the saved model embeds exactly as the trained one did, and
 * from the image files as from the feature cache.
 */
class DualEncoderTrainingTest {
    private static final int IMAGES = 12;

    private static Path backboneJson() {
        Path json = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "mobilenetv2-tm",
                "model.json");
        assertTrue(Files.isRegularFile(json), "MobileNetV2 fixture missing: " + json.toAbsolutePath());
        return json;
    }

    @Test
    void trainingRanksMatchedPairsFirstAndTheSavedModelEmbedsIdentically(@TempDir Path dir) throws Exception {
        Path world = dir.resolve("world");
        new SyntheticWorld(7, SyntheticWorld.DEFAULT_IMAGE_SIZE).writeDataset(world, IMAGES);
        CaptionDataset dataset = CaptionDatasets.read(world.resolve("captions.csv"), world.resolve("images"),
                Problems.silent());
        Vocabulary vocabulary = Vocabulary.build(CaptionSplits.tokenizedCaptions(dataset), 1);
        FrozenBackbone backbone = FrozenBackbone.mobileNetV2(backboneJson());
        DualEncoderConfig config = new DualEncoderConfig(DualEncoderConfig.TRAINED, DualEncoderConfig.MEAN, 0, 64, 32,
                vocabulary.size(), 16, 32, 12, 0f, "", "").withBackbone(backbone.encoder());
        Path saved = dir.resolve("model");
        try (FeatureCache cache = BackboneFeatures.extract(dataset, dataset.ids(), backbone, dir.resolve("cache"),
                Problems.silent(), System.out);
                DualEncoder model = DualEncoder.create(config, vocabulary, 3, backbone)) {
            ContrastiveSplit split = DualEncoderTraining.split(dataset, cache, model, System.out);
            String untrained = model.identity();
            DualEncoderTrainer trainer = new DualEncoderTrainer(model,
                    new TrainingOptions(1, IMAGES, 1e-2, 1, 0, 1, 0f, 0, 3), ContrastiveLoss.named("infonce", 0),
                    System.out);
            int[] images = IntStream.range(0, IMAGES).toArray();
            int[][] captionsOfImage = split.captionsOfImage();
            Random random = new Random(3);
            double first = Double.NaN;
            double last = Double.NaN;
            for (int step = 0; step < 80; step++) {
                int[] captions = IntStream.of(images).map(i -> captionsOfImage[i][random.nextInt(5)]).toArray();
                last = trainer.step(split, images, captions, 1e-2, 1);
                first = step == 0 ? last : first;
            }
            assertTrue(last < first / 3, "loss " + first + " → " + last);
            Map<String, Double> scores = DualEncoderTrainer.validate(model, split);
            assertEquals(1.0, scores.get("i2t_R@1"), "every image finds one of its own captions first: " + scores);
            assertTrue(scores.get("t2i_R@1") >= 0.9, scores.toString());
            assertNotEquals(untrained, model.identity(), "the identity follows the weights");

            model.save(saved);
            float[][] regions = model.embedRegions(split.images());
            List<String> texts = List.of("a red circle", "two blue squares and a green star");
            float[][] textEmbeddings = model.embedTexts(texts);
            try (JointEmbedder loaded = JointEmbedders.load(saved)) {
                assertEquals(model.identity(), loaded.identity());
                assertEquals(model.similarityScale(), loaded.similarityScale(), 1e-6);
                DualEncoder reloaded = (DualEncoder) loaded;
                float[][] again = reloaded.embedRegions(split.images());
                for (int i = 0; i < IMAGES; i++) {
                    assertArrayEquals(regions[i], again[i], 1e-6f);
                    assertEquals(1.0, JointVectors.norm(again[i]), 1e-5);
                }
                float[][] textsAgain = loaded.embedTexts(texts);
                for (int i = 0; i < texts.size(); i++) {
                    assertArrayEquals(textEmbeddings[i], textsAgain[i], 1e-6f);
                    assertEquals(1.0, JointVectors.norm(textsAgain[i]), 1e-5);
                }
                PixelInputs.Loaded pixels = PixelInputs.load(dataset.items().stream().map(CaptionedImage::image)
                        .toList(), new ImageLoader(), loaded.preprocessor(), Problems.silent(), null);
                float[][] fromFiles = loaded.embedImages(pixels.inputs());
                for (int i = 0; i < IMAGES; i++) {
                    assertTrue(JointVectors.dot(fromFiles[i], regions[i]) > 0.999,
                            "image files and float16 cached features give the same embedding");
                }
            }
        }
    }
}

package io.caption4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionDatasets;
import io.caption4j.data.Splits;
import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.model.Captioner;
import io.caption4j.model.CaptionerConfig;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.util.Problems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real photos through the pretrained backbone: features of a few shared Flickr8k photos are extracted into the
 * cache, a tiny captioner is trained on them, and the saved model (which carries its backbone) captions the photos
 * from their JPEG files. Shapes and determinism are checked, not quality.
 */
class FrozenBackboneTrainingTest {
    private static Path shared() {
        Path root = Path.of(System.getProperty("caption4j.shared", "../shared"));
        assertTrue(Files.isDirectory(root.resolve("data/flickr8k-1k")), "shared data missing: " + root.toAbsolutePath()
                + " (set -Dcaption4j.shared)");
        return root;
    }

    @Test
    void extractsFeaturesTrainsAndCaptionsPhotosDeterministically(@TempDir Path dir) throws Exception {
        Path shared = shared();
        Problems problems = Problems.silent();
        CaptionDataset all = CaptionDatasets.read(shared.resolve("data/flickr8k-1k/captions.csv"),
                shared.resolve("data/flickr8k-1k/images"), problems);
        CaptionDataset few = all.subset(all.ids().subList(0, 12));
        Splits splits = Splits.of(few.ids().subList(0, 8), few.ids().subList(8, 10), few.ids().subList(10, 12));
        TrainingSetup setup = new TrainingSetup(
                new CaptionerConfig(CaptionerConfig.FEATURES, "", 0, 0, 0, 16, 32, 16, 0f, "pooled", 8),
                new TrainingOptions(2, 8, 1e-2, 1, 0, 1, 0f, 0, 5), 1, 8, "CIDEr", DecodingOptions.greedy(8));
        CaptionerTraining.Backbone backbone = new CaptionerTraining.Backbone(
                Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures"), "mobilenetv2-tm/model.json"),
                dir.resolve("cache"));
        List<EpochRecord> log = CaptionerTraining.run(few, splits, setup, backbone, dir.resolve("run"), false,
                problems, System.out);
        assertEquals(2, log.size());
        assertEquals(List.of(), problems.messages());
        try (var caches = Files.list(dir.resolve("cache"))) {
            assertEquals(1, caches.count(), "one feature cache for the run's images");
        }
        Path model = dir.resolve("run").resolve(CaptionTrainer.MODEL);
        assertTrue(Files.isRegularFile(model.resolve("backbone/model.json")), "the model carries its backbone");
        assertTrue(Files.isRegularFile(model.resolve("backbone/weights.bin")));

        CaptionDataset test = splits.apply(few, Splits.Split.TEST);
        List<List<GeneratedCaption>> first = caption(model, test);
        List<List<GeneratedCaption>> second = caption(model, test);
        assertEquals(2, first.size());
        for (int i = 0; i < first.size(); i++) {
            GeneratedCaption a = first.get(i).get(0);
            GeneratedCaption b = second.get(i).get(0);
            assertEquals(a.text(), b.text(), "same model, same photo, same caption");
            assertEquals(a.logProbability(), b.logProbability(), 1e-5);
            assertTrue(a.words().size() <= 8);
            for (float[] attention : a.attention()) {
                assertEquals(49, attention.length, "one weight per region of MobileNetV2's 7x7 grid");
                float sum = 0;
                for (float w : attention) {
                    sum += w;
                }
                assertEquals(1f, sum, 1e-4f);
            }
        }
    }

    private static List<List<GeneratedCaption>> caption(Path model, CaptionDataset items) {
        try (Captioner captioner = Captioner.load(model)) {
            CaptionSplit split = CaptionSplits.fromImages(items, captioner, CaptionSplits.UNENCODED, Problems.silent(), null);
            return captioner.caption(split.images(), DecodingOptions.greedy(8), 4);
        }
    }
}

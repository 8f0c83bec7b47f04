package io.caption4j.eval;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.model.joint.JointEmbedder;
import io.caption4j.model.joint.JointVectors;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.PixelInputs;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Cross-modal retrieval of a joint model on a captioned image set, from the image files: every image against every
 * caption of the set ({@link RetrievalMetrics}). Images that cannot be read are reported and left out with their
 * captions.
 */
public final class RetrievalEvaluation {
    private RetrievalEvaluation() {}

    /** The scores, and how many images and captions they are over. */
    public record Result(RetrievalMetrics metrics, int images, int texts) {}

    public static Result evaluate(JointEmbedder model, CaptionDataset items, Problems problems,
            PrintStream progress) {
        PixelInputs.Loaded loaded = PixelInputs.load(items.items().stream().map(CaptionedImage::image).toList(),
                new ImageLoader(), model.preprocessor(), problems, progress);
        List<String> captions = new ArrayList<>();
        List<Integer> imageOfCaption = new ArrayList<>();
        for (int i = 0; i < loaded.kept().size(); i++) {
            for (String caption : items.items().get(loaded.kept().get(i)).captions()) {
                captions.add(caption);
                imageOfCaption.add(i);
            }
        }
        float[][] similarity = JointVectors.similarities(model.embedImages(loaded.inputs()),
                model.embedTexts(captions));
        return new Result(RetrievalMetrics.of(similarity, imageOfCaption.stream().mapToInt(Integer::intValue)
                .toArray()), loaded.kept().size(), captions.size());
    }
}

package io.caption4j.eval;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.text.PtbTokenizer;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;

/** Captioners that do not look at the image, to show what looking at it is worth. */
public final class Baselines {
    private Baselines() {}

    /**
     * The most frequent training caption (after COCO tokenisation; ties go to the alphabetically first): what an
     * image-blind model that outputs its single most likely caption would say for every image.
     */
    public static String mostFrequentCaption(CaptionDataset train) {
        PtbTokenizer tokenizer = PtbTokenizer.instance();
        Map<String, Integer> counts = new HashMap<>();
        for (CaptionedImage item : train) {
            for (String caption : item.captions()) {
                counts.merge(String.join(" ", tokenizer.tokenize(caption)), 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue)
                        .thenComparing(Map.Entry::getKey, Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElseThrow();
    }
}

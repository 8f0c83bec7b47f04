package io.caption4j.train;

import io.caption4j.model.joint.PreparedTexts;
import io.caption4j.vision.ImageInputs;
import java.util.ArrayList;
import java.util.List;

/**
 * Images and their captions for training or validating a dual encoder.
 *
 * @param images         model inputs of the images (backbone regions), indexed 0..n-1
 * @param captions       every caption, prepared for the text tower
 * @param imageOfCaption for each caption, the index of its image
 */
public record ContrastiveSplit(ImageInputs images, PreparedTexts captions, int[] imageOfCaption) {
    public ContrastiveSplit {
        if (captions.size() != imageOfCaption.length) {
            throw new IllegalArgumentException(captions.size() + " captions but " + imageOfCaption.length
                    + " image indices");
        }
    }

    /** For each image, the indices of its captions. */
    public int[][] captionsOfImage() {
        List<List<Integer>> lists = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            lists.add(new ArrayList<>());
        }
        for (int c = 0; c < imageOfCaption.length; c++) {
            lists.get(imageOfCaption[c]).add(c);
        }
        return lists.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }
}

package io.caption4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RetrievalMetricsTest {

    @Test
    void perfectModelHasRecallOneAndRankOne() {
        float[][] sim = {{0.9f, 0.8f, 0.1f, 0.0f}, {0.1f, 0.2f, 0.7f, 0.6f}};
        RetrievalMetrics m = RetrievalMetrics.of(sim, new int[] {0, 0, 1, 1});
        assertEquals(new RetrievalMetrics.Direction(1, 1, 1, 1), m.imageToText());
        assertEquals(new RetrievalMetrics.Direction(1, 1, 1, 1), m.textToImage());
    }

    @Test
    void ranksAreCountedByHandInBothDirections() {
        // 3 images, one text each (text t describes image t)
        float[][] sim = {
            {0.1f, 0.9f, 0.5f}, // image 0: own text 0.1 is beaten by 0.9 and 0.5 → rank 3
            {0.2f, 0.8f, 0.3f}, // image 1: own text 0.8 is best → rank 1
            {0.7f, 0.1f, 0.4f}, // image 2: own text 0.4 beaten by 0.7 → rank 2
        };
        RetrievalMetrics m = RetrievalMetrics.of(sim, new int[] {0, 1, 2});
        assertEquals(new RetrievalMetrics.Direction(1 / 3.0, 1, 1, 2), m.imageToText());
        // text 0: column {0.1, 0.2, 0.7}, own 0.1 → rank 3; text 1: {0.9, 0.8, 0.1}, own 0.8 → 2;
        // text 2: {0.5, 0.3, 0.4}, own 0.4 → 2
        assertEquals(new RetrievalMetrics.Direction(0, 1, 1, 2), m.textToImage());
    }

    @Test
    void imageToTextUsesTheBestRankedOwnTextAndRecallAtFiveAndTenCount() {
        int images = 12;
        float[][] sim = new float[images][images];
        int[] imageOfText = new int[images];
        for (int i = 0; i < images; i++) {
            imageOfText[i] = i;
            for (int t = 0; t < images; t++) {
                // every image ranks text t by t (higher t first): own text i gets rank images - i
                sim[i][t] = t;
            }
        }
        RetrievalMetrics m = RetrievalMetrics.of(sim, imageOfText);
        // ranks 12, 11, ..., 1: 1 within top-1, 5 within top-5, 10 within top-10; median of 1..12 is 6.5
        assertEquals(new RetrievalMetrics.Direction(1 / 12.0, 5 / 12.0, 10 / 12.0, 6.5), m.imageToText());
    }

    @Test
    void tiesCountInTheModelsFavourAndTwoCaptionsTakeTheBetter() {
        float[][] sim = {{0.5f, 0.5f, 0.1f}, {0.5f, 0.2f, 0.9f}};
        RetrievalMetrics m = RetrievalMetrics.of(sim, new int[] {0, 1, 1});
        // image 0: own text 0 at 0.5, nothing higher → 1; image 1: own texts 0.2 and 0.9 → best 0.9 → rank 1
        assertEquals(1.0, m.imageToText().recallAt1());
        // text 0: {0.5, 0.5} own 0.5 → 1; text 1: {0.5, 0.2} own 0.2 → 2; text 2: {0.1, 0.9} → 1
        assertEquals(new RetrievalMetrics.Direction(2 / 3.0, 1, 1, 1), m.textToImage());
    }

    @Test
    void rejectsMalformedInput() {
        assertThrows(IllegalArgumentException.class, () -> RetrievalMetrics.of(new float[][] {{1f}}, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> RetrievalMetrics.of(new float[][] {{1f, 0f}, {0f, 1f}}, new int[] {0, 0}));
        assertThrows(IllegalArgumentException.class,
                () -> RetrievalMetrics.of(new float[][] {{Float.NaN}}, new int[] {0}));
    }
}

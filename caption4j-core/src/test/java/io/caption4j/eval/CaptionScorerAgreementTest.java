package io.caption4j.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scores of the reference vectors against pycocoevalcap's own output in expected.json. */
class CaptionScorerAgreementTest {
    private static final double TOLERANCE = 1e-9;

    @ParameterizedTest
    @ValueSource(strings = {"leave_one_out", "degenerate"})
    void matchesPycocoevalcap(String vector) throws IOException {
        Path dir = EvalData.directory();
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile()).get(vector);
        Path refsFile = dir.resolve(expected.get("references").asText());
        Map<String, List<String>> refs = CocoCaptionFiles.readReferences(refsFile);
        Map<String, String> results =
                CocoCaptionFiles.readResults(dir.resolve(expected.get("candidates").asText()), refs, refsFile);

        CaptionScores scores = CaptionScorer.score(refs, results);

        assertEquals(expected.get("images").asInt(), scores.images());
        for (String metric : CaptionScores.METRICS) {
            assertEquals(expected.get("corpus").get(metric).asDouble(), scores.corpus(metric), TOLERANCE,
                    vector + " corpus " + metric);
        }
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.get("first_25_images").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> image = it.next();
            Map<String, Double> actual = scores.perImage().get(image.getKey());
            for (Iterator<Map.Entry<String, JsonNode>> m = image.getValue().fields(); m.hasNext(); checked++) {
                Map.Entry<String, JsonNode> metric = m.next();
                assertEquals(metric.getValue().asDouble(), actual.get(metric.getKey()), TOLERANCE,
                        vector + " image " + image.getKey() + " " + metric.getKey());
            }
        }
        assertTrue(checked >= 75, "expected.json should hold 3 metrics for 25 images, had " + checked);
    }
}

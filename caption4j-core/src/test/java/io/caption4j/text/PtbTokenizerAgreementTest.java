package io.caption4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.eval.EvalData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** PtbTokenizer against CoreNLP 3.4.1 run the way pycocoevalcap runs it, on every caption of the eval vectors. */
class PtbTokenizerAgreementTest {
    private final PtbTokenizer tokenizer = PtbTokenizer.instance();

    @Test
    void sameTokensAsCoreNlpOnEveryCaptionOfTheVectors() throws IOException {
        Path dir = EvalData.directory();
        int checked = 0;
        for (String file : List.of("references.json", "references_leave_one_out.json")) {
            checked += assertAgreement(file, captions(dir.resolve(file), "annotations"));
        }
        for (String file : List.of("candidates_leave_one_out.json", "candidates_degenerate.json")) {
            checked += assertAgreement(file, captions(dir.resolve(file), null));
        }
        assertEquals(25_014 + 20_014 + 5_000 + 4_989, checked);
    }

    @Test
    void sameTokensAsCoreNlpOnHandPickedHardCases() {
        List<String> cases = List.of(
                "A dog (brown) sits.", "The letter A.", "A man, 22 3/4 st. & \"hello\" it's.",
                "she said 'hi' -- well... [ok] {x} Mr. Smith 555-1234 :) <b> &amp; don't",
                "I cannot go, gonna wanna gimme.", "U.S. The man etc. and e.g. A cat.", "The #41 bus at 11:44.",
                "Street signs, corner of Lynn and Bigelow.taken 11.01.2009 23:58.", "tub/shower and/or x/y/z",
                "a close-up of a 4-way stop-sign", "rock 'n' roll, the '90s, o'clock, y'all", "Dogs' toys", "ATVs'",
                "email me@example.com or www.example.com/path.", "C++ and c# code", "pro-life anti-war", "AT&T S&P",
                "He said: \"Hi!\" ... . . .", "price $5.00 or US$ 3 or \u20ac4 \u00bd cup", "caf\u00e9 na\u00efve \u00fcber",
                "a\u00a0b\u2009c", "emoji \ud83d\ude00 end", "tab\there", "Mt. Fuji at 5 p.m.", "the Calif. coast",
                "fig. 3 and no. 5", "word.", "a", "", "  ", ".", "!!!", "x -- y --- z ---- w", "multi\nline caption",
                "CR\rcaption", "Wait...what?", "(c) 2014", "p. 5", "'tis 'twas", "I'm you're he'd we'll they've",
                "n't", "don't.", "isn't,", "\"Quoted\"", "it 's", "ol' man", "'em", "s'mores");
        assertAgreementAlsoAlone("hand-picked", cases);
    }

    @Test
    void sameTokensAsCoreNlpOnFlickr8kTrainingText() throws IOException {
        Path csv = EvalData.shared().resolve("data/flickr8k-text/captions.csv");
        assertTrue(Files.isRegularFile(csv), "missing " + csv);
        List<String> captions = new ArrayList<>();
        List<String> lines = Files.readAllLines(csv);
        for (String line : lines.subList(1, lines.size())) {
            int comma = line.indexOf(',');
            String caption = line.substring(comma + 1);
            if (caption.startsWith("\"") && caption.endsWith("\"")) {
                caption = caption.substring(1, caption.length() - 1).replace("\"\"", "\"");
            }
            captions.add(caption);
        }
        assertEquals(35_455, assertAgreementAlsoAlone("flickr8k-text", captions));
    }

    /** Compares the stream form, as pycocoevalcap tokenises; returns the number of captions. */
    private int assertAgreement(String source, List<String> captions) {
        List<List<String>> expected = CoreNlpReference.tokenize(captions);
        List<List<String>> actual = tokenizer.tokenizeAll(captions);
        assertEquals(captions.size(), expected.size(), source + ": CoreNLP line count");
        for (int i = 0; i < captions.size(); i++) {
            assertEquals(expected.get(i), actual.get(i), source + " #" + i + ": " + captions.get(i));
        }
        return captions.size();
    }

    /** Also compares each caption tokenised on its own, the form training text uses. */
    private int assertAgreementAlsoAlone(String source, List<String> captions) {
        for (int i = 0; i < captions.size(); i++) {
            List<String> alone = CoreNlpReference.tokenize(List.of(captions.get(i))).get(0);
            assertEquals(alone, tokenizer.tokenize(captions.get(i)), source + " #" + i + " alone: " + captions.get(i));
        }
        return assertAgreement(source, captions);
    }

    private static List<String> captions(Path file, String field) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<String> out = new ArrayList<>();
        for (JsonNode entry : field == null ? root : root.get(field)) {
            out.add(entry.get("caption").asText());
        }
        return out;
    }
}

package io.caption4j.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** PtbTokenizer against CoreNLP 3.4.1 on random captions built from the pieces that trip tokenisers up. */
class PtbTokenizerFuzzTest {
    private static final String[] PIECES = {"a", "A", "dog", "The", "U.S.", "etc.", "Mr.", "I.", "e.g.", "it's",
        "don't", "can't", "cannot", "'", "\"", "''", "``", "(", ")", "[", "]", "{", "}", "-", "--", "---", ".", "..",
        "...", ",", ";", ":", "?", "!", "&", "&amp;", "#", "$", "%", "@", "/", "*", "+", "=", "<", ">", "_", "1", "22",
        "3/4", "3.5", "1,000", "11:44", "555-1234", "x.jpg", "www.a.com", "http://x.org/a", "a@b.co", "o'clock",
        "'90s", "rock", "n", "Jan.", "No.", "Calif.", "co.", "Ltd", "well-known", "AT&T", "caf\u00e9", "\u00bd",
        "\u2019", "\u201c", "\u201d", "\u2014", "\u2026", "\u00a0", " ", " ", " ", " ", "\t", "\n"};

    @Test
    void sameTokensAsCoreNlpOnRandomCaptions() {
        Random random = new Random(4);
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < Integer.getInteger("fuzz.captions", 3000); i++) {
            StringBuilder b = new StringBuilder();
            int pieces = 1 + random.nextInt(12);
            for (int p = 0; p < pieces; p++) {
                b.append(PIECES[random.nextInt(PIECES.length)]);
                if (random.nextInt(3) > 0) {
                    b.append(' ');
                }
            }
            captions.add(b.toString());
        }
        List<List<String>> expected = CoreNlpReference.tokenize(captions);
        List<List<String>> actual = PtbTokenizer.instance().tokenizeAll(captions);
        int bad = 0;
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < captions.size(); i++) {
            if (!expected.get(i).equals(actual.get(i))) {
                if (bad++ < 30) {
                    report.append(String.format("%n[%s]%n  corenlp %s%n  ours    %s", captions.get(i), expected.get(i),
                            actual.get(i)));
                }
            }
        }
        assertEquals(0, bad, bad + " of " + captions.size() + " differ:" + report);
    }
}

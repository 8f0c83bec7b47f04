package io.caption4j.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.caption4j.util.InputException;
import org.junit.jupiter.api.Test;

/** Each rule on one row of log-probabilities over 6 tokens (after one row of padding, to check offsets); 5 = end. */
class TokenRulesTest {
    private static final int END = 5;
    private static final float NO = Float.NEGATIVE_INFINITY;
    private static final float[] ROW = {-1, -2, -3, -4, -5, -0.5f};

    private static Hypothesis caption(int... words) {
        Hypothesis h = Hypothesis.root();
        for (int w : words) {
            h = h.extend(w, -1, -1, null);
        }
        return h;
    }

    /** The second row after the rules; the first must stay as it was. */
    private static float[] applied(TokenRules rules, Hypothesis caption) {
        float[] rows = new float[12];
        System.arraycopy(ROW, 0, rows, 6, 6);
        rules.apply(caption, END, rows, 6, 6);
        for (int v = 0; v < 6; v++) {
            assertTrue(rows[v] == 0, "the row before is untouched");
        }
        float[] out = new float[6];
        System.arraycopy(rows, 6, out, 0, 6);
        return out;
    }

    @Test
    void theEndTokenIsForbiddenUntilTheMinimumLength() {
        TokenRules rules = new TokenRules(0, 2, 1);
        assertArrayEquals(new float[] {-1, -2, -3, -4, -5, NO}, applied(rules, caption(3)), 0f);
        assertArrayEquals(ROW, applied(rules, caption(3, 4)), 0f);
    }

    @Test
    void theRepetitionPenaltyScalesEachWordAlreadyInTheCaptionOnce() {
        assertArrayEquals(new float[] {-1, -2, -3, -8, -10, -0.5f},
                applied(new TokenRules(0, 0, 2), caption(3, 3, 4, 3)), 0f);
    }

    @Test
    void noRepeatNgramForbidsEveryTokenThatWouldCompleteAnNgramSeenBefore() {
        // bigrams so far: (1,2), (2,1), (1,3); the caption ends in 1, so 2 and 3 would repeat one
        assertArrayEquals(new float[] {-1, -2, NO, NO, -5, -0.5f},
                applied(TokenRules.noRepeatNgram(2), caption(1, 2, 1, 3, 1)), 0f);
        assertArrayEquals(new float[] {NO, NO, -3, -4, -5, -0.5f}, applied(TokenRules.noRepeatNgram(1), caption(1, 0)), 0f);
        assertArrayEquals(ROW, applied(TokenRules.noRepeatNgram(3), caption(1, 2)), 0f, "no trigram yet");
    }

    @Test
    void rulesThatForbidEveryWordAreAUsageError() {
        // six words, all used once, and the end token forbidden before 7 words
        InputException e = assertThrows(InputException.class,
                () -> applied(new TokenRules(1, 7, 1), caption(0, 1, 2, 3, 4, 5)));
        assertTrue(e.getMessage().contains("forbid every one of the 6 words"), e.getMessage());
    }

    @Test
    void settingsAreCheckedWithTheirOptionNames() {
        assertTrue(assertThrows(InputException.class, () -> new TokenRules(-1, 0, 1)).getMessage()
                .contains("--no-repeat-ngram"));
        assertTrue(assertThrows(InputException.class, () -> new TokenRules(0, -1, 1)).getMessage()
                .contains("--min-length"));
        assertTrue(assertThrows(InputException.class, () -> new TokenRules(0, 0, 0)).getMessage()
                .contains("--repetition-penalty"));
    }
}

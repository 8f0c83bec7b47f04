package io.caption4j.model.joint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MiniLmTextEncoderTest {
    private static MiniLmTextEncoder encoder;

    @BeforeAll
    static void load() {
        encoder = new MiniLmTextEncoder();
    }

    @AfterAll
    static void close() {
        encoder.close();
    }

    @Test
    void embeddingsHave384UnitNormDimensionsAndAreDeterministic() {
        float[][] first = encoder.embed(List.of("a dog runs on the beach", "two children play football"));
        float[][] again = encoder.embed(List.of("a dog runs on the beach"));
        assertEquals(2, first.length);
        assertEquals(MiniLmTextEncoder.DIMENSION, first[0].length);
        assertEquals(1.0, JointVectors.norm(first[0]), 1e-4);
        assertEquals(1.0, JointVectors.norm(first[1]), 1e-4);
        assertArrayEquals(first[0], again[0], 1e-6f, "same sentence, same embedding, alone or in a batch");
    }

    /** langchain4j's own test of this model: relevance (1 + cos) / 2 of "hi" and "hello" is above 0.9. */
    @Test
    void greetingsAreCloseAsInTheLibrarysOwnTest() {
        float[][] e = encoder.embed(List.of("hi", "hello", "a red triangle above a blue square"));
        double greetings = JointVectors.dot(e[0], e[1]);
        assertTrue((1 + greetings) / 2 > 0.9, "relevance " + (1 + greetings) / 2);
        assertTrue(greetings > JointVectors.dot(e[0], e[2]), "a greeting is closer to a greeting than to shapes");
    }

    @Test
    void countsWordPiecesWithSpecialTokensAndCutsLongTexts() {
        assertEquals(2 + 6, encoder.countTokens("a dog runs on the beach"));
        String word = "dog ";
        String longText = word.repeat(300);
        assertEquals(302, encoder.countTokens(longText));
        String cut = encoder.truncate(longText);
        assertEquals(MiniLmTextEncoder.MAX_TOKENS, encoder.countTokens(cut));
        assertEquals("dog ".repeat(125) + "dog", cut);
        float[][] e = encoder.embed(List.of(longText, cut));
        assertArrayEquals(e[0], e[1], 1e-6f, "a text past the limit is embedded as its first 128 tokens");
    }
}

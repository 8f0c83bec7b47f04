package io.caption4j.data.synthetic;

import java.util.ArrayList;
import java.util.List;

/** A question about a synthetic image, its one-word answer from {@link #ANSWERS}, and its type. */
public record QuestionAnswer(String question, String answer, QuestionType type) {
    /** Every possible answer, in a fixed order (the VQA head's classes). */
    public static final List<String> ANSWERS = answers();

    public QuestionAnswer {
        if (!ANSWERS.contains(answer)) {
            throw new IllegalArgumentException("answer '" + answer + "' is not in the answer vocabulary");
        }
    }

    private static List<String> answers() {
        List<String> answers = new ArrayList<>(List.of("yes", "no", "zero", "one", "two", "three"));
        for (Colour colour : Colour.values()) {
            answers.add(colour.word());
        }
        for (Shape shape : Shape.values()) {
            answers.add(shape.word());
        }
        return List.copyOf(answers);
    }
}

package io.caption4j.data.synthetic;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/** Word choices for captions, each drawn from the scene's random stream so the wording is varied but reproducible. */
final class Phrases {
    private static final List<String> NUMBERS = List.of("zero", "one", "two", "three");

    private final SplittableRandom rng;

    Phrases(SplittableRandom rng) {
        this.rng = rng;
    }

    <T> T pick(List<T> options) {
        return options.get(rng.nextInt(options.size()));
    }

    boolean chance(double p) {
        return rng.nextDouble() < p;
    }

    static String number(int n) {
        return NUMBERS.get(n);
    }

    /** "a red circle", "an orange star", "two small blue squares". */
    String nounPhrase(Group group) {
        return group.count() == 1 ? withArticle(description(group)) : number(group.count()) + " " + description(group);
    }

    /** "red circle", "small blue squares": the size word is there about half the time, colour and shape always. */
    String description(Group group) {
        SceneObject kind = group.kind();
        int synonym = rng.nextInt(kind.shape().singular().size());
        String noun = group.count() == 1 ? kind.shape().singular().get(synonym) : kind.shape().plural().get(synonym);
        return (chance(0.5) ? pick(kind.size().words()) + " " : "") + kind.colour().word() + " " + noun;
    }

    /** "A", "A and B", "A, B and C", in a random order. */
    String list(List<Group> groups) {
        List<Group> order = new ArrayList<>(groups);
        for (int i = order.size() - 1; i > 0; i--) {
            Collections.swap(order, i, rng.nextInt(i + 1));
        }
        StringBuilder text = new StringBuilder(nounPhrase(order.get(0)));
        for (int i = 1; i < order.size(); i++) {
            text.append(i == order.size() - 1 ? " and " : ", ").append(nounPhrase(order.get(i)));
        }
        return text.toString();
    }

    String relation(Relation relation) {
        return pick(switch (relation) {
            case LEFT_OF -> List.of("to the left of", "left of", "on the left of");
            case RIGHT_OF -> List.of("to the right of", "right of", "on the right of");
            case ABOVE -> List.of("above", "over");
            case BELOW -> List.of("below", "under", "beneath");
        });
    }

    /** Where in the picture an object is, from its cell of the 3×3 layout grid. */
    String position(SceneObject object) {
        String[] rows = {"top", "middle", "bottom"};
        String[] sides = {"left", "centre", "right"};
        int row = object.row();
        int column = object.column();
        if (row == 1 && column == 1) {
            return pick(List.of("in the middle", "in the centre"));
        }
        if (row == 1) {
            return pick(List.of("on the ", "at the ")) + sides[column];
        }
        if (column == 1) {
            return "at the " + rows[row];
        }
        return pick(List.of("in the ", "at the ")) + rows[row] + " " + sides[column] + pick(List.of(" corner", ""));
    }

    /** How the two objects of a pair are placed relative to each other. */
    String arrangement(SceneObject a, SceneObject b) {
        List<Relation> relations = Relation.between(a, b);
        if (relations.size() == 2) {
            return pick(List.of("placed diagonally", "arranged diagonally"));
        }
        return relations.get(0).horizontal() ? pick(List.of("side by side", "next to each other"))
                : pick(List.of("one above the other", "stacked vertically"));
    }

    String background(Background background) {
        return pick(List.of("on a ", "against a ")) + background.texture().word() + " background";
    }

    static String withArticle(String phrase) {
        return ("aeiou".indexOf(phrase.charAt(0)) >= 0 ? "an " : "a ") + phrase;
    }
}

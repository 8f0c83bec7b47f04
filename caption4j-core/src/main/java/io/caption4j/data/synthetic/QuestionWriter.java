package io.caption4j.data.synthetic;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * VQA questions whose answers follow from the scene alone. Objects are named by colour and shape (size never
 * matters to an answer). Relation questions come in pairs, one "yes" and one "no", so that yes/no is balanced and an
 * image-blind model gains nothing from the answer prior.
 */
final class QuestionWriter {
    private static final long SALT = 0x7175657374696F6EL;

    private QuestionWriter() {}

    static List<QuestionAnswer> questions(Scene scene) {
        Phrases p = new Phrases(new SplittableRandom(scene.seed() ^ SALT));
        List<Group> groups = Group.of(scene.objects());
        List<QuestionAnswer> questions = new ArrayList<>();
        colourQuestions(scene, questions);
        countQuestions(p, scene, questions);
        relationQuestions(p, scene, groups, questions);
        shapeQuestions(scene, questions);
        return List.copyOf(questions);
    }

    /** For each shape whose objects all have one colour. */
    private static void colourQuestions(Scene scene, List<QuestionAnswer> out) {
        for (Shape shape : scene.shapes()) {
            List<SceneObject> withShape = scene.objects().stream().filter(o -> o.shape() == shape).toList();
            if (withShape.stream().map(SceneObject::colour).distinct().count() == 1) {
                String question = withShape.size() == 1 ? "what colour is the " + shape.word() + "?"
                        : "what colour are the " + shape.plural().get(0) + "?";
                out.add(new QuestionAnswer(question, withShape.get(0).colour().word(), QuestionType.COLOUR));
            }
        }
    }

    /** A shape that is there, a shape that is not, and a colour that is there. */
    private static void countQuestions(Phrases p, Scene scene, List<QuestionAnswer> out) {
        Shape present = p.pick(List.copyOf(scene.shapes()));
        Shape absent = p.pick(List.copyOf(EnumSet.complementOf(EnumSet.copyOf(scene.shapes()))));
        for (Shape shape : List.of(present, absent)) {
            long count = scene.objects().stream().filter(o -> o.shape() == shape).count();
            out.add(new QuestionAnswer("how many " + shape.plural().get(0) + " are there?", Phrases.number((int) count),
                    QuestionType.COUNT));
        }
        Colour colour = p.pick(List.copyOf(scene.colours()));
        long count = scene.objects().stream().filter(o -> o.colour() == colour).count();
        out.add(new QuestionAnswer("how many " + colour.word() + " objects are there?", Phrases.number((int) count),
                QuestionType.COUNT));
    }

    /**
     * "is there a Z left of the W?" about an anchor W that is the only one of its kind: once with a Z and relation
     * that hold (yes) and once with ones that do not (no: a Z that is elsewhere, or a kind that is not in the scene).
     */
    private static void relationQuestions(Phrases p, Scene scene, List<Group> groups, List<QuestionAnswer> out) {
        List<Group> anchors = groups.stream().filter(g -> g.count() == 1).toList();
        if (groups.size() < 2 || anchors.isEmpty()) {
            return;
        }
        SceneObject anchor = p.pick(anchors).kind();
        List<Group> others = groups.stream().filter(g -> !g.kind().sameKind(anchor)).toList();
        List<Relation> relations = List.of(Relation.values());
        record Candidate(SceneObject kind, Relation relation) {}
        List<Candidate> yes = new ArrayList<>();
        List<Candidate> falseOfPresent = new ArrayList<>();
        for (Group other : others) {
            for (Relation relation : relations) {
                boolean holds = other.members().stream().anyMatch(o -> relation.holds(o, anchor));
                (holds ? yes : falseOfPresent).add(new Candidate(other.kind(), relation));
            }
        }
        Candidate no = !falseOfPresent.isEmpty() && p.chance(0.5) ? p.pick(falseOfPresent)
                : new Candidate(absentKind(p, scene), p.pick(relations));
        Candidate holding = p.pick(yes);
        out.add(relationQuestion(holding.kind(), holding.relation(), anchor, "yes"));
        out.add(relationQuestion(no.kind(), no.relation(), anchor, "no"));
    }

    private static QuestionAnswer relationQuestion(SceneObject kind, Relation relation, SceneObject anchor,
            String answer) {
        return new QuestionAnswer("is there " + Phrases.withArticle(kind.colour().word() + " " + kind.shape().word())
                + " " + relationWords(relation) + " the " + anchor.colour().word() + " " + anchor.shape().word() + "?",
                answer, QuestionType.RELATION);
    }

    private static String relationWords(Relation relation) {
        return switch (relation) {
            case LEFT_OF -> "left of";
            case RIGHT_OF -> "right of";
            case ABOVE -> "above";
            case BELOW -> "below";
        };
    }

    /** A shape and colour that no object of the scene has. */
    private static SceneObject absentKind(Phrases p, Scene scene) {
        while (true) {
            SceneObject kind = new SceneObject(p.pick(List.of(Shape.values())), p.pick(List.of(Colour.values())),
                    Size.SMALL, 0, 0);
            if (scene.objects().stream().noneMatch(kind::sameKind)) {
                return kind;
            }
        }
    }

    /** The biggest object's shape, when the biggest objects share one; an object's shape, when its colour is unique. */
    private static void shapeQuestions(Scene scene, List<QuestionAnswer> out) {
        Size biggest = scene.objects().stream().map(SceneObject::size).max(Enum::compareTo).orElseThrow();
        Set<Shape> biggestShapes = EnumSet.noneOf(Shape.class);
        scene.objects().stream().filter(o -> o.size() == biggest).forEach(o -> biggestShapes.add(o.shape()));
        if (biggestShapes.size() == 1) {
            out.add(new QuestionAnswer("what shape is the biggest object?", biggestShapes.iterator().next().word(),
                    QuestionType.SHAPE));
        }
        for (Colour colour : scene.colours()) {
            List<SceneObject> withColour = scene.objects().stream().filter(o -> o.colour() == colour).toList();
            if (withColour.size() == 1) {
                out.add(new QuestionAnswer("what shape is the " + colour.word() + " object?",
                        withColour.get(0).shape().word(), QuestionType.SHAPE));
            }
        }
    }
}

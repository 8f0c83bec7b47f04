package io.caption4j.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Checks the synthetic world's text against its scenes, by parsing the captions and questions back. */
class SyntheticWorldTest {
    private static final SyntheticWorld WORLD = new SyntheticWorld(7, 64);
    private static final List<Scene> SCENES = IntStream.range(0, 2000).mapToObj(WORLD::scene).toList();

    private static final String COLOUR = alternatives(Stream.of(Colour.values()).map(Colour::word));
    private static final String SIZE = alternatives(Stream.of(Size.values()).flatMap(s -> s.words().stream()));
    private static final String NOUN = alternatives(Stream.of(Shape.values())
            .flatMap(s -> Stream.concat(s.singular().stream(), s.plural().stream())));
    private static final String RELATION = "to the left of|left of|on the left of|to the right of|right of"
            + "|on the right of|above|over|below|under|beneath";
    /** "a large red circle", "two blue plus signs": (count word)(colour)(noun). */
    private static final String NOUN_PHRASE = "(a|an|two|three|a pair of|a group of three) (?:(?:" + SIZE + ") )?("
            + COLOUR + ") (" + NOUN + ")";
    private static final Pattern MENTION = Pattern.compile("(?:^|, | and | of | over | above | below | under "
            + "| beneath |there is |there are )" + NOUN_PHRASE.replaceFirst("\\(a\\|an\\|", "(a|an|one|a single|only one|"));
    private static final Pattern RELATED = Pattern.compile(NOUN_PHRASE + " (" + RELATION + ") " + NOUN_PHRASE);

    private static String alternatives(Stream<String> words) {
        return words.distinct().sorted((a, b) -> b.length() - a.length()).collect(Collectors.joining("|"));
    }

    @Test
    void sameSeedGivesSamePixelsAndText() {
        SyntheticWorld again = new SyntheticWorld(7, 64);
        for (int i : new int[] {0, 1, 999}) {
            assertArrayEquals(pixels(WORLD.render(WORLD.scene(i))), pixels(again.render(again.scene(i))));
            assertEquals(WORLD.captions(WORLD.scene(i)), again.captions(again.scene(i)));
            assertEquals(WORLD.questions(WORLD.scene(i)), again.questions(again.scene(i)));
        }
        SyntheticWorld other = new SyntheticWorld(8, 64);
        assertNotEquals(WORLD.captions(WORLD.scene(0)), other.captions(other.scene(0)));
        assertFalse(java.util.Arrays.equals(pixels(WORLD.render(WORLD.scene(0))),
                pixels(other.render(other.scene(0)))));
    }

    @Test
    void scenesAreVaried() {
        Map<Integer, Long> objectCounts = SCENES.stream().collect(Collectors.groupingBy(s -> s.objects().size(),
                Collectors.counting()));
        assertEquals(List.of(1, 2, 3), List.copyOf(new java.util.TreeSet<>(objectCounts.keySet())));
        assertTrue(objectCounts.values().stream().allMatch(n -> n > 300), objectCounts.toString());
        for (Shape shape : Shape.values()) {
            assertTrue(SCENES.stream().filter(s -> s.shapes().contains(shape)).count() > 300, shape.toString());
        }
        for (Colour colour : Colour.values()) {
            assertTrue(SCENES.stream().filter(s -> s.colours().contains(colour)).count() > 250, colour.toString());
        }
        long withPairs = SCENES.stream().filter(s -> Group.of(s.objects()).stream().anyMatch(g -> g.count() >= 2))
                .count();
        assertTrue(withPairs > 300, "scenes with two or three of a kind: " + withPairs);
    }

    @Test
    void objectsStayApartAndInsideTheImage() {
        for (Scene scene : SCENES) {
            List<SceneObject> objects = scene.objects();
            for (SceneObject a : objects) {
                double r = a.size().radius();
                assertTrue(a.x() - r >= 0 && a.x() + r <= 1 && a.y() - r >= 0 && a.y() + r <= 1, a.toString());
                for (SceneObject b : objects) {
                    if (a != b) {
                        assertTrue(Math.hypot(a.x() - b.x(), a.y() - b.y()) > r + b.size().radius(), scene.toString());
                    }
                }
            }
        }
    }

    @Test
    void backgroundIsMutedAndObjectsKeepTheirColour() {
        for (Scene scene : SCENES.subList(0, 200)) {
            BufferedImage image = WORLD.render(scene);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    double px = (x + 0.5) / 64;
                    double py = (y + 0.5) / 64;
                    int rgb = image.getRGB(x, y);
                    if (scene.objects().stream().allMatch(o -> Math.hypot(o.x() - px, o.y() - py)
                            > o.size().radius() + 1.5 / 64)) {
                        assertTrue(saturation(rgb) <= 40, "background pixel too colourful in scene " + scene.index());
                    }
                }
            }
            for (SceneObject o : scene.objects()) {
                assertEquals(o.colour().rgb(), image.getRGB((int) (o.x() * 64), (int) (o.y() * 64)) & 0xFFFFFF,
                        "centre of " + o + " in scene " + scene.index());
            }
        }
        for (Colour colour : Colour.values()) {
            assertTrue(saturation(colour.rgb()) >= 130, colour.toString());
        }
    }

    @Test
    void fiveDifferentLowerCaseCaptionsPerImage() {
        for (Scene scene : SCENES) {
            List<String> captions = WORLD.captions(scene);
            assertEquals(5, new HashSet<>(captions).size(), captions.toString());
            captions.forEach(c -> assertTrue(c.matches("[a-z ,]+"), c));
        }
    }

    @Test
    void everyCaptionNamesEveryKindWithItsCountAndNothingElse() {
        for (Scene scene : SCENES) {
            for (String caption : WORLD.captions(scene)) {
                Map<String, Integer> mentioned = new java.util.HashMap<>();
                Matcher m = MENTION.matcher(caption);
                while (m.find()) {
                    mentioned.put(m.group(2) + " " + shapeOf(m.group(3)).word(), count(m.group(1)));
                }
                Map<String, Integer> actual = Group.of(scene.objects()).stream().collect(Collectors.toMap(
                        g -> g.kind().colour().word() + " " + g.kind().shape().word(), Group::count));
                assertEquals(actual, mentioned, caption + " for " + scene.objects());
            }
        }
    }

    @Test
    void statedRelationsHoldForEveryObjectOfTheKinds() {
        int checked = 0;
        for (Scene scene : SCENES) {
            for (String caption : WORLD.captions(scene)) {
                Matcher m = RELATED.matcher(caption);
                while (m.find()) {
                    Relation relation = relation(m.group(4));
                    for (SceneObject a : objects(scene, m.group(2), m.group(3))) {
                        for (SceneObject b : objects(scene, m.group(6), m.group(7))) {
                            assertTrue(relation.holds(a, b), caption + " for " + scene.objects());
                            checked++;
                        }
                    }
                }
            }
        }
        assertTrue(checked > 1000, "relations checked: " + checked);
    }

    @Test
    void statedPositionsAndArrangementsAreTrue() {
        String[][] cells = {{"top left", "top", "top right"}, {"left", "middle", "right"},
                {"bottom left", "bottom", "bottom right"}};
        Pattern position = Pattern.compile("(?:in|at|on) the (top left|top right|bottom left|bottom right|top|bottom"
                + "|left|right|middle|centre)");
        int checked = 0;
        for (Scene scene : SCENES) {
            for (String caption : WORLD.captions(scene)) {
                Matcher m = position.matcher(caption);
                if (scene.objects().size() == 1 && m.find()) {
                    SceneObject o = scene.objects().get(0);
                    assertEquals(cells[o.row()][o.column()], m.group(1).replace("centre", "middle"), caption);
                    checked++;
                }
                if (caption.contains("side by side") || caption.contains("one above the other")) {
                    List<SceneObject> pair = scene.objects();
                    assertEquals(2, pair.size(), caption);
                    List<Relation> relations = Relation.between(pair.get(0), pair.get(1));
                    assertEquals(1, relations.size(), caption);
                    assertEquals(caption.contains("side by side"), relations.get(0).horizontal(), caption);
                    checked++;
                }
            }
        }
        assertTrue(checked > 500, "checked " + checked);
    }

    @Test
    void answersFollowFromTheScene() {
        Pattern colour = Pattern.compile("what colour (?:is|are) the (\\w+)\\?");
        Pattern countShape = Pattern.compile("how many (\\w+) are there\\?");
        Pattern countColour = Pattern.compile("how many (\\w+) objects are there\\?");
        Pattern related = Pattern.compile("is there an? (\\w+) (\\w+) (left of|right of|above|below) the (\\w+) "
                + "(\\w+)\\?");
        Pattern shapeOfColour = Pattern.compile("what shape is the (\\w+) object\\?");
        Map<QuestionType, Integer> perType = new EnumMap<>(QuestionType.class);
        for (Scene scene : SCENES) {
            for (QuestionAnswer qa : WORLD.questions(scene)) {
                assertTrue(QuestionAnswer.ANSWERS.contains(qa.answer()));
                String q = qa.question();
                Matcher m;
                String expected;
                if ((m = colour.matcher(q)).matches()) {
                    Shape shape = shapeOf(m.group(1));
                    List<SceneObject> with = where(scene, o -> o.shape() == shape);
                    assertEquals(1, with.stream().map(SceneObject::colour).distinct().count(), q);
                    expected = with.get(0).colour().word();
                } else if ((m = countColour.matcher(q)).matches()) {
                    String word = m.group(1);
                    expected = number(where(scene, o -> o.colour().word().equals(word)).size());
                } else if ((m = countShape.matcher(q)).matches()) {
                    Shape shape = shapeOf(m.group(1));
                    expected = number(where(scene, o -> o.shape() == shape).size());
                } else if ((m = related.matcher(q)).matches()) {
                    List<SceneObject> anchors = objects(scene, m.group(4), m.group(5));
                    assertEquals(1, anchors.size(), q);
                    Relation relation = relation(m.group(3));
                    String colourWord = m.group(1);
                    Shape shape = shapeOf(m.group(2));
                    expected = where(scene, o -> o.colour().word().equals(colourWord) && o.shape() == shape).stream()
                            .anyMatch(o -> relation.holds(o, anchors.get(0))) ? "yes" : "no";
                } else if (q.equals("what shape is the biggest object?")) {
                    boolean anyLarge = !where(scene, o -> o.size() == Size.LARGE).isEmpty();
                    Size biggest = anyLarge ? Size.LARGE : Size.SMALL;
                    List<Shape> shapes = where(scene, o -> o.size() == biggest).stream().map(SceneObject::shape)
                            .distinct().toList();
                    assertEquals(1, shapes.size(), q);
                    expected = shapes.get(0).word();
                } else if ((m = shapeOfColour.matcher(q)).matches()) {
                    String word = m.group(1);
                    List<SceneObject> with = where(scene, o -> o.colour().word().equals(word));
                    assertEquals(1, with.size(), q);
                    expected = with.get(0).shape().word();
                } else {
                    throw new AssertionError("unexpected question: " + q);
                }
                assertEquals(expected, qa.answer(), q + " for " + scene.objects());
                perType.merge(qa.type(), 1, Integer::sum);
            }
        }
        for (QuestionType type : QuestionType.values()) {
            assertTrue(perType.getOrDefault(type, 0) > 1000, perType.toString());
        }
    }

    @Test
    void yesAndNoAreBalanced() {
        Map<String, Long> answers = SCENES.stream().flatMap(s -> WORLD.questions(s).stream())
                .filter(qa -> qa.type() == QuestionType.RELATION)
                .collect(Collectors.groupingBy(QuestionAnswer::answer, Collectors.counting()));
        assertEquals(answers.get("yes"), answers.get("no"), answers.toString());
        assertEquals(2, answers.size(), answers.toString());
        assertTrue(answers.get("yes") > 1000, answers.toString());
    }

    @Test
    void imageSizeIsConfigurable() {
        BufferedImage image = new SyntheticWorld(7, 96).render(WORLD.scene(3));
        assertEquals(96, image.getWidth());
        assertEquals(96, image.getHeight());
    }

    private static int[] pixels(BufferedImage image) {
        return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
    }

    private static int saturation(int rgb) {
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        return Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b));
    }

    private static Shape shapeOf(String noun) {
        return Stream.of(Shape.values()).filter(s -> s.singular().contains(noun) || s.plural().contains(noun)
                || s.word().equals(noun)).findFirst().orElseThrow(() -> new AssertionError("no shape " + noun));
    }

    private static int count(String countWords) {
        return switch (countWords) {
            case "two", "a pair of" -> 2;
            case "three", "a group of three" -> 3;
            default -> 1;
        };
    }

    private static String number(int n) {
        return List.of("zero", "one", "two", "three").get(n);
    }

    private static Relation relation(String words) {
        if (words.contains("left")) {
            return Relation.LEFT_OF;
        }
        if (words.contains("right")) {
            return Relation.RIGHT_OF;
        }
        return List.of("above", "over").contains(words) ? Relation.ABOVE : Relation.BELOW;
    }

    private static List<SceneObject> where(Scene scene, Predicate<SceneObject> test) {
        return scene.objects().stream().filter(test).toList();
    }

    private static List<SceneObject> objects(Scene scene, String colour, String noun) {
        List<SceneObject> found = where(scene, o -> o.colour().word().equals(colour) && o.shape() == shapeOf(noun));
        assertFalse(found.isEmpty(), colour + " " + noun + " is not in " + scene.objects());
        return found;
    }
}

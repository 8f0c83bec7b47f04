package io.caption4j.data.synthetic;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Five different reference captions per scene, from the templates that fit the scene (a list of what is there,
 * "there is/are ...", a picture of ..., a spatial relation, a count, a lone object's position, the background), with
 * varied wording. Every caption names the colour and shape of what it mentions, and every relation, count and
 * position it states is true of the scene.
 */
final class CaptionWriter {
    static final int CAPTIONS_PER_SCENE = 5;
    private static final long SALT = 0x63617074696F6E73L;
    private static final int MAX_ATTEMPTS = 1000;

    private CaptionWriter() {}

    /** A pair of groups and the relations that hold from the first to the second. */
    private record Related(Group from, Group to, List<Relation> relations) {}

    static List<String> captions(Scene scene) {
        Phrases phrases = new Phrases(new SplittableRandom(scene.seed() ^ SALT));
        List<Function<Phrases, String>> templates = templates(scene, Group.of(scene.objects()));
        Set<String> captions = new LinkedHashSet<>();
        for (int attempt = 0; captions.size() < CAPTIONS_PER_SCENE && attempt < MAX_ATTEMPTS; attempt++) {
            captions.add(phrases.pick(templates).apply(phrases));
        }
        return List.copyOf(captions);
    }

    private static List<Function<Phrases, String>> templates(Scene scene, List<Group> groups) {
        List<Function<Phrases, String>> templates = new ArrayList<>();
        templates.add(p -> p.list(groups) + suffix(p, scene, groups));
        templates.add(p -> thereIs(p.list(groups)) + suffix(p, scene, groups));
        templates.add(p -> p.pick(List.of("a picture of ", "an image of ", "a drawing of ", "a photo of "))
                + p.list(groups));
        templates.add(p -> p.list(groups) + " " + p.background(scene.background()));
        List<Related> related = related(groups);
        if (!related.isEmpty()) {
            templates.add(p -> relationCaption(p, groups, p.pick(related)));
        }
        groups.stream().filter(g -> g.count() >= 2).findFirst()
                .ifPresent(counted -> templates.add(p -> countCaption(p, groups, counted)));
        if (scene.objects().size() == 1) {
            templates.add(p -> p.pick(List.of("a single ", "one ", "only one ")) + p.description(groups.get(0))
                    + " " + p.position(scene.objects().get(0)));
        }
        return templates;
    }

    /** "there is a red circle and two blue stars", "there are two blue stars and a red circle". */
    private static String thereIs(String list) {
        return (list.startsWith("a ") || list.startsWith("an ") ? "there is " : "there are ") + list;
    }

    /** A lone object's position, a pair's arrangement, or the background, sometimes; else nothing. */
    private static String suffix(Phrases p, Scene scene, List<Group> groups) {
        if (scene.objects().size() == 1 && p.chance(0.6)) {
            return " " + p.position(scene.objects().get(0));
        }
        if (groups.size() == 1 && groups.get(0).count() == 2 && p.chance(0.6)) {
            return " " + p.arrangement(groups.get(0).members().get(0), groups.get(0).members().get(1));
        }
        return p.chance(0.3) ? " " + p.background(scene.background()) : "";
    }

    private static List<Related> related(List<Group> groups) {
        List<Related> related = new ArrayList<>();
        for (Group from : groups) {
            for (Group to : groups) {
                if (from != to && !from.relationsTo(to).isEmpty()) {
                    related.add(new Related(from, to, from.relationsTo(to)));
                }
            }
        }
        return related;
    }

    /** "a red circle to the left of a blue star", plus any third group and, for a lone object, where it is. */
    private static String relationCaption(Phrases p, List<Group> groups, Related pair) {
        String text = p.nounPhrase(pair.from()) + " " + p.relation(p.pick(pair.relations())) + " "
                + p.nounPhrase(pair.to());
        for (Group other : groups) {
            if (other != pair.from() && other != pair.to()) {
                text += " and " + p.nounPhrase(other)
                        + (other.count() == 1 && p.chance(0.5) ? " " + p.position(other.members().get(0)) : "");
            }
        }
        return text;
    }

    /** "a pair of red circles and a blue star", "three green squares". */
    private static String countCaption(Phrases p, List<Group> groups, Group counted) {
        String text = (counted.count() == 2 ? p.pick(List.of("a pair of ", "two ")) : p.pick(List.of(
                "a group of three ", "three "))) + p.description(counted);
        List<Group> others = groups.stream().filter(g -> g != counted).toList();
        if (!others.isEmpty()) {
            return text + " and " + p.list(others);
        }
        return counted.count() == 2 && p.chance(0.5)
                ? text + " " + p.arrangement(counted.members().get(0), counted.members().get(1)) : text;
    }
}

package io.caption4j.data.synthetic;

import java.util.ArrayList;
import java.util.List;

/** The objects of one kind in a scene (captions say "two red circles" for a group of two). */
record Group(List<SceneObject> members) {
    Group {
        members = List.copyOf(members);
    }

    SceneObject kind() {
        return members.get(0);
    }

    int count() {
        return members.size();
    }

    /** The scene's objects grouped by kind, in order of first appearance. */
    static List<Group> of(List<SceneObject> objects) {
        List<List<SceneObject>> groups = new ArrayList<>();
        for (SceneObject object : objects) {
            groups.stream().filter(g -> g.get(0).sameKind(object)).findFirst()
                    .ifPresentOrElse(g -> g.add(object), () -> groups.add(new ArrayList<>(List.of(object))));
        }
        return groups.stream().map(Group::new).toList();
    }

    /** The relations that hold from every member of this group to every member of {@code other}. */
    List<Relation> relationsTo(Group other) {
        List<Relation> common = new ArrayList<>(List.of(Relation.values()));
        for (SceneObject a : members) {
            for (SceneObject b : other.members) {
                common.retainAll(Relation.between(a, b));
            }
        }
        return common;
    }
}

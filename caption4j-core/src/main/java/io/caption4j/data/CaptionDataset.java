package io.caption4j.data;

import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;

/** An immutable, ordered set of captioned images, addressable by id. */
public final class CaptionDataset implements Iterable<CaptionedImage> {
    private final Map<String, CaptionedImage> byId;

    private CaptionDataset(Map<String, CaptionedImage> byId) {
        this.byId = byId;
    }

    /** The items in the given order; ids must be unique. */
    public static CaptionDataset of(List<CaptionedImage> items) {
        Map<String, CaptionedImage> byId = new LinkedHashMap<>();
        for (CaptionedImage item : items) {
            if (byId.putIfAbsent(item.id(), item) != null) {
                throw new IllegalArgumentException("duplicate image id " + item.id());
            }
        }
        return new CaptionDataset(byId);
    }

    public int size() {
        return byId.size();
    }

    public boolean isEmpty() {
        return byId.isEmpty();
    }

    /** Total number of reference captions over all images. */
    public int captionCount() {
        return byId.values().stream().mapToInt(item -> item.captions().size()).sum();
    }

    public List<CaptionedImage> items() {
        return List.copyOf(byId.values());
    }

    public List<String> ids() {
        return List.copyOf(byId.keySet());
    }

    public boolean contains(String id) {
        return byId.containsKey(id);
    }

    public Optional<CaptionedImage> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public CaptionedImage get(String id) {
        CaptionedImage item = byId.get(id);
        if (item == null) {
            throw new NoSuchElementException("no image " + id + " in the dataset");
        }
        return item;
    }

    /** The items whose id is in {@code ids}, in this dataset's order; every id must be in the dataset. */
    public CaptionDataset subset(Collection<String> ids) {
        Set<String> wanted = Set.copyOf(ids);
        for (String id : wanted) {
            get(id);
        }
        Map<String, CaptionedImage> kept = new LinkedHashMap<>();
        byId.forEach((id, item) -> {
            if (wanted.contains(id)) {
                kept.put(id, item);
            }
        });
        return new CaptionDataset(kept);
    }

    @Override
    public Iterator<CaptionedImage> iterator() {
        return items().iterator();
    }

    @Override
    public String toString() {
        return "CaptionDataset[" + size() + " images, " + captionCount() + " captions]";
    }
}

package io.caption4j.data;

import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one entry point for reading caption datasets: picks the reader by {@link CaptionFormat}, then keeps only
 * captions that are not empty and images that exist, reporting each dropped caption or image to {@link Problems}.
 * Problems that make the whole file unusable (no such file, malformed JSON/CSV) throw {@link InputException}.
 */
public final class CaptionDatasets {
    private CaptionDatasets() {}

    /** A caption file and the folder its image names are relative to. */
    public record Source(Path captions, Path images) {}

    /** Reads one caption file; image names in it are relative to {@code imagesDir}. */
    public static CaptionDataset read(Path captions, Path imagesDir, Problems problems) {
        return read(List.of(new Source(captions, imagesDir)), problems);
    }

    /**
     * Reads several sources into one dataset, in source order. Ids are the image names as the caption files give
     * them, so they must stay unique across sources: when two sources name the same id, an image that is the same
     * file gets the captions of both, and an image that is a different file is skipped from the later source (with
     * a message), so that an id always means one image.
     */
    public static CaptionDataset read(List<Source> sources, Problems problems) {
        Map<String, Builder> byId = new LinkedHashMap<>();
        for (Source source : sources) {
            for (Builder image : readSource(source, problems)) {
                Builder earlier = byId.putIfAbsent(image.id, image);
                if (earlier == null) {
                    continue;
                }
                if (earlier.path.equals(image.path)) {
                    earlier.captions.addAll(image.captions);
                } else {
                    problems.report(InputException.at(source.captions(), image.line, "image id " + image.id
                            + " is already used by " + earlier.path + "; " + image.path + " skipped"));
                }
            }
        }
        return CaptionDataset.of(byId.values().stream().map(Builder::build).toList());
    }

    private static List<Builder> readSource(Source source, Problems problems) {
        CaptionFormat.requireReadableFile(source.captions());
        try {
            ImageFolder folder = ImageFolder.open(source.images());
            List<RawCaption> raw = CaptionFormat.of(source.captions()).read(source.captions(), problems);
            return groupByImage(source.captions(), folder, raw, problems);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Groups captions by image in order of first mention, dropping empty captions and missing images. */
    private static List<Builder> groupByImage(Path file, ImageFolder folder, List<RawCaption> raw, Problems problems) {
        Map<String, Builder> byId = new LinkedHashMap<>();
        Map<String, Long> missing = new LinkedHashMap<>();
        for (RawCaption caption : raw) {
            String id = caption.image().strip();
            if (!byId.containsKey(id) && (missing.containsKey(id) || !folder.has(id))) {
                missing.putIfAbsent(id, caption.line());
                continue;
            }
            if (caption.caption().isBlank()) {
                problems.report(InputException.at(file, caption.line(), "empty caption for " + id + "; skipped"));
                continue;
            }
            byId.computeIfAbsent(id, k -> new Builder(id, folder.resolve(id), caption.line()))
                    .captions.add(caption.caption().strip());
        }
        missing.forEach((id, line) -> problems.report(InputException.at(file, line,
                "image " + id + " does not exist in " + folder.dir() + "; its captions are skipped")));
        return List.copyOf(byId.values());
    }

    private static final class Builder {
        final String id;
        final Path path;
        final long line;
        final List<String> captions = new ArrayList<>();

        Builder(String id, Path path, long line) {
            this.id = id;
            this.path = path;
            this.line = line;
        }

        CaptionedImage build() {
            return new CaptionedImage(id, path, captions);
        }
    }
}

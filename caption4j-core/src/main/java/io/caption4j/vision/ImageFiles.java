package io.caption4j.vision;

import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Expands what a user names on the command line (files and folders) into the image files to process. */
public final class ImageFiles {
    private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");

    private ImageFiles() {}

    public static boolean hasImageExtension(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot >= 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    /**
     * Files as given (whatever their extension: the decoder decides), folders as their image files in name order
     * (not recursive); a path that does not exist is reported and skipped.
     */
    public static List<Path> expand(List<Path> paths, Problems problems) {
        List<Path> files = new ArrayList<>();
        for (Path path : paths) {
            if (Files.isDirectory(path)) {
                try (Stream<Path> list = Files.list(path)) {
                    list.filter(Files::isRegularFile).filter(ImageFiles::hasImageExtension).sorted()
                            .forEach(files::add);
                } catch (IOException e) {
                    problems.report(InputException.at(path, "cannot list folder: " + e.getMessage()));
                }
            } else if (Files.exists(path)) {
                files.add(path);
            } else {
                problems.report(InputException.at(path, "no such file or folder"));
            }
        }
        return files;
    }
}

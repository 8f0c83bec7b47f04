package io.caption4j.data;

import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A folder of images, listed once so that checking thousands of names costs one directory read; names in
 * subfolders (COCO's {@code train2014/...}) and absolute paths are checked one by one.
 */
final class ImageFolder {
    private final Path dir;
    private final Set<String> topLevelFiles;

    private ImageFolder(Path dir, Set<String> topLevelFiles) {
        this.dir = dir;
        this.topLevelFiles = topLevelFiles;
    }

    static ImageFolder open(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw InputException.at(dir, Files.exists(dir) ? "not a folder" : "no such image folder");
        }
        try (Stream<Path> files = Files.list(dir)) {
            return new ImageFolder(dir, files.filter(Files::isRegularFile)
                    .map(f -> f.getFileName().toString())
                    .collect(Collectors.toUnmodifiableSet()));
        }
    }

    Path dir() {
        return dir;
    }

    Path resolve(String name) {
        return dir.resolve(name);
    }

    boolean has(String name) {
        return topLevelFiles.contains(name) || (isNested(name) && Files.isRegularFile(resolve(name)));
    }

    private static boolean isNested(String name) {
        return name.indexOf('/') >= 0 || name.indexOf('\\') >= 0 || Path.of(name).isAbsolute();
    }
}

package io.caption4j.cli;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionDatasets;
import io.caption4j.data.Splits;
import io.caption4j.data.synthetic.SyntheticWorld;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Option;

/**
 * Where a command's captioned images come from: one or more (--images, --captions) pairs with an optional splits
 * file, or the built-in synthetic world.
 */
final class DataMixin {
    @Option(names = "--images", paramLabel = "DIR", description = "Image folder; repeat together with --captions to combine datasets.")
    List<Path> images = new ArrayList<>();

    @Option(names = "--captions", paramLabel = "FILE",
            description = "Captions: Flickr-style CSV (image,caption), COCO captions JSON, or JSON Lines {\"image\", \"captions\"}.")
    List<Path> captions = new ArrayList<>();

    @Option(names = "--splits", paramLabel = "FILE",
            description = "JSON {\"train\":[...],\"val\":[...],\"test\":[...]}; without it a deterministic 80/10/10 split by file name.")
    Path splits;

    @Option(names = "--synthetic", paramLabel = "N", description = "Use N images of the built-in synthetic world instead.")
    Integer synthetic;

    @Option(names = "--synthetic-seed", defaultValue = "1", description = "Seed of the synthetic world (default: ${DEFAULT-VALUE}).")
    long syntheticSeed;

    /** A dataset and its splits. */
    record Data(CaptionDataset dataset, Splits splits) {}

    /** Reads the data; a synthetic world is generated under {@code workDirectory} first (once). */
    Data read(Path workDirectory, Problems problems, PrintStream out) throws IOException {
        if (synthetic != null) {
            if (!images.isEmpty() || !captions.isEmpty()) {
                throw new InputException("give either --synthetic or --images/--captions, not both");
            }
            Path dir = syntheticDirectory(workDirectory);
            if (!Files.isDirectory(dir)) {
                out.printf("generating the synthetic world: %d images into %s%n", synthetic, dir);
                new SyntheticWorld(syntheticSeed, SyntheticWorld.DEFAULT_IMAGE_SIZE).writeDataset(dir, synthetic);
            }
            return read(List.of(new CaptionDatasets.Source(dir.resolve("captions.csv"), dir.resolve("images"))),
                    dir.resolve("splits.json"), problems, out);
        }
        if (images.isEmpty() || images.size() != captions.size()) {
            throw new InputException("give --images and --captions in pairs (got " + images.size() + " --images and "
                    + captions.size() + " --captions), or --synthetic N");
        }
        List<CaptionDatasets.Source> sources = new ArrayList<>();
        for (int i = 0; i < images.size(); i++) {
            sources.add(new CaptionDatasets.Source(captions.get(i), images.get(i)));
        }
        return read(sources, splits, problems, out);
    }

    /** Where {@link #read} generates the synthetic world under {@code workDirectory}. */
    Path syntheticDirectory(Path workDirectory) {
        return workDirectory.resolve("synthetic-" + synthetic + "-seed" + syntheticSeed);
    }

    /**
     * With several datasets and a splits file, images the file does not name are training images: extra training
     * data is the usual reason to combine sources, while validation and test stay as the file fixes them.
     */
    private static Data read(List<CaptionDatasets.Source> sources, Path splitsFile, Problems problems,
            PrintStream out) {
        CaptionDataset dataset = CaptionDatasets.read(sources, problems);
        if (dataset.isEmpty()) {
            throw new InputException("no usable captioned images in " + sources);
        }
        if (splitsFile == null) {
            return new Data(dataset, Splits.deterministic(dataset.ids()));
        }
        Splits splits = Splits.read(splitsFile, dataset, problems);
        if (sources.size() > 1) {
            Set<String> named = new HashSet<>(splits.train());
            named.addAll(splits.val());
            named.addAll(splits.test());
            List<String> train = new ArrayList<>(splits.train());
            dataset.ids().stream().filter(id -> !named.contains(id)).forEach(train::add);
            out.printf("%d images not named in %s are used for training%n", train.size() - splits.train().size(),
                    splitsFile);
            splits = Splits.of(train, splits.val(), splits.test());
        }
        return new Data(dataset, splits);
    }
}

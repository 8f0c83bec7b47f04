package io.caption4j.index;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionedImage;
import io.caption4j.util.InputException;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The captions an index can search, from a caption dataset or from a plain list of texts. */
public final class CaptionCollections {
    private CaptionCollections() {}

    /** The name a caption file is indexed under: its absolute path, so re-indexing it replaces its captions. */
    public static String source(Path file) {
        return file.toAbsolutePath().normalize().toString();
    }

    /** Every caption of a dataset read from {@code file}, with the image it describes. */
    public static List<IndexedCaption> of(CaptionDataset dataset, Path file) {
        List<IndexedCaption> captions = new ArrayList<>();
        for (CaptionedImage image : dataset) {
            for (String text : image.captions()) {
                captions.add(new IndexedCaption(text, image.id(), image.image().toAbsolutePath().normalize(),
                        source(file)));
            }
        }
        return captions;
    }

    /** A UTF-8 text file of one caption per line (blank lines skipped), captions of no particular image. */
    public static List<IndexedCaption> readTexts(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw InputException.at(file, "no such file");
        } catch (CharacterCodingException e) {
            throw InputException.at(file, "not UTF-8 text");
        } catch (IOException e) {
            throw InputException.at(file, "cannot read: " + e.getMessage());
        }
        List<IndexedCaption> captions = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                captions.add(new IndexedCaption(line.strip(), null, null, source(file)));
            }
        }
        if (captions.isEmpty()) {
            throw InputException.at(file, "no captions (the file is empty or blank)");
        }
        return captions;
    }
}

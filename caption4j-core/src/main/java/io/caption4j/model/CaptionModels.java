package io.caption4j.model;

import io.caption4j.model.clipcap.ClipCap;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.util.InputException;
import java.nio.file.Path;

/** Loads any saved captioner, whatever its kind. */
public final class CaptionModels {
    private CaptionModels() {}

    /** A model directory, or the best model of a training run directory. */
    public static CaptionModel load(Path directory) {
        ModelDirectory.Verified model = ModelDirectory.open(directory);
        return switch (model.format()) {
            case Captioner.FORMAT -> Captioner.load(model);
            case ClipCap.FORMAT -> ClipCap.load(model);
            default -> throw InputException.at(model.directory(), "holds a " + model.format()
                    + " model, which does not caption images");
        };
    }
}

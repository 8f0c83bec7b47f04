package io.caption4j.model;

import io.caption4j.model.clipcap.ClipCap;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.util.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Loads any saved captioner, whatever its kind, or an ensemble of captioners of one kind. */
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

    /** One model directory as {@link #load(Path)}; several as one {@link CaptionerEnsemble} (captioners of one kind). */
    public static ImageCaptioner load(List<Path> directories) {
        if (directories.size() == 1) {
            return load(directories.get(0));
        }
        List<CaptionModel> members = new ArrayList<>();
        try {
            for (Path directory : directories) {
                members.add(load(directory));
            }
            return new CaptionerEnsemble(members, directories.stream().map(Path::toString).toList());
        } catch (RuntimeException e) {
            members.forEach(CaptionModel::close);
            throw e;
        }
    }
}

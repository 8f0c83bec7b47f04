package io.caption4j.model.joint;

import io.caption4j.model.io.ModelDirectory;
import io.caption4j.util.InputException;
import java.nio.file.Path;

/** Loads any saved model that embeds images and texts together, whatever its kind. */
public final class JointEmbedders {
    private JointEmbedders() {}

    /** Whether a model directory of this format holds a joint image-text model. */
    public static boolean isJoint(String format) {
        return DualEncoder.FORMAT.equals(format);
    }

    public static JointEmbedder load(Path directory) {
        ModelDirectory.Verified model = ModelDirectory.open(directory);
        switch (model.format()) {
            case DualEncoder.FORMAT:
                return DualEncoder.load(model);
            default:
                throw InputException.at(model.directory(), "holds a " + model.format()
                        + " model, which does not embed images and texts together");
        }
    }
}

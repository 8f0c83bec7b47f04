package io.caption4j.model;

import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.vision.FrozenBackbone;
import io.caption4j.vision.ImageInputs;
import io.caption4j.vision.ImagePreprocessor;
import java.util.List;

/** What captioning and evaluation need: any trained captioner, or an ensemble of them. */
public interface ImageCaptioner extends AutoCloseable {

    /** How decoded image files become the pixels {@link #inputsOf} reads. */
    ImagePreprocessor preprocessor();

    /** The frozen backbone it sees images through, or null for a model that trains its own encoder on pixels. */
    FrozenBackbone backbone();

    /** Pixel inputs as this model's inputs (pixels themselves, or a frozen backbone's features). */
    ImageInputs inputsOf(ImageInputs pixels);

    /** Captions every image of {@code inputs}, {@code batchSize} at a time; n-best per image, in input order. */
    List<List<GeneratedCaption>> caption(ImageInputs inputs, DecodingOptions options, int batchSize);

    /** Whether its captions carry each word's attention over the image regions. */
    boolean attendsToRegions();

    @Override
    void close();
}

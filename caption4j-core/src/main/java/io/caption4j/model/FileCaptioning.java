package io.caption4j.model;

import io.caption4j.decode.DecodingOptions;
import io.caption4j.decode.GeneratedCaption;
import io.caption4j.util.Problems;
import io.caption4j.vision.ImageLoader;
import io.caption4j.vision.PixelInputs;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;

/**
 * Captions image files in batches, in order, decoding the next batch on other threads while the model works on the
 * current one. A file that cannot be decoded is reported to {@code problems} and skipped.
 */
public final class FileCaptioning {
    private FileCaptioning() {}

    public static void caption(ImageCaptioner captioner, List<Path> files, DecodingOptions options, int batchSize,
            Problems problems, BiConsumer<Path, List<GeneratedCaption>> sink) {
        ImageLoader loader = new ImageLoader();
        CompletableFuture<PixelInputs.Loaded> next = decode(captioner, files, 0, batchSize, loader, problems);
        for (int from = 0; from < files.size(); from += batchSize) {
            PixelInputs.Loaded current = next.join();
            List<Path> batch = files.subList(from, Math.min(files.size(), from + batchSize));
            next = decode(captioner, files, from + batchSize, batchSize, loader, problems);
            List<List<GeneratedCaption>> captions = captioner.caption(captioner.inputsOf(current.inputs()), options,
                    batchSize);
            for (int i = 0; i < captions.size(); i++) {
                sink.accept(batch.get(current.kept().get(i)), captions.get(i));
            }
        }
    }

    private static CompletableFuture<PixelInputs.Loaded> decode(ImageCaptioner captioner, List<Path> files, int from,
            int batchSize, ImageLoader loader, Problems problems) {
        List<Path> batch = files.subList(Math.min(from, files.size()), Math.min(files.size(), from + batchSize));
        return CompletableFuture.supplyAsync(() -> PixelInputs.load(batch, loader, captioner.preprocessor(),
                problems, null));
    }
}

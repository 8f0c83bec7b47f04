package io.caption4j.vision;

import com.twelvemonkeys.imageio.metadata.Directory;
import com.twelvemonkeys.imageio.metadata.Entry;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.metadata.tiff.TIFF;
import com.twelvemonkeys.imageio.metadata.tiff.TIFFReader;
import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;
import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import io.caption4j.util.InputException;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Turns an image file into 8-bit sRGB pixels: the one place in caption4j where image files are decoded.
 *
 * <p>Formats: whatever the registered ImageIO readers read, in practice JPEG (baseline, progressive, grayscale, CMYK
 * and YCCK, embedded ICC profiles converted to sRGB — via the TwelveMonkeys JPEG plugin), PNG (any bit depth,
 * palette, alpha; 16-bit samples are rounded to 8 bit), BMP, GIF (the first frame of an animation), also TIFF and
 * WBMP. Transparent pixels are composited over white. A JPEG's EXIF orientation is applied, so the pixels come out
 * the way a viewer shows them. Grayscale samples are used as display values (R = G = B = gray), as browsers do.
 *
 * <p>Every problem with the file is an {@link InputException} naming the file: missing, a directory, unreadable,
 * empty, not an image, more pixels than {@link #maxPixels()} (checked from the header, before any pixel memory is
 * allocated), truncated JPEG, or undecodable data.
 *
 * <p>Immutable and thread-safe: every {@link #load} uses its own reader.
 */
public final class ImageLoader {
    /** Default pixel limit: 50 megapixels (a 150 MB decoded image), more than any camera photo a user captions. */
    public static final long DEFAULT_MAX_PIXELS = 50_000_000L;
    /** The most any loader accepts: an {@link RgbImage} is one Java array of 3 bytes per pixel. */
    public static final long MAX_PIXELS_LIMIT = Integer.MAX_VALUE / 3;

    /**
     * How this loader turns files into pixels; a feature cache keyed by it is invalidated when that changes. Bump the
     * version when a change here can change decoded pixels.
     */
    public static final String IDENTITY = "imageio+twelvemonkeys-jpeg,icc-to-srgb,exif-orientation,alpha-over-white,v1";

    private final long maxPixels;

    public ImageLoader() {
        this(DEFAULT_MAX_PIXELS);
    }

    /**
     * @param maxPixels largest width × height accepted, at most {@link #MAX_PIXELS_LIMIT}; larger images are refused
     *                  before they are decoded
     */
    public ImageLoader(long maxPixels) {
        if (maxPixels < 1 || maxPixels > MAX_PIXELS_LIMIT) {
            throw new IllegalArgumentException("maxPixels must be between 1 and " + MAX_PIXELS_LIMIT + ", got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** Decodes {@code file} (first frame, if there are several) to sRGB, upright. */
    public RgbImage load(Path file) {
        checkIsNonEmptyReadableFile(file);
        try (ImageInputStream in = new BufferedFileImageInputStream(file.toFile())) {
            ImageReader reader = readerFor(in, file);
            try {
                String format = reader.getFormatName().toUpperCase(Locale.ROOT);
                boolean jpeg = format.equals("JPEG");
                int orientation = jpeg ? exifOrientation(in) : 1;
                in.seek(0);
                reader.setInput(in, true, true);
                checkPixelCount(reader, file, format);
                return RgbConversion.toRgb(decode(reader, file, format)).oriented(orientation);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw InputException.at(file, "cannot read file: " + describe(e));
        }
    }

    private static void checkIsNonEmptyReadableFile(Path file) {
        if (Files.isDirectory(file)) {
            throw InputException.at(file, "is a directory, not an image file");
        }
        if (!Files.exists(file)) {
            throw InputException.at(file, "no such file");
        }
        if (!Files.isReadable(file)) {
            throw InputException.at(file, "cannot read file (permission denied)");
        }
        try {
            if (Files.size(file) == 0) {
                throw InputException.at(file, "empty file (0 bytes), not an image");
            }
        } catch (IOException e) {
            throw InputException.at(file, "cannot read file: " + describe(e));
        }
    }

    private static ImageReader readerFor(ImageInputStream in, Path file) {
        Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
        if (!readers.hasNext()) {
            throw InputException.at(file, "not an image: unrecognised file content (supported: JPEG, PNG, BMP, GIF)");
        }
        return readers.next();
    }

    /** EXIF orientation 1..8 from the JPEG's APP1 "Exif" segment; 1 where there is none or it is unreadable. */
    private static int exifOrientation(ImageInputStream in) {
        try {
            in.seek(0);
            List<JPEGSegment> exif = JPEGSegmentUtil.readSegments(in, JPEG.APP1, "Exif");
            if (exif.isEmpty()) {
                return 1;
            }
            byte[] data;
            try (InputStream segment = exif.get(0).data()) {
                data = segment.readAllBytes();
            }
            // data() starts after "Exif\0"; one pad byte precedes the TIFF header
            Directory directory = new TIFFReader().read(new ByteArrayImageInputStream(data, 1, data.length - 1));
            Entry entry = directory.getEntryById(TIFF.TAG_ORIENTATION);
            int orientation = entry == null ? 1 : ((Number) entry.getValue()).intValue();
            return orientation >= 1 && orientation <= 8 ? orientation : 1;
        } catch (IOException | RuntimeException e) {
            return 1; // damaged metadata must not cost the picture: show it as stored, like viewers do
        }
    }

    private void checkPixelCount(ImageReader reader, Path file, String format) {
        long width;
        long height;
        try {
            width = reader.getWidth(0);
            height = reader.getHeight(0);
        } catch (IOException | RuntimeException e) {
            throw InputException.at(file, "cannot decode " + format + " header (damaged?): " + describe(e));
        }
        if (width * height > maxPixels) {
            throw InputException.at(file, String.format(Locale.ROOT,
                    "image is %d×%d pixels (%.1f megapixels), more than the limit of %.1f megapixels",
                    width, height, width * height / 1e6, maxPixels / 1e6));
        }
    }

    private static BufferedImage decode(ImageReader reader, Path file, String format) {
        List<String> warnings = new ArrayList<>();
        reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
        BufferedImage image;
        try {
            image = reader.read(0);
        } catch (IOException | RuntimeException e) {
            throw InputException.at(file, "cannot decode " + format + " image (damaged or truncated?): " + describe(e));
        }
        // libjpeg only warns on a truncated file and fills the missing part with gray: refuse it instead.
        if (format.equals("JPEG")) {
            for (String warning : warnings) {
                if (warning.toLowerCase(Locale.ROOT).contains("premature end")) {
                    throw InputException.at(file, "truncated JPEG (" + warning + ")");
                }
            }
        }
        return image;
    }

    /** The exception's message, or its type where it has none (some decoders throw a bare EOFException). */
    private static String describe(Exception e) {
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}

package io.caption4j.vision;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/** Builds test image files byte by byte: ImageIO writers for the ordinary ones, hand-made segments and chunks for the rest. */
final class TestImages {
    private TestImages() {
    }

    /** An image of {@code cols} × {@code rows} solid blocks of {@code blockW} × {@code blockH} pixels, colours row-major. */
    static BufferedImage blocks(int type, int blockW, int blockH, int cols, int rows, int... argb) {
        BufferedImage image = new BufferedImage(cols * blockW, rows * blockH, type);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                image.setRGB(x, y, argb[(y / blockH) * cols + x / blockW]);
            }
        }
        return image;
    }

    static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format + " and image type " + image.getType());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A JPEG at quality 0.95, so solid colours come back within a few levels. */
    static byte[] jpeg(BufferedImage image) {
        return jpeg(new IIOImage(image, null, null));
    }

    /** A JPEG of a raw raster: 4 bands make a 4-component (CMYK or YCCK) JPEG with no colour transform. */
    static byte[] jpeg(Raster raster) {
        return jpeg(new IIOImage(raster, null, null));
    }

    private static byte[] jpeg(IIOImage image) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(0.95f);
            writer.write(null, image, param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    /** {@code jpeg} with {@code segment} inserted right after its SOI marker. */
    static byte[] withSegment(byte[] jpeg, byte[] segment) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.writeBytes(segment);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** A JPEG marker segment: FF, marker, 2-byte length (counting itself), payload. */
    static byte[] segment(int marker, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0xFF);
        out.write(marker);
        out.write((payload.length + 2) >> 8);
        out.write(payload.length + 2);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** APP1 "Exif" with a big-endian TIFF header and one IFD holding only Orientation (tag 0x0112, SHORT). */
    static byte[] exifOrientation(int orientation) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.write("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1));
            out.write("MM".getBytes(StandardCharsets.ISO_8859_1)); // big-endian
            out.writeShort(42);
            out.writeInt(8);            // offset of IFD0
            out.writeShort(1);          // one entry
            out.writeShort(0x0112);     // Orientation
            out.writeShort(3);          // SHORT
            out.writeInt(1);            // count
            out.writeShort(orientation);
            out.writeShort(0);          // value padded to 4 bytes
            out.writeInt(0);            // no next IFD
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return segment(0xE1, bytes.toByteArray());
    }

    /** APP14 "Adobe": transform 0 = CMYK (stored inverted, as Photoshop does), 2 = YCCK. */
    static byte[] adobe(int transform) {
        return segment(0xEE, new byte[] {'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform});
    }

    /** APP2 "ICC_PROFILE", the whole profile in chunk 1 of 1. */
    static byte[] iccProfile(byte[] profile) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        payload.writeBytes("ICC_PROFILE\0".getBytes(StandardCharsets.ISO_8859_1));
        payload.write(1);
        payload.write(1);
        payload.writeBytes(profile);
        return segment(0xE2, payload.toByteArray());
    }

    /** A valid PNG header claiming {@code width} × {@code height} 8-bit RGB pixels, with a tiny IDAT (a few rows' worth). */
    static byte[] pngClaiming(int width, int height) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        try {
            out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'});
            ByteArrayOutputStream ihdr = new ByteArrayOutputStream();
            DataOutputStream header = new DataOutputStream(ihdr);
            header.writeInt(width);
            header.writeInt(height);
            header.write(new byte[] {8, 2, 0, 0, 0}); // bit depth 8, colour type RGB, deflate, filter 0, no interlace
            chunk(out, "IHDR", ihdr.toByteArray());
            Deflater deflater = new Deflater();
            deflater.setInput(new byte[64]);
            deflater.finish();
            byte[] compressed = new byte[128];
            chunk(out, "IDAT", java.util.Arrays.copyOf(compressed, deflater.deflate(compressed)));
            chunk(out, "IEND", new byte[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
        byte[] typeBytes = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeInt(data.length);
        out.write(typeBytes);
        out.write(data);
        out.writeInt((int) crc.getValue());
    }

    /** An animated GIF with one frame per image, through ImageIO's GIF writer's sequence support. */
    static byte[] animatedGif(BufferedImage... frames) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("gif").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(stream);
            writer.prepareWriteSequence(null);
            for (BufferedImage frame : frames) {
                ImageWriteParam param = writer.getDefaultWriteParam();
                IIOMetadata metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(frame), param);
                IIOMetadataNode root = (IIOMetadataNode) metadata.getAsTree("javax_imageio_gif_image_1.0");
                IIOMetadataNode control = new IIOMetadataNode("GraphicControlExtension");
                control.setAttribute("disposalMethod", "none");
                control.setAttribute("userInputFlag", "FALSE");
                control.setAttribute("transparentColorFlag", "FALSE");
                control.setAttribute("delayTime", "50");
                control.setAttribute("transparentColorIndex", "0");
                root.appendChild(control);
                metadata.setFromTree("javax_imageio_gif_image_1.0", root);
                writer.writeToSequence(new IIOImage(frame, null, metadata), param);
            }
            writer.endWriteSequence();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}

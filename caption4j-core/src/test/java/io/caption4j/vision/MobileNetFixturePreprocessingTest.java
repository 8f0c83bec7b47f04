package io.caption4j.vision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEG;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegment;
import com.twelvemonkeys.imageio.metadata.jpeg.JPEGSegmentUtil;
import com.twelvemonkeys.imageio.stream.BufferedFileImageInputStream;
import io.caption4j.vision.TfjsPreprocessor.Normalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.stream.ImageInputStream;
import java.awt.color.ICC_Profile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Against the TF.js reference in {@code <caption4j.fixtures>/mobilenetv2-tm}: {@code <stem>.rgb.u8} is the jpeg-js
 * decode of {@code images/<stem>.jpg} (H×W×3), and {@code <stem>.input.f32} the tensor TF.js made from it
 * (resizeBilinear to 224×224, then v/127.5 − 1).
 */
class MobileNetFixturePreprocessingTest {
    private static final ImagePreprocessor MOBILENET = new TfjsPreprocessor(224, Normalization.MINUS_ONE_TO_ONE);

    private record Fixture(Path folder, String stem, String jpeg, int width, int height) {
        RgbImage referencePixels() throws IOException {
            return new RgbImage(width, height, Files.readAllBytes(folder.resolve(stem + ".rgb.u8")));
        }

        float[] referenceInput() throws IOException {
            ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(folder.resolve(stem + ".input.f32")))
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[bytes.remaining() / 4];
            bytes.asFloatBuffer().get(values);
            return values;
        }

        Path jpegFile() {
            return folder.resolve("images").resolve(jpeg);
        }
    }

    private static List<Fixture> fixtures;

    @BeforeAll
    static void readManifest() throws IOException {
        Path folder = Path.of(System.getProperty("caption4j.fixtures", "../shared/fixtures")).resolve("mobilenetv2-tm");
        Path manifest = folder.resolve("manifest.json");
        if (!Files.isRegularFile(manifest)) {
            fail("fixture missing: " + manifest.toAbsolutePath() + " (set -Dcaption4j.fixtures to the fixtures folder)");
        }
        fixtures = new ArrayList<>();
        for (JsonNode image : new ObjectMapper().readTree(manifest.toFile()).get("images")) {
            fixtures.add(new Fixture(folder, image.get("stem").asText(), image.get("file").asText(),
                    image.get("decodedWidth").asInt(), image.get("decodedHeight").asInt()));
        }
        assertTrue(fixtures.size() >= 1, "no images listed in " + manifest);
    }

    @Test
    void resizeAndNormaliseReproduceTfjsInputExactly() throws IOException {
        for (Fixture fixture : fixtures) {
            assertArrayEquals(fixture.referenceInput(), MOBILENET.toTensor(fixture.referencePixels()), 0f, fixture.stem());
        }
    }

    /**
     * Our JPEG decode differs from jpeg-js: libjpeg's IDCT and upsampling round differently (measured mean 0.47–0.52
     * levels, max 4), and where the JPEG embeds a non-sRGB ICC profile we convert to sRGB while jpeg-js ignores it
     * (measured mean 3.08, max 18, on 1000268201_693b08cb0e's "Camera RGB Profile").
     */
    @Test
    void decodedJpegIsCloseToTheJpegJsDecode() throws IOException {
        ImageLoader loader = new ImageLoader();
        for (Fixture fixture : fixtures) {
            RgbImage ours = loader.load(fixture.jpegFile());
            RgbImage reference = fixture.referencePixels();
            assertEquals(reference.width(), ours.width(), fixture.stem());
            assertEquals(reference.height(), ours.height(), fixture.stem());
            double meanDiff = meanAbsDiff(ours.rgb(), reference.rgb());
            double limit = hasNonSrgbIccProfile(fixture.jpegFile()) ? 4.0 : 1.0;
            System.out.printf(Locale.ROOT, "%s: mean |ours - jpeg-js| = %.3f levels (limit %.1f)%n",
                    fixture.stem(), meanDiff, limit);
            assertTrue(meanDiff < limit, fixture.stem() + ": mean abs pixel difference " + meanDiff);
        }
    }

    private static double meanAbsDiff(byte[] a, byte[] b) {
        long sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs((a[i] & 0xFF) - (b[i] & 0xFF));
        }
        return (double) sum / a.length;
    }

    private static boolean hasNonSrgbIccProfile(Path jpeg) throws IOException {
        try (ImageInputStream in = new BufferedFileImageInputStream(jpeg.toFile())) {
            List<JPEGSegment> icc = JPEGSegmentUtil.readSegments(in, JPEG.APP2, "ICC_PROFILE");
            if (icc.isEmpty()) {
                return false;
            }
            try (InputStream data = icc.get(0).data()) {
                data.skipNBytes(2); // chunk number and chunk count precede the profile
                byte[] description = ICC_Profile.getInstance(data).getData(ICC_Profile.icSigProfileDescriptionTag);
                return !new String(description, StandardCharsets.ISO_8859_1).contains("sRGB");
            }
        }
    }
}

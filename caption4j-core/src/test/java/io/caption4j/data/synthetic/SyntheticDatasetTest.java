package io.caption4j.data.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionDatasets;
import io.caption4j.data.Splits;
import io.caption4j.util.Problems;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A written synthetic dataset reads back through the same readers as real data, unchanged. */
class SyntheticDatasetTest {
    @TempDir
    Path tmp;

    @Test
    void writtenDatasetReadsBackThroughTheCaptionReaders() throws IOException {
        SyntheticWorld world = new SyntheticWorld(3, 64);
        Path dir = tmp.resolve("synthetic");
        world.writeDataset(dir, 200);

        Problems problems = Problems.silent();
        CaptionDataset data = CaptionDatasets.read(dir.resolve("captions.csv"), dir.resolve("images"), problems);
        Splits splits = Splits.read(dir.resolve("splits.json"), data, problems);
        assertEquals(List.of(), problems.messages());
        assertEquals(200, data.size());
        assertEquals(1000, data.captionCount());
        assertEquals(List.of(160, 20, 20), List.of(splits.train().size(), splits.val().size(), splits.test().size()));
        for (int i : new int[] {0, 57, 199}) {
            Scene scene = world.scene(i);
            assertEquals(world.captions(scene), data.get(SyntheticWorld.imageName(i)).captions());
            BufferedImage png = ImageIO.read(data.get(SyntheticWorld.imageName(i)).image().toFile());
            BufferedImage rendered = world.render(scene);
            assertArrayEquals(rendered.getRGB(0, 0, 64, 64, null, 0, 64), png.getRGB(0, 0, 64, 64, null, 0, 64));
        }

        ObjectMapper json = new ObjectMapper();
        List<String> questionLines = Files.readAllLines(dir.resolve("questions.jsonl"));
        assertEquals(IntStream.range(0, 200).map(i -> world.questions(world.scene(i)).size()).sum(),
                questionLines.size());
        JsonNode first = json.readTree(questionLines.get(0));
        QuestionAnswer expected = world.questions(world.scene(0)).get(0);
        assertEquals(List.of("00000.png", expected.question(), expected.answer(), expected.type().key()),
                List.of(first.get("image").asText(), first.get("question").asText(), first.get("answer").asText(),
                        first.get("type").asText()));
        assertEquals(world.questions(world.scene(57)),
                QuestionAnswer.read(dir.resolve("questions.jsonl"), problems).get(SyntheticWorld.imageName(57)));
        assertEquals(List.of(), problems.messages());
        JsonNode scene = json.readTree(Files.readAllLines(dir.resolve("scenes.jsonl")).get(5));
        assertEquals(world.scene(5).colours().stream().map(Colour::word).toList(),
                json.convertValue(scene.get("colours"), List.class));
        assertEquals(200, json.readTree(dir.resolve("world.json").toFile()).get("count").asInt());
        assertFalse(Files.list(tmp).anyMatch(p -> p.getFileName().toString().startsWith(".")),
                "no temporary folder is left behind");
    }

    @Test
    void badQuestionLinesAreReportedAndSkipped() throws IOException {
        Path file = Files.writeString(tmp.resolve("questions.jsonl"), String.join("\n",
                "{\"image\": \"00000.png\", \"question\": \"how many stars are there?\", \"answer\": \"two\", "
                        + "\"type\": \"count\"}",
                "{\"image\": \"00000.png\", \"question\": \"what colour?\", \"answer\": \"teal\", "
                        + "\"type\": \"colour\"}",
                "{\"image\": \"00001.png\", \"question\": \"what colour?\", \"answer\": \"red\", "
                        + "\"type\": \"mood\"}",
                "{broken"));
        Problems problems = Problems.silent();
        Map<String, List<QuestionAnswer>> read = QuestionAnswer.read(file, problems);
        assertEquals(Map.of("00000.png", List.of(new QuestionAnswer("how many stars are there?", "two",
                QuestionType.COUNT))), read);
        assertEquals(3, problems.count());
        for (int i = 0; i < 3; i++) {
            assertTrue(problems.messages().get(i).startsWith(file + ":" + (i + 2) + ": not a question line"),
                    problems.messages().get(i));
        }
    }
}

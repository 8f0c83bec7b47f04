package io.caption4j.model.vqa;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import io.caption4j.data.CaptionDataset;
import io.caption4j.data.CaptionDatasets;
import io.caption4j.data.Splits;
import io.caption4j.data.synthetic.QuestionAnswer;
import io.caption4j.data.synthetic.SyntheticWorld;
import io.caption4j.eval.VqaAccuracy;
import io.caption4j.model.io.ModelDirectory;
import io.caption4j.text.PtbTokenizer;
import io.caption4j.text.Vocabulary;
import io.caption4j.train.TrainingOptions;
import io.caption4j.train.VqaSplit;
import io.caption4j.train.VqaTrainer;
import io.caption4j.train.VqaTraining;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A VQA model on a small synthetic world: question encoding, save/load, and a tiny training run. */
class VqaModelTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path dir;
    static CaptionDataset train;
    static Map<String, List<QuestionAnswer>> questions;
    static List<QuestionAnswer> trainQuestions;
    static Vocabulary vocabulary;
    static List<String> answers;

    @BeforeAll
    static void writeWorld() throws Exception {
        Path world = dir.resolve("world");
        new SyntheticWorld(7, SyntheticWorld.DEFAULT_IMAGE_SIZE).writeDataset(world, 40);
        Problems problems = new Problems(QUIET);
        CaptionDataset dataset = CaptionDatasets.read(world.resolve("captions.csv"), world.resolve("images"), problems);
        train = Splits.read(world.resolve("splits.json"), dataset, problems).apply(dataset, Splits.Split.TRAIN);
        questions = QuestionAnswer.read(world.resolve("questions.jsonl"), problems);
        assertEquals(0, problems.count());
        trainQuestions = train.ids().stream().flatMap(id -> questions.get(id).stream()).toList();
        vocabulary = Vocabulary.build(PtbTokenizer.instance().tokenizeAll(
                trainQuestions.stream().map(QuestionAnswer::question).toList()), 1);
        answers = VqaTraining.answerVocabulary(trainQuestions);
    }

    private static VqaModel tinyModel(String fusion, boolean textOnly) {
        VqaConfig config = VqaConfig.smallCnn(32, 16, 16, 32, 16, 2, fusion, textOnly, 0f)
                .withVocabularies(vocabulary.size(), answers.size());
        return VqaModel.create(config, vocabulary, answers, 3);
    }

    @Test
    void answerVocabularyIsEveryTrainingAnswerMostFrequentFirst() {
        assertEquals(trainQuestions.stream().map(QuestionAnswer::answer).distinct().count(), answers.size());
        long first = Collections.frequency(trainQuestions.stream().map(QuestionAnswer::answer).toList(), answers.get(0));
        long last = Collections.frequency(trainQuestions.stream().map(QuestionAnswer::answer).toList(),
                answers.get(answers.size() - 1));
        assertTrue(first >= last);
    }

    @Test
    void unknownWordsAreReadAsUnkAndNamed() {
        try (VqaModel model = tinyModel("concat", false)) {
            VqaModel.EncodedQuestion q = model.encode("What colour is the zorblax?");
            assertEquals(List.of("zorblax"), q.unknownWords());
            assertEquals(5, q.ids().length);
            assertEquals(Vocabulary.UNK, q.ids()[4]);
            assertEquals(vocabulary.id("colour"), q.ids()[1]);
            assertFalse(q.knowsNoWord());
            assertTrue(model.encode("zorblax quux").knowsNoWord());
            InputException e = assertThrows(InputException.class, () -> model.encode(" ? "));
            assertTrue(e.getMessage().startsWith("the question has no words"), e.getMessage());
        }
    }

    @Test
    void saveAndLoadGiveIdenticalAnswers() throws Exception {
        for (String fusion : List.of("concat", "product", "weighted-sum")) {
            Path saved = dir.resolve("model-" + fusion);
            try (VqaModel model = tinyModel(fusion, false)) {
                model.save(saved);
                try (VqaModel loaded = VqaModel.load(saved)) {
                    assertEquals(model.config(), loaded.config());
                    assertEquals(model.answers(), loaded.answers());
                    assertEquals(model.vocabulary(), loaded.vocabulary());
                    VqaSplit split = VqaSplit.fromImages(train, questions, model, new Problems(QUIET), QUIET);
                    int[] batch = split.batches(8, null).get(0);
                    try (NDManager arrays = NDManager.newBaseManager()) {
                        float[][] before = model.probabilities(split.batch(arrays, batch));
                        float[][] after = loaded.probabilities(split.batch(arrays, batch));
                        for (int b = 0; b < batch.length; b++) {
                            assertArrayEquals(before[b], after[b], fusion);
                        }
                    }
                }
            }
        }
    }

    @Test
    void loadRefusesAnotherKindOfModel() throws Exception {
        Path other = dir.resolve("captioner");
        ModelDirectory.write(other, "caption4j-captioner/1", d -> Files.writeString(d.resolve("config.json"), "{}"));
        InputException e = assertThrows(InputException.class, () -> VqaModel.load(other));
        assertTrue(e.getMessage().contains("not caption4j-vqa/1"), e.getMessage());
    }

    @Test
    void aTinyTrainingRunBeatsTheMajorityAnswerOnItsTrainingData() throws Exception {
        String majority = answers.get(0);
        double majorityShare = (double) Collections.frequency(
                trainQuestions.stream().map(QuestionAnswer::answer).toList(), majority) / trainQuestions.size();
        try (VqaModel model = tinyModel("concat", false)) {
            VqaSplit split = VqaSplit.fromImages(train, questions, model, new Problems(QUIET), QUIET);
            TrainingOptions options = new TrainingOptions(12, 16, 0.005, 10, 0, 5, 0f, 0, 1);
            new VqaTrainer(model, options, QUIET).train(split, split, dir.resolve("run"));
            double accuracy = VqaAccuracy.evaluate(model, split, 32).overall();
            assertTrue(majorityShare < 0.25, "majority share " + majorityShare);
            assertTrue(accuracy > 0.55, "training accuracy " + accuracy + " vs majority answer " + majorityShare);
        }
    }
}

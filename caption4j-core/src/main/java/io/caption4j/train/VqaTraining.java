package io.caption4j.train;

import io.caption4j.data.CaptionDataset;
import io.caption4j.data.Splits;
import io.caption4j.data.synthetic.QuestionAnswer;
import io.caption4j.model.vqa.VqaConfig;
import io.caption4j.model.vqa.VqaModel;
import io.caption4j.text.PtbTokenizer;
import io.caption4j.text.Vocabulary;
import io.caption4j.util.InputException;
import io.caption4j.util.Problems;
import io.caption4j.vision.FeatureCache;
import io.caption4j.vision.FrozenBackbone;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A whole VQA training run: question and answer vocabularies from the training questions, images decoded into
 * memory, a fresh model, and the trainer choosing the best epoch on the validation split (never on test).
 */
public final class VqaTraining {
    private VqaTraining() {}

    /**
     * Trains into {@code runDirectory} and returns the log; the best model is in {@code runDirectory/model}.
     *
     * @param questions    image id → its questions ({@link QuestionAnswer#read})
     * @param architecture the network; its vocabulary and answer sizes (and, with a backbone, its input) are set here
     * @param backbone     null for a model that trains its own small CNN; else the frozen backbone whose region
     *                     features are extracted once into a feature cache
     */
    public static List<EpochRecord> run(CaptionDataset dataset, Splits splits,
            Map<String, List<QuestionAnswer>> questions, VqaConfig architecture, TrainingOptions options,
            CaptionerTraining.Backbone backbone, Path runDirectory, Problems problems, PrintStream out)
            throws IOException {
        CaptionDataset trainItems = splits.apply(dataset, Splits.Split.TRAIN);
        CaptionDataset valItems = splits.apply(dataset, Splits.Split.VAL);
        if (valItems.isEmpty()) {
            throw new InputException("the validation split is empty: training needs it to choose the best epoch");
        }
        List<QuestionAnswer> trainQuestions = trainItems.ids().stream()
                .flatMap(id -> questions.getOrDefault(id, List.of()).stream()).toList();
        if (trainQuestions.isEmpty()) {
            throw new InputException("the training images have no questions");
        }
        Vocabulary vocabulary = Vocabulary.build(PtbTokenizer.instance().tokenizeAll(
                trainQuestions.stream().map(QuestionAnswer::question).toList()), 1);
        List<String> answers = answerVocabulary(trainQuestions);
        out.printf("data: %d training images (%d questions), %d validation images; %d question words, %d answers%n",
                trainItems.size(), trainQuestions.size(), valItems.size(), vocabulary.size(), answers.size());
        VqaConfig config = architecture.withVocabularies(vocabulary.size(), answers.size());
        if (backbone == null) {
            try (VqaModel model = VqaModel.create(config, vocabulary, answers, options.seed())) {
                VqaSplit train = VqaSplit.fromImages(trainItems, questions, model, problems, out);
                VqaSplit val = VqaSplit.fromImages(valItems, questions, model, problems, out);
                return new VqaTrainer(model, options, out).train(train, val, runDirectory);
            }
        }
        FrozenBackbone frozen = backbone.open();
        List<String> ids = new ArrayList<>(trainItems.ids());
        ids.addAll(valItems.ids());
        try (FeatureCache cache = BackboneFeatures.extract(dataset, ids, frozen, backbone.featureCacheRoot(),
                problems, out);
                VqaModel model = VqaModel.create(config.withBackbone(frozen.encoder(), cache.regionCount()),
                        vocabulary, answers, options.seed(), frozen)) {
            VqaSplit train = VqaSplit.fromFeatures(trainItems, questions, model, cache);
            VqaSplit val = VqaSplit.fromFeatures(valItems, questions, model, cache);
            return new VqaTrainer(model, options, out).train(train, val, runDirectory);
        }
    }

    /** Every answer of the training questions, most frequent first (ties by word), so the order is reproducible. */
    public static List<String> answerVocabulary(List<QuestionAnswer> questions) {
        Map<String, Long> counts = questions.stream()
                .collect(Collectors.groupingBy(QuestionAnswer::answer, HashMap::new, Collectors.counting()));
        return counts.keySet().stream().sorted(Comparator.comparing((String a) -> -counts.get(a))
                .thenComparing(Comparator.naturalOrder())).toList();
    }
}

package io.caption4j.text;

import edu.stanford.nlp.ling.CoreLabel;
import edu.stanford.nlp.process.CoreLabelTokenFactory;
import edu.stanford.nlp.process.PTBTokenizer;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What pycocoevalcap gets from CoreNLP 3.4.1: the captions (newlines replaced by spaces) joined one per line and
 * right-stripped, tokenised as {@code PTBTokenizer -preserveLines -lowerCase} prints them, each output line split on
 * " " with the punctuation tokens dropped. One deliberate difference: pycocoevalcap replaces only "\n" inside a
 * caption, so a "\r" (or another line break the lexer knows) would shift all later captions onto the wrong image;
 * here, as in PtbTokenizer, every line break inside a caption is a space.
 */
final class CoreNlpReference {
    private CoreNlpReference() {}

    static List<List<String>> tokenize(List<String> captions) {
        String input = captions.stream().map(CoreNlpReference::oneLine).collect(Collectors.joining("\n"))
                .stripTrailing();
        StringBuilder printed = new StringBuilder();
        boolean beginLine = true;
        PTBTokenizer<CoreLabel> tokenizer = new PTBTokenizer<>(new StringReader(input), new CoreLabelTokenFactory(),
                ",tokenizeNLs");
        while (tokenizer.hasNext()) {
            String word = tokenizer.next().word();
            if ("*NL*".equals(word)) {
                printed.append('\n');
                beginLine = true;
            } else {
                if (!beginLine) {
                    printed.append(' ');
                }
                beginLine = false;
                printed.append(word.toLowerCase(Locale.ENGLISH));
            }
        }
        List<List<String>> lines = new ArrayList<>();
        for (String line : printed.toString().split("\n", -1)) {
            lines.add(Arrays.stream(line.stripTrailing().split(" ", -1))
                    .filter(w -> !PtbTokenizer.PUNCTUATION.contains(w) && !w.isEmpty())
                    .collect(Collectors.toList()));
        }
        return lines;
    }

    private static String oneLine(String caption) {
        return caption.replaceAll("[\\n\\r\\u2028\\u2029\\u000B\\u000C\\u0085]", " ");
    }
}

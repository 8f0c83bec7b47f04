package io.caption4j.text;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The caption tokenisation of the COCO caption evaluation (pycocoevalcap): Stanford PTBTokenizer 3.4.1 run with
 * {@code -preserveLines -lowerCase}, then removal of the 17 punctuation tokens. Re-implemented here so that neither
 * CoreNLP (GPL) nor a subprocess is needed; {@code PtbTokenizerAgreementTest} proves equality with CoreNLP on the
 * reference vectors.
 *
 * <p>How it scans: the lexer's rules are {@link Rule}s tried at each position; as in JFlex the longest match wins,
 * counting trailing context, and among equally long matches the earlier rule. Plain words followed by a space, a
 * comma or a final period take a fast path that gives the same token without trying the rules.
 *
 * <p>Quirks kept on purpose, because the official scores have them: brackets come out as {@code -lrb-},
 * {@code -rrb-}, {@code -lsb-}, {@code -rsb-} and stay (pycocoevalcap removes only the upper-case forms, after
 * lower-casing); "cannot" is split into "can" "not"; "22 3/4" is one token with a non-breaking space.
 *
 * <p>Known limits (none met on the COCO vectors, Flickr8k text or 100,000 random captions but one): a rule's Java
 * regex is greedy, not longest-match, inside the rule, which can differ from the lexer on pathological run-together
 * URLs ("www.a.comhttp://x.org/a"); letters outside the lexer's Unicode version or beyond the BMP are classified as
 * the JDK does.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class PtbTokenizer {

    /** The tokens pycocoevalcap drops after tokenising (compared after lower-casing, as there). */
    public static final Set<String> PUNCTUATION = Set.of("''", "'", "``", "`", "-LRB-", "-RRB-", "-LCB-", "-RCB-",
            ".", "?", "!", ",", ":", "-", "--", "...", ";");

    private static final PtbTokenizer INSTANCE = new PtbTokenizer();
    /** Captions per parallel task of {@link #tokenizeAll}. */
    private static final int CHUNK = 1024;

    private final List<Rule> rules = PtbRules.all();
    /**
     * For each ASCII first character, the indexes of the rules that can match text starting with it; filled on first
     * use, as a run meets only a few characters that need the rules.
     */
    private final AtomicReferenceArray<int[]> rulesByFirstChar = new AtomicReferenceArray<>(128);
    private final int[] allRules;

    private PtbTokenizer() {
        allRules = IntStream.range(0, rules.size()).toArray();
    }

    private int[] candidateRules(char c) {
        if (c >= 128) {
            return allRules;
        }
        int[] candidates = rulesByFirstChar.get(c);
        if (candidates == null) {
            String probe = String.valueOf(c);
            candidates = IntStream.range(0, rules.size()).filter(i -> {
                Matcher m = rules.get(i).pattern().matcher(probe);
                return m.lookingAt() || m.hitEnd(); // matches, or might with more text after c
            }).toArray();
            rulesByFirstChar.set(c, candidates);
        }
        return candidates;
    }

    public static PtbTokenizer instance() {
        return INSTANCE;
    }

    /** The final tokens of one caption: lower-cased, punctuation tokens removed. */
    public List<String> tokenize(String caption) {
        return tokenizeAll(List.of(caption)).get(0);
    }

    /**
     * The final tokens of many captions exactly as pycocoevalcap gets them: the captions are one input to the
     * Stanford tokenizer, one per line, so a rule may look past the end of a caption into the next one (e.g. "the
     * letter A." before a line starting "A man" gives "a", before "the man" gives "a."). Runs on all cores.
     */
    public List<List<String>> tokenizeAll(List<String> captions) {
        StringBuilder joined = new StringBuilder();
        int[] starts = new int[captions.size() + 1];
        for (int i = 0; i < captions.size(); i++) {
            if (i > 0) {
                joined.append('\n');
            }
            starts[i] = joined.length();
            joined.append(asOneLine(captions.get(i)));
        }
        String text = stripTrailingWhitespace(joined.toString());
        starts[captions.size()] = joined.length() + 1;
        @SuppressWarnings("unchecked")
        List<String>[] result = new List[captions.size()];
        int chunks = (captions.size() + CHUNK - 1) / CHUNK;
        IntStream.range(0, chunks).parallel().forEach(chunk -> {
            Scan scan = new Scan(text);
            for (int i = chunk * CHUNK; i < Math.min(captions.size(), (chunk + 1) * CHUNK); i++) {
                result[i] = new ArrayList<>();
                scan.line(Math.min(starts[i], text.length()), Math.min(starts[i + 1] - 1, text.length()), result[i]);
            }
        });
        return Arrays.asList(result);
    }

    /**
     * pycocoevalcap turns "\n" inside a caption into a space; the other line breaks the lexer knows would start a new
     * output line there and shift every later caption onto the wrong image, so they become spaces too.
     */
    private static String asOneLine(String caption) {
        for (int i = 0; i < caption.length(); i++) {
            if (PtbRules.isNewline(caption.charAt(i))) {
                StringBuilder b = new StringBuilder(caption);
                for (int j = i; j < b.length(); j++) {
                    if (PtbRules.isNewline(b.charAt(j))) {
                        b.setCharAt(j, ' ');
                    }
                }
                return b.toString();
            }
        }
        return caption;
    }

    /** pycocoevalcap strips trailing whitespace (Python's definition) off the whole input. */
    private static String stripTrailingWhitespace(String s) {
        int end = s.length();
        while (end > 0 && isPythonSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

    /** Python's {@code str.isspace()} for one UTF-16 unit; the metrics split words on exactly these characters. */
    public static boolean isPythonSpace(char c) {
        return switch (c) {
            case ' ', '\t', '\n', '\u000B', '\u000C', '\r', '\u001C', '\u001D', '\u001E', '\u001F', '\u0085',
                 '\u00A0', '\u1680', '\u2028', '\u2029', '\u202F', '\u205F', '\u3000' -> true;
            default -> c >= '\u2000' && c <= '\u200A';
        };
    }

    /** One pass over a text; holds the matchers, so it is confined to one thread. */
    private final class Scan {
        private final String text;
        private final Matcher[] matchers = new Matcher[rules.size()];

        Scan(String text) {
            this.text = text;
        }

        /** Tokenises text[from, to); rules may read on past {@code to} (trailing context), never tokens. */
        void line(int from, int to, List<String> out) {
            int pos = from;
            while (pos < to) {
                int fast = fastWord(pos, to);
                if (fast > 0) {
                    emit(text.substring(pos, pos + fast), out);
                    pos += fast;
                    continue;
                }
                int punctuation = fastPunctuation(pos);
                if (punctuation > 0) {
                    pos += punctuation; // a lone "." or ",": a token that is dropped anyway
                    continue;
                }
                if (text.charAt(pos) == ' ') {
                    // No rule but the lexer's SPACES starts with a space, and it takes the whole run of spaces.
                    while (pos < to && PtbRules.isSpace(text.charAt(pos))) {
                        pos++;
                    }
                    continue;
                }
                pos += longestRule(pos, to, out);
            }
        }

        /**
         * Length of an ASCII word at pos that no rule other than WORD could take (followed by a space, the end, a
         * comma, or a period that ends the line or precedes a space), or 0 when the rules must decide.
         */
        private int fastWord(int pos, int to) {
            int end = pos;
            while (end < to && isAsciiLetter(text.charAt(end))) {
                end++;
            }
            int length = end - pos;
            if (length == 0 || PtbRules.isSplitWord(text, pos, length)) {
                return 0;
            }
            if (end == to) {
                // The end of the line: what follows (next caption) may matter for 1-letter acronym rules.
                return length > 1 ? length : 0;
            }
            char next = text.charAt(end);
            if (next == ' ') {
                return length;
            }
            boolean lastInChunk = end + 1 >= text.length() || isBreak(text.charAt(end + 1));
            if (next == '.' && lastInChunk && end + 1 <= to && length > 1
                    && !PtbRules.isAbbreviationStem(text, pos, length)) {
                return length;
            }
            if (next == ',' && lastInChunk) {
                return length;
            }
            return 0;
        }

        /**
         * 1 for a "." or "," that no rule but the single-character one can take: a "." before a space or line end
         * (not ". . ." or "..") and a "," not before a digit ("1,000"); otherwise 0.
         */
        private int fastPunctuation(int pos) {
            char c = text.charAt(pos);
            boolean atEnd = pos + 1 >= text.length();
            if (c == '.') {
                return atEnd || (isBreak(text.charAt(pos + 1))
                        && (pos + 2 >= text.length() || text.charAt(pos + 2) != '.')) ? 1 : 0;
            }
            if (c == ',') {
                return atEnd || isBreak(text.charAt(pos + 1)) ? 1 : 0;
            }
            return 0;
        }

        /** Applies the longest (then earliest) matching rule at pos; returns the number of characters consumed. */
        private int longestRule(int pos, int to, List<String> out) {
            int best = -1;
            int bestTotal = 0;
            int bestLength = 0;
            for (int i : candidateRules(text.charAt(pos))) {
                Matcher m = matcher(i);
                m.region(pos, text.length());
                if (m.lookingAt()) {
                    int length = m.end() - pos;
                    int total = rules.get(i).trailing() ? m.end(1) - pos : length;
                    if (total > bestTotal && length > 0) {
                        best = i;
                        bestTotal = total;
                        bestLength = length;
                    }
                }
            }
            if (best < 0) {
                return 1; // untokenizable: CoreNLP deletes it (with a warning)
            }
            bestLength = Math.min(bestLength, to - pos);
            String matched = text.substring(pos, pos + bestLength);
            Rule.Result r = rules.get(best).action().apply(matched);
            if (r.token() != null) {
                emit(r.token(), out);
            }
            return Math.max(1, bestLength - r.pushback());
        }

        private Matcher matcher(int i) {
            Matcher m = matchers[i];
            if (m == null) {
                m = rules.get(i).pattern().matcher(text);
                m.useTransparentBounds(true);
                m.useAnchoringBounds(false);
                matchers[i] = m;
            }
            return m;
        }
    }

    private static void emit(String token, List<String> out) {
        String lower = token.toLowerCase(Locale.ENGLISH);
        if (!PUNCTUATION.contains(lower)) {
            out.add(lower);
        }
    }

    private static boolean isBreak(char c) {
        return c == ' ' || c == '\n';
    }

    private static boolean isAsciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** A lexer rule: a pattern (trailing context, if any, is a lookahead whose group 1 spans it) and its action. */
    record Rule(Pattern pattern, boolean trailing, Action action) {
        record Result(String token, int pushback) {}

        @FunctionalInterface
        interface Action {
            Result apply(String matched);
        }
    }
}

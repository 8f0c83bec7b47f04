package io.caption4j.text;

import io.caption4j.text.PtbTokenizer.Rule;
import io.caption4j.text.PtbTokenizer.Rule.Action;
import io.caption4j.text.PtbTokenizer.Rule.Result;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The token rules of Stanford's PTBLexer 3.4.1 in its default options (ptb3Escaping, splitAssimilations, traditional
 * treebank-3 fractions, untokenizable characters deleted), in the lexer's priority order, as Java regular
 * expressions. The lexer is case-insensitive for literal text but not for character classes, so literal words are
 * wrapped in {@code (?i:...)} and classes are left alone. A top-level alternation becomes one rule per alternative so
 * that the longest alternative wins, as in the lexer.
 */
final class PtbRules {
    private PtbRules() {}

    // --- character classes and building blocks ------------------------------------------------------------------
    static final String SPACE = "[ \\t\\u00A0\\u2000-\\u200A\\u3000]";
    static final String NEWLINE = "(?:\\r|\\r?\\n|\\u2028|\\u2029|\\u000B|\\u000C|\\u0085)";
    static final String SPACENL = "(?:" + SPACE + "|" + NEWLINE + ")";
    static final String SPACENLS = SPACENL + "+";
    static final String DIGIT = "[\\p{Nd}\\u07C0-\\u07C9]";
    static final String SPLET = "&[aeiouAEIOU](?i:acute|grave|uml);";
    static final String LETTER = "(?:\\p{L}|" + SPLET + "|[\\u00AD\\u0237-\\u024F\\u02C2-\\u02C5\\u02D2-\\u02DF"
            + "\\u02E5-\\u02FF\\u0300-\\u036F\\u0370-\\u037D\\u0384\\u0385\\u03CF\\u03F6\\u03FC-\\u03FF\\u0483-\\u0487"
            + "\\u04CF\\u04F6-\\u04FF\\u0510-\\u0525\\u055A-\\u055F\\u0591-\\u05BD\\u05BF\\u05C1\\u05C2\\u05C4\\u05C5"
            + "\\u05C7\\u0615-\\u061A\\u063B-\\u063F\\u064B-\\u065E\\u0670\\u06D6-\\u06EF\\u06FA-\\u06FF\\u070F\\u0711"
            + "\\u0730-\\u074F\\u0750-\\u077F\\u07A6-\\u07B1\\u07CA-\\u07F5\\u07FA\\u0900-\\u0903\\u093C\\u093E-\\u094E"
            + "\\u0951-\\u0955\\u0962-\\u0963\\u0981-\\u0983\\u09BC-\\u09C4\\u09C7\\u09C8\\u09CB-\\u09CD\\u09D7\\u09E2"
            + "\\u09E3\\u0A01-\\u0A03\\u0A3C\\u0A3E-\\u0A4F\\u0A81-\\u0A83\\u0ABC-\\u0ACF\\u0B82\\u0BBE-\\u0BC2"
            + "\\u0BC6-\\u0BC8\\u0BCA-\\u0BCD\\u0C01-\\u0C03\\u0C3E-\\u0C56\\u0D3E-\\u0D44\\u0D46-\\u0D48\\u0E30-\\u0E3A"
            + "\\u0E47-\\u0E4E\\u0EB1-\\u0EBC\\u0EC8-\\u0ECD])";
    static final String LETTER_OR_DIGIT = "(?:" + LETTER + "|" + DIGIT + ")";
    static final String WORD = LETTER + LETTER_OR_DIGIT + "*(?:[.!?]" + LETTER + LETTER_OR_DIGIT + "*)*";
    static final String APOS = "(?:['\\u0092\\u2019]|&(?i:apos);)";
    static final String APOSETCETERA = "(?:" + APOS + "|[`\\u0091\\u2018\\u201B])";
    static final String REDAUX = APOS + "(?:[msdMSD]|(?i:re|ve|ll))";
    static final String SWORD = "[A-Za-z\\u00AD]*[A-MO-Za-mo-z]\\u00AD*";
    static final String SREDAUX = "(?i:n)" + APOSETCETERA + "(?i:t)";
    static final String HYPHEN = "[-_\\u058A\\u2010\\u2011]";
    static final String LD = "[\\p{L}\\p{Nd}]";
    static final String THING_PART = "(?:[dDoOlL]" + APOSETCETERA + LD + ")?" + LD + "+";
    static final String THING = THING_PART + "(?:" + HYPHEN + THING_PART + ")*";
    static final String SPAMP = "&(?i:amp);";
    static final String THINGA = "[A-Z]+(?:(?:[+&]|" + SPAMP + ")[A-Z]+)+";
    static final String THING3 = "[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}(?:\\\\?/[A-Za-z0-9]+(?:-[A-Za-z]+){0,2}){1,2}";
    static final String ACRO_SPECIAL = "(?i:(?:canada|sino|korean|eu|japan|non)-u\\.s|u\\.s\\.-(?:u\\.k|u\\.s\\.s\\.r))";
    static final String ACRO = "(?:[A-Za-z](?:\\.[A-Za-z])*|" + ACRO_SPECIAL + ")";
    static final String ACRO2 = "(?:[A-Za-z](?:\\.[A-Za-z])+|" + ACRO_SPECIAL + ")";
    static final String HTHING = "[A-Za-z0-9][A-Za-z0-9.,\\u00AD]*(?:-(?:" + ACRO2 + "\\.|[A-Za-z0-9\\u00AD]+))+";
    static final String SGML_NAME = "[A-Za-z][A-Za-z0-9_:.\\-]*";
    static final String SGML = "<(?:[!?][A-Za-z\\-][^>\\r\\n]*|" + SGML_NAME + "(?:[ ]+(?:" + SGML_NAME + "[ ]*=[ ]*"
            + "(?:'[^']*'|\"[^\"]*\")|" + SGML_NAME + "))*[ ]*/?|/" + SGML_NAME + ")[ ]*>";
    static final String SENTEND = SPACENL + "(?:" + SPACENL + "|\\p{javaUpperCase}|" + SGML + ")";
    static final String INSENTP = "[,;:\\u3001]";
    static final String NUM_PLAIN = DIGIT + "+";
    static final String NUM_SEPARATED = DIGIT + "*(?:[.:,\\u00AD\\u066B\\u066C]" + DIGIT + "+)+";
    static final String FILENAME_EXT = "(?i:bat|bmp|c|class|cgi|cpp|dll|doc|docx|exe|gif|gz|h|htm|html|jar|java|jpeg"
            + "|jpg|mov|mp3|pdf|php|pl|png|ppt|ps|py|sql|tar|txt|wav|x|xml|zip)";
    static final String FILENAME = LETTER_OR_DIGIT + "+(?:[.]" + LETTER_OR_DIGIT + "+)*[.]" + FILENAME_EXT;

    static final String ABMONTH = "(?i:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)";
    static final String ABDAYS = "(?i:mon|tue|tues|wed|thu|thurs|fri)";
    static final String ABSTATE = "(?:(?i:ala|ariz)|A(?i:z)|A(?i:rk)|(?i:calif|colo|conn|ct|dak)|D(?i:el)|(?i:fla|ga)"
            + "|I(?i:ll)|(?i:ind|kans?|ky)|L(?i:a)|M(?i:ass)|(?i:md|mich|minn)|M(?i:iss)|(?i:mo|mont|neb|nev|okla)"
            + "|O(?i:re)|P(?i:a)|(?i:penn|tenn)|T(?i:ex)|(?i:va|vt)|W(?i:ash)|(?i:wisc?|wyo))";
    static final String ABCOMP = "(?i:inc|cos?|corp|pp?t[ye]s?|ltd|plc|rt|bancorp|bhd|assn|univ|intl|sys)";
    static final String ABNUM = "(?i:tel|est|ext|sq)";
    static final String ABPTIT = "(?i:jr|sr|bros|(?:ed|ph)\\.d|blvd|rd|esq)";
    static final String ABBREV1 = "(?:" + ABMONTH + "|" + ABDAYS + "|" + ABSTATE + "|" + ABCOMP + "|" + ABNUM + "|"
            + ABPTIT + "|(?i:etc|al|seq|bldg))\\.";
    static final String ABTITLE = "(?:(?i:mr|mrs|ms)|M(?i:iss)|(?i:drs?|profs?|sens?|reps?|attys?|lt|col|gen|messrs"
            + "|govs?|adm|rev|maj|sgt|cpl|pvt|capt|ste?|ave|pres|lieut|hon|brig|co?mdr|pfc|spc|supts?|det|mt|ft|adj"
            + "|adv|asst|assoc|ens|insp|mlle|mme|msgr|sfc))";
    static final String ABCOMP2 = "(?i:invt|elec|natl|m[ft]g|dept)";
    static final String ABBREV4 = "(?:" + ABTITLE + "|(?i:vs|alex|wm|jos|cie|a\\.k\\.a|cf|treas|ph)|" + ACRO + "|"
            + ABCOMP2 + ")";
    static final String ABBREV2 = ABBREV4 + "\\.";
    static final String ACRONYM = ACRO + "\\.";
    static final String ABBREV3 = "(?i:ca|figs?|prop|nos?|art|bldg|pp|op)\\.";
    static final String ACRONYM_FOLLOWER = "(?:A(?i:bout)|A(?i:ccording)|A(?i:dditionally)|A(?i:fter)|A(?i:n)|A|A(?i:s)"
            + "|A(?i:t)|B(?i:ut)|E(?i:arlier)|H(?i:e)|H(?i:er)|H(?i:ere)|H(?i:owever)|I(?i:f)|I(?i:n)|I(?i:t)|L(?i:ast)"
            + "|M(?i:any)|M(?i:ore)|M(?i:r)\\.|M(?i:s)\\.|N(?i:ow)|O(?i:nce)|O(?i:ne)|O(?i:ther)|O(?i:ur)|S(?i:he)"
            + "|S(?i:ince)|S(?i:o)|S(?i:ome)|S(?i:uch)|T(?i:hat)|T(?i:he)|T(?i:heir)|T(?i:hen)|T(?i:here)|T(?i:hese)"
            + "|T(?i:hey)|T(?i:his)|W(?i:e)|W(?i:hen)|W(?i:hile)|W(?i:hat)|Y(?i:et)|Y(?i:ou)|" + SGML + ")";
    static final String PHONE_SPACE = "[\\- \\u00A0]";
    static final String DBLQUOT = "(?:\"|&(?i:quot);)";
    static final String SMILEY = "[<>]?[:;=][\\-o*']?[()DPdpO\\\\{@|\\[\\]]";
    static final String MISCSYMBOL = "[+%&~^|\\\\\\u00A6\\u00A7\\u00A8\\u00A9\\u00AC\\u00AE\\u00AF\\u00B0-\\u00B3"
            + "\\u00B4-\\u00BA\\u00D7\\u00F7\\u0387\\u05BE\\u05C0\\u05C3\\u05C6\\u05F3\\u05F4\\u0600-\\u0603"
            + "\\u0606-\\u060A\\u060C\\u0614\\u061B\\u061E\\u066A\\u066D\\u0703-\\u070D\\u07F6\\u07F7\\u07F8\\u0964"
            + "\\u0965\\u0E4F\\u1FBD\\u2016\\u2017\\u2020-\\u2023\\u2030-\\u2038\\u203B\\u203E-\\u2042\\u2044"
            + "\\u207A-\\u207F\\u208A-\\u208E\\u2100-\\u214F\\u2190-\\u21FF\\u2200-\\u2BFF\\u3012\\u30FB\\uFF01-\\uFF0F"
            + "\\uFF1A-\\uFF20\\uFF3B-\\uFF40\\uFF5B-\\uFF65]";

    // --- actions --------------------------------------------------------------------------------------------------
    private static final Action AS_IS = text -> new Result(text, 0);
    private static final Action SKIP = text -> new Result(null, 0);

    private static Action map(UnaryOperator<String> f) {
        return text -> new Result(f.apply(text), 0);
    }

    private static Action to(String token) {
        return text -> new Result(token, 0);
    }

    /** Keeps the first part of an assimilation ("cannot" → "can") and rescans the rest. */
    private static Action keepAllBut(int pushback) {
        return text -> new Result(text.substring(0, text.length() - pushback), pushback);
    }

    /** Returns the abbreviation with its period and rescans the period as a sentence end. */
    private static final Action WITH_PERIOD_AGAIN = text -> new Result(text, 1);

    /** A one-letter acronym before a sentence start loses its period ("I." → "I" "."); longer ones also repeat it. */
    private static final Action ACRONYM_AT_SENTENCE_END =
            text -> new Result(text.length() == 2 ? text.substring(0, 1) : text, 1);

    static String removeSoftHyphens(String s) {
        if (s.indexOf('\u00AD') < 0) {
            return s;
        }
        String out = s.replace("\u00AD", "");
        return out.isEmpty() ? "-" : out;
    }

    static String normalizeAmp(String s) {
        return s.replaceAll("(?i:&amp;)", "&");
    }

    static String spacesToNbsp(String s) {
        return s.replace(' ', '\u00A0');
    }

    static String brackets(String s) {
        return s.replace("(", "-LRB-").replace(")", "-RRB-");
    }

    static String normalizeFractions(String s) {
        return s.replace("\u00BC", "1/4").replace("\u00BD", "1/2").replace("\u00BE", "3/4")
                .replace("\u2153", "1/3").replace("\u2154", "2/3");
    }

    static String normalizeCurrency(String s) {
        return s.replace("\u00A2", "cents").replace("\u00A3", "#").replaceAll("[\\u0080\\u00A4\\u20A0\\u20AC]", "\\$");
    }

    /** The lexer's default "latexQuotes": ASCII quotes become `` / '' by position, curly ones by their shape. */
    static String latexQuotes(String s, boolean probablyLeft) {
        String out = probablyLeft
                ? s.replaceAll("&apos;|'", "`").replaceAll("\"|&quot;", "``")
                : s.replaceAll("&apos;|'", "'").replaceAll("\"|&quot;", "''");
        return out.replaceAll("[\\u0091\\u2018\\u201B\\u2039]", "`").replaceAll("[\\u0092\\u2019\\u203A]", "'")
                .replaceAll("[\\u0093\\u201C\\u00AB]", "``").replaceAll("[\\u0094\\u201D\\u00BB]", "''");
    }

    private static final Action LEFT_QUOTE = map(s -> latexQuotes(s, true));
    private static final Action RIGHT_QUOTE = map(s -> latexQuotes(s, false));
    private static final Action SOFT_HYPHENS = map(PtbRules::removeSoftHyphens);
    private static final Action AMP = map(PtbRules::normalizeAmp);

    // --- rules in the lexer's priority order -------------------------------------------------------------------
    static List<Rule> all() {
        Builder b = new Builder();
        b.add("(?i:c)\\+\\+", AS_IS);
        b.add("[cfCF]#", AS_IS);
        b.add("(?i:cannot)", keepAllBut(3));
        b.add("'(?i:twas)", keepAllBut(3));
        b.add("'(?i:tis)", keepAllBut(2));
        b.add("(?i:gonna|gotta|lemme|gimme|wanna)", keepAllBut(2));
        b.add(SGML, map(PtbRules::spacesToNbsp));
        b.add("&(?i:md|mdash|ndash);|[\\u0096\\u0097\\u2013\\u2014\\u2015]", to("--"));
        b.add(SPAMP, AMP);
        b.add("&(?i:ht|tl|ur|lr|qc|ql|qr|odq|cdq|#[0-9]+);", AS_IS);
        b.trailing(WORD, REDAUX, SOFT_HYPHENS);
        b.trailing(SWORD, SREDAUX, SOFT_HYPHENS);
        b.add(WORD, SOFT_HYPHENS);
        for (String apoword : List.of(APOS + "(?i:n)" + APOS + "?", "[lLdDjJ]" + APOS, "(?i:dunkin)" + APOS,
                "(?i:somethin)" + APOS, "(?i:ol)" + APOS, APOS + "(?i:em)",
                "[A-HJ-XZn]" + APOSETCETERA + "\\p{L}{2}\\p{L}*", APOS + "[2-9]0(?i:s)", APOS + "(?i:till?)",
                "\\p{L}+[aeiouyAEIOUY]" + APOSETCETERA + "[aeiouA-Z]\\p{L}*", APOS + "(?i:cause)",
                "(?i:cont'd)\\.?", "'(?i:twas)", "(?i:nor'easter)", "(?i:c'mon)", "(?i:e'er)", "(?i:s'mores)",
                "(?i:ev'ry)", "(?i:li'l)", "(?i:nat'l)", "(?i:o)" + APOSETCETERA + "(?i:o)")) {
            b.add(apoword, AS_IS);
        }
        b.trailing("(?i:y)" + APOS, "\\p{L}", AS_IS);
        b.add("(?i:https?)://[^ \\t\\n\\f\\r\"<>|(){}]+[^ \\t\\n\\f\\r\"<>|.!?(){},-]", AS_IS);
        String urlPath = "(?:/[^ \\t\\n\\f\\r\"<>|()]+[^ \\t\\n\\f\\r\"<>|.!?(){},-])?";
        b.add("(?i:www)\\.(?:[^ \\t\\n\\f\\r\"<>|.!?(){},]+\\.)+[a-zA-Z]{2,4}" + urlPath, AS_IS);
        b.add("(?:[^ \\t\\n\\f\\r\"`'<>|.!?(){},-_$]+\\.)+(?i:com|net|org|edu)" + urlPath, AS_IS);
        b.add("(?:&(?i:lt);|<)?[a-zA-Z0-9][^ \\t\\n\\f\\r\"<>|()\\u00A0{}]*@(?:[^ \\t\\n\\f\\r\"<>|(){}.\\u00A0]+\\.)*"
                + "[^ \\t\\n\\f\\r\"<>|(){}.\\u00A0]+(?:&(?i:gt);|>)?", AS_IS);
        b.add("@[a-zA-Z_][a-zA-Z_0-9]*", AS_IS);
        b.add("#" + LETTER + "+", AS_IS);
        b.trailing(REDAUX, "[^A-Za-z]", RIGHT_QUOTE);
        b.trailing(SREDAUX, "[^A-Za-z]", RIGHT_QUOTE);
        b.add(DIGIT + "{1,2}[\\-/]" + DIGIT + "{1,2}[\\-/]" + DIGIT + "{2,4}", AS_IS);
        b.add("[\\-+]?" + NUM_PLAIN, SOFT_HYPHENS);
        b.add("[\\-+]?" + NUM_SEPARATED, SOFT_HYPHENS);
        b.add("[\\u207A\\u207B\\u208A\\u208B]?(?:[\\u2070\\u00B9\\u00B2\\u00B3\\u2074-\\u2079]+|[\\u2080-\\u2089]+)",
                AS_IS);
        b.add("(?:" + DIGIT + "{1,4}[- \\u00A0])?" + DIGIT + "{1,4}(?:\\\\?/|\\u2044)" + DIGIT + "{1,4}",
                map(PtbRules::spacesToNbsp));
        b.add("[\\u00BC\\u00BD\\u00BE\\u2153-\\u215E]", map(PtbRules::normalizeFractions));
        for (String tbspec : List.of("-(?i:rrb|lrb|rcb|lcb|rsb|lsb)-", "(?i:c\\.d\\.s)", "(?i:pro)-", "(?i:anti)-",
                "(?i:s)(?:&|" + SPAMP + ")(?i:p)-500", "(?i:s)(?:&|" + SPAMP + ")(?i:ls)", "(?i:cap)" + APOS + "(?i:n)",
                "(?i:c)" + APOS + "(?i:est)")) {
            b.add(tbspec, AMP);
        }
        b.add(THING3, AS_IS);
        b.add("[A-Z]*\\$", AS_IS);
        b.add("#", AS_IS);
        b.add("[\\u00A2\\u00A3\\u00A4\\u00A5\\u0080\\u20A0\\u20AC\\u060B\\u0E3F\\u20A4\\uFFE0\\uFFE1\\uFFE5\\uFFE6]",
                map(PtbRules::normalizeCurrency));
        b.trailing(ACRONYM, SPACENLS + ACRONYM_FOLLOWER + SPACENL, ACRONYM_AT_SENTENCE_END);
        b.trailing(ABBREV3, SPACENL + "?\\p{Nd}", AS_IS);
        b.trailing("(?:(?i:pt)[eyEY]|(?i:co))\\.", SPACE + "(?i:ltd|lim)", AS_IS);
        b.trailing(ABBREV1, SENTEND, WITH_PERIOD_AGAIN);
        b.trailing(ABBREV1, "(?s:..)", AS_IS);
        b.add(ABBREV1, WITH_PERIOD_AGAIN);
        b.add(ABBREV2, AS_IS);
        b.trailing(ABBREV4, SPACE, AS_IS);
        b.trailing(ACRO, SPACENL, AS_IS);
        b.trailing(APOS + "[0-9][0-9]", SPACENL, AS_IS);
        b.trailing(FILENAME, "(?:" + SPACENL + "|[.?!,])", AS_IS);
        b.trailing(WORD + "\\.", INSENTP, SOFT_HYPHENS);
        b.add("(?:\\([0-9]{2,3}\\)[ \\u00A0]?|(?:\\+\\+?)?(?:[0-9]{2,4}" + PHONE_SPACE + ")?[0-9]{2,4}" + PHONE_SPACE
                + ")[0-9]{3,4}" + PHONE_SPACE + "?[0-9]{3,5}", map(s -> brackets(spacesToNbsp(s))));
        b.add("(?:(?:\\+\\+?)?[0-9]{2,4}\\.)?[0-9]{2,4}\\.[0-9]{3,4}\\.[0-9]{3,5}", map(s -> brackets(spacesToNbsp(s))));
        b.trailing(DBLQUOT, "[A-Za-z0-9$]", LEFT_QUOTE);
        b.add(DBLQUOT, RIGHT_QUOTE);
        b.add("\\u007F", SKIP);
        b.add("<|&(?i:lt);", to("<"));
        b.add(">|&(?i:gt);", to(">"));
        b.trailing(SMILEY, "[^A-Za-z0-9]", map(PtbRules::brackets));
        for (String asian : List.of("[\\^x=~<>]\\.\\[\\^(?i:x)=~<>\\]", "[\\-\\^x=~<>']_[\\-\\^x=~<>']",
                "\\([\\-\\^x=~<>'][_.]?[\\-\\^x=~<>']\\)", "\\([\\^x=~<>']-[\\^x=~<>'`]\\)")) {
            b.add(asian, map(PtbRules::brackets));
        }
        b.add("\\{", to("-LCB-"));
        b.add("\\}", to("-RCB-"));
        b.add("\\[", to("-LSB-"));
        b.add("\\]", to("-RSB-"));
        b.add("\\(", to("-LRB-"));
        b.add("\\)", to("-RRB-"));
        b.add("-+", text -> new Result(text.length() >= 3 && text.length() <= 4 ? "--" : text, 0));
        b.add("\\.{3,5}", to("..."));
        b.add("(?:\\.[ \\u00A0]){2,4}\\.", to("..."));
        b.add("[\\u0085\\u2026]", to("..."));
        b.add("@+", AS_IS);
        b.add("#+", AS_IS);
        b.add("_+", AS_IS);
        b.add("\\*+", AS_IS);
        b.add("(?:\\\\\\*){1,3}", AS_IS);
        b.add(INSENTP, AS_IS);
        b.add("[?!]+", AS_IS);
        b.add("[.\\u00A1\\u00BF\\u037E\\u0589\\u061F\\u06D4\\u0700-\\u0702\\u07FA\\u3002]", AS_IS);
        b.add("=", AS_IS);
        b.add("/", AS_IS);
        b.trailing(HTHING + "\\.", INSENTP, SOFT_HYPHENS);
        b.add(HTHING, SOFT_HYPHENS);
        b.trailing(THING + "\\.", INSENTP, AS_IS);
        b.add(THING, AS_IS);
        b.trailing(THINGA + "\\.", INSENTP, AMP);
        b.add(THINGA, AMP);
        b.trailing("'", "[A-Za-z][^ \\t\\n\\r\\u00A0]", LEFT_QUOTE);
        b.add(REDAUX, RIGHT_QUOTE);
        b.add(SREDAUX, RIGHT_QUOTE);
        b.add(APOS, RIGHT_QUOTE);
        b.add("''", RIGHT_QUOTE);
        b.add("[`\\u2018\\u2019\\u201A\\u201B\\u201C\\u201D\\u0091\\u0092\\u0093\\u0094\\u201E\\u201F\\u2039\\u203A"
                + "\\u00AB\\u00BB]{1,2}", RIGHT_QUOTE);
        b.add("<<|>>", AS_IS);
        b.add(MISCSYMBOL, AS_IS);
        b.add("\\u0000|" + SPACE + "+|[\\u200B\\u200E-\\u200F\\uFEFF]", SKIP);
        b.add(NEWLINE, SKIP);
        b.add("&(?i:nbsp);", SKIP);
        return b.rules;
    }

    private static final class Builder {
        final List<Rule> rules = new ArrayList<>();

        void add(String regex, Action action) {
            rules.add(new Rule(Pattern.compile(regex), false, action));
        }

        /** {@code main/trailing} of the lexer: the trailing text counts for the longest match but is not consumed. */
        void trailing(String main, String trailing, Action action) {
            rules.add(new Rule(Pattern.compile("(?:" + main + ")(?=(" + trailing + "))"), true, action));
        }
    }

    // --- helpers for the fast path ------------------------------------------------------------------------------
    /** The lexer's SPACE class. */
    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\u00A0' || (c >= '\u2000' && c <= '\u200A') || c == '\u3000';
    }

    static boolean isNewline(char c) {
        return c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u000B' || c == '\u000C'
                || c == '\u0085';
    }

    private static final Set<String> SPLIT_WORDS = Set.of("cannot", "gonna", "gotta", "lemme", "gimme", "wanna");

    /** Every literal stem of the abbreviation rules (lower-cased); a word + "." that is one of them needs the rules. */
    private static final Set<String> ABBREVIATION_STEMS = Set.copyOf(List.of("jan", "feb", "mar", "apr", "jun", "jul", "aug",
            "sep", "sept", "oct", "nov", "dec", "mon", "tue", "tues", "wed", "thu", "thurs", "fri", "ala", "ariz",
            "az", "ark", "calif", "colo", "conn", "ct", "dak", "del", "fla", "ga", "ill", "ind", "kan", "kans", "ky",
            "la", "mass", "md", "mich", "minn", "miss", "mo", "mont", "neb", "nev", "okla", "ore", "pa", "penn",
            "tenn", "tex", "va", "vt", "wash", "wis", "wisc", "wyo", "inc", "co", "cos", "corp", "pty", "pte", "ptys",
            "ptes", "ppty", "ppte", "pptys", "pptes", "ltd", "plc", "rt", "bancorp", "bhd", "assn", "univ", "intl",
            "sys", "tel", "est", "ext", "sq", "jr", "sr", "bros", "blvd", "rd", "esq", "etc", "al", "seq", "bldg",
            "mr", "mrs", "ms", "drs", "dr", "prof", "profs", "sen", "sens", "rep", "reps", "atty", "attys", "lt",
            "col", "gen", "messrs", "gov", "govs", "adm", "rev", "maj", "sgt", "cpl", "pvt", "capt", "st", "ste",
            "ave", "pres", "lieut", "hon", "brig", "cmdr", "comdr", "pfc", "spc", "supt", "supts", "det", "mt", "ft",
            "adj", "adv", "asst", "assoc", "ens", "insp", "mlle", "mme", "msgr", "sfc", "invt", "elec", "natl", "mfg",
            "mtg", "dept", "vs", "alex", "wm", "jos", "cie", "cf", "treas", "ph", "ca", "fig", "figs", "prop", "no",
            "nos", "art", "pp", "op", "pt", "cont"));

    static boolean isSplitWord(String text, int pos, int length) {
        return length >= 5 && length <= 6 && SPLIT_WORDS.contains(text.substring(pos, pos + length).toLowerCase(Locale.ROOT));
    }

    static boolean isAbbreviationStem(String text, int pos, int length) {
        return length <= 7 && ABBREVIATION_STEMS.contains(text.substring(pos, pos + length).toLowerCase(Locale.ROOT));
    }
}

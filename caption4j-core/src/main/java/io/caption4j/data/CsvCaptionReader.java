package io.caption4j.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import io.caption4j.util.InputException;
import io.caption4j.util.JsonErrors;
import io.caption4j.util.Problems;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Flickr8k-style captions (the Kaggle layout): a CSV file with a header naming the columns {@code image} and
 * {@code caption}, one row per caption. Fields may be quoted (RFC 4180), so captions can hold commas and quotes.
 */
final class CsvCaptionReader {
    private static final CsvMapper CSV = CsvMapper.builder().enable(CsvParser.Feature.SKIP_EMPTY_LINES).build();

    private CsvCaptionReader() {}

    /** The fields of one CSV record and the line it starts on. */
    private record Row(long line, List<String> fields) {}

    static List<RawCaption> read(Path file, Problems problems) throws IOException {
        List<RawCaption> captions = new ArrayList<>();
        try (JsonParser parser = CSV.createParser(file.toFile())) {
            Row first = next(parser);
            if (first == null) {
                throw InputException.at(file, "empty file; expected a header line 'image,caption'");
            }
            Header header = Header.of(file, first.fields());
            for (Row row = next(parser); row != null; row = next(parser)) {
                if (row.fields().size() <= header.last()) {
                    problems.report(InputException.at(file, row.line(), "row has " + row.fields().size()
                            + " column(s), expected " + (header.last() + 1) + " (image,caption); row skipped"));
                    continue;
                }
                captions.add(new RawCaption(row.fields().get(header.image()), row.fields().get(header.caption()),
                        row.line()));
            }
        } catch (JsonProcessingException e) {
            throw JsonErrors.malformed(file, "CSV", e);
        }
        return captions;
    }

    /**
     * The next record, or null at the end. Its line is that of its first field: Jackson reports the record's own
     * start token on the line before.
     */
    private static Row next(JsonParser parser) throws IOException {
        if (parser.nextToken() != JsonToken.START_ARRAY) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        long line = -1;
        while (parser.nextToken() == JsonToken.VALUE_STRING) {
            if (fields.isEmpty()) {
                line = parser.currentTokenLocation().getLineNr();
            }
            fields.add(parser.getText());
        }
        return new Row(line, fields);
    }

    /** Where the two columns are; other columns are allowed and ignored. */
    private record Header(int image, int caption) {
        static Header of(Path file, List<String> names) {
            List<String> normalised = names.stream().map(n -> n.strip().toLowerCase(Locale.ROOT)).toList();
            int image = normalised.indexOf("image");
            int caption = normalised.indexOf("caption");
            if (image < 0 || caption < 0) {
                throw InputException.at(file, 1, "header must name the columns 'image' and 'caption', found '"
                        + String.join(",", names) + "'");
            }
            return new Header(image, caption);
        }

        int last() {
            return Math.max(image, caption);
        }
    }
}

package io.caption4j.util;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.file.Path;

/** Turns a Jackson parse error into the user-facing "file:line: problem" form. */
public final class JsonErrors {
    private JsonErrors() {}

    /** {@code format} names what was expected, e.g. "JSON" or "CSV". */
    public static InputException malformed(Path file, String format, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String problem = "malformed " + format + ": " + e.getOriginalMessage();
        if (at == null || at.getLineNr() < 0) {
            return InputException.at(file, problem);
        }
        return InputException.at(file, at.getLineNr(), problem + " (column " + at.getColumnNr() + ")");
    }
}

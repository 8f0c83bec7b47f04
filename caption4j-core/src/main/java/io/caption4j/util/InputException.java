package io.caption4j.util;

/**
 * A problem with something the user gave us (a file, a flag, a model directory). Its message is meant to be shown
 * as is, without a stack trace, and names the file (and line, where there is one) and what is wrong.
 */
public class InputException extends RuntimeException {
    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }

    /** "file:line: problem", the conventional compiler-style location prefix. */
    public static InputException at(Object source, long line, String problem) {
        return new InputException(source + ":" + line + ": " + problem);
    }

    public static InputException at(Object source, String problem) {
        return new InputException(source + ": " + problem);
    }
}

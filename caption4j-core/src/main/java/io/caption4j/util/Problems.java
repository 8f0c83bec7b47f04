package io.caption4j.util;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Collects the bad-input problems of a batch so the batch can go on: each problem is printed once, as one line, when
 * it is reported, and the caller turns {@link #count()} into the exit code at the end.
 */
public final class Problems {
    private final PrintStream out;
    private final List<String> messages = Collections.synchronizedList(new ArrayList<>());

    public Problems(PrintStream out) {
        this.out = out;
    }

    /** A collector that prints nothing; for tests and library callers that inspect {@link #messages()}. */
    public static Problems silent() {
        return new Problems(null);
    }

    public void report(String message) {
        messages.add(message);
        if (out != null) {
            out.println("error: " + message);
        }
    }

    public void report(InputException e) {
        report(e.getMessage());
    }

    public int count() {
        return messages.size();
    }

    public List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }
}

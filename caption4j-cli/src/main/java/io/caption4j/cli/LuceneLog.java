package io.caption4j.cli;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lucene tells java.util.logging which implementations it picked (memory segments, the vector API) at INFO and
 * WARNING; on a command line that is noise between the results, so only its severe messages are let through.
 */
final class LuceneLog {
    /** Held here because java.util.logging keeps loggers, and so their level, only while someone references them. */
    private static final Logger LUCENE = Logger.getLogger("org.apache.lucene");

    private LuceneLog() {}

    static void quiet() {
        LUCENE.setLevel(Level.SEVERE);
    }
}

package io.caption4j.util;

import java.io.PrintStream;
import java.util.Locale;

/** A one-line terminal progress bar with rate and ETA; redraws at most ten times a second. */
public final class ProgressBar implements AutoCloseable {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private long done;
    private long lastDraw;
    private String suffix = "";

    public ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = Math.max(1, total);
    }

    public synchronized void step(long n, String suffix) {
        done += n;
        this.suffix = suffix == null ? "" : suffix;
        long now = System.nanoTime();
        if (out != null && (now - lastDraw > 100_000_000L || done >= total)) {
            lastDraw = now;
            draw(now);
        }
    }

    public void step(long n) {
        step(n, suffix);
    }

    private void draw(long now) {
        int width = 30;
        int filled = (int) (width * Math.min(done, total) / total);
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        double eta = rate > 0 ? (total - done) / rate : 0;
        out.print(String.format(Locale.ROOT, "\r%s [%s%s] %d/%d %.1f/s eta %ds %s", label,
                "#".repeat(filled), ".".repeat(width - filled), done, total, rate, Math.round(eta), suffix));
        out.flush();
    }

    @Override
    public synchronized void close() {
        if (out != null) {
            if (done < total) {
                draw(System.nanoTime());
            }
            out.println();
        }
    }
}

package io.nodesizer.cli;

import io.nodesizer.sweep.ProgressListener;

import java.io.PrintWriter;

/**
 * A one-line progress bar on standard error, redrawn in place; drawn only when standard error is a
 * terminal (not in CI logs or pipes) and the run is long enough to be worth it.
 */
final class ProgressBar implements ProgressListener {
    private final PrintWriter err;
    private final String label;
    private final long startNanos = System.nanoTime();
    private int lastPercent = -1;

    private ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    static ProgressListener create(PrintWriter err, String label, boolean quiet) {
        boolean terminal = System.console() != null && System.getenv("CI") == null;
        return quiet || !terminal ? ProgressListener.NONE : new ProgressBar(err, label);
    }

    @Override
    public synchronized void progress(int done, int total) {
        if (System.nanoTime() - startNanos < 300_000_000L && done < total) {
            return; // short runs finish before a bar helps
        }
        int percent = total == 0 ? 100 : (int) (100L * done / total);
        if (percent == lastPercent) {
            return;
        }
        lastPercent = percent;
        int filled = percent * 30 / 100;
        err.print("\r" + label + " [" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + done + "/" + total);
        if (done >= total) {
            err.print("\r" + " ".repeat(label.length() + 45) + "\r");
        }
        err.flush();
    }
}

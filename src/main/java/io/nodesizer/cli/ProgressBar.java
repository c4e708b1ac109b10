package io.nodesizer.cli;

import io.nodesizer.sweep.ProgressListener;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * A one-line progress bar on standard error, redrawn in place; drawn only when standard error is a
 * terminal (not in CI logs, pipes or a {@code 2> run.log}) and the run is long enough to be worth it.
 */
final class ProgressBar implements ProgressListener {
    private final PrintWriter err;
    private final String label;
    private final long startNanos = System.nanoTime();
    private int lastPercent = -1;
    private int widest;

    ProgressBar(PrintWriter err, String label) {
        this.err = err;
        this.label = label;
    }

    static ProgressListener create(PrintWriter err, String label, boolean quiet) {
        boolean terminal = isTerminal(Descriptors.STDERR, System.console() != null) && System.getenv("CI") == null;
        return quiet || !terminal ? ProgressListener.NONE : new ProgressBar(err, label);
    }

    /**
     * Whether the file descriptor {@code fd} (a link under /proc/self/fd) is a terminal. The bar goes
     * to standard error, but {@link System#console()} asks about standard input and output: a
     * {@code 2> run.log} at a terminal got the bar's carriage-return frames in its log, and
     * {@code > report.json} hid the bar from the terminal watching the run. Where /proc does not say
     * (not Linux), {@code fallback} decides.
     */
    static boolean isTerminal(Path fd, boolean fallback) {
        String target = Descriptors.target(fd);
        return target == null ? fallback : Descriptors.isTerminal(target);
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
        String line = label + " [" + "#".repeat(filled) + " ".repeat(30 - filled) + "] " + done + "/" + total;
        // a total may shrink as a run learns its work (consolidate's plans), so a frame can be shorter
        // than the one before it: pad to the widest frame so no digit of an earlier one stays
        err.print("\r" + line + " ".repeat(Math.max(0, widest - line.length())));
        widest = Math.max(widest, line.length());
        if (done >= total) {
            err.print("\r" + " ".repeat(widest) + "\r");
        }
        err.flush();
    }
}

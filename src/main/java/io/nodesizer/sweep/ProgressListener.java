package io.nodesizer.sweep;

/** Progress of a long run, reported by core code and drawn by the CLI (core code never prints). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (done, total) -> { };

    /** Called after each unit of work; may be called from several threads. */
    void progress(int done, int total);
}

package io.nodesizer.model;

import java.util.Objects;

/**
 * Where a model object was defined in the user's input: a file and a line (1-based). Kept in the
 * model (not only in errors) so that later messages about a pod, such as "unschedulable", can
 * point back at its definition.
 */
public record SourceRef(String file, int line) {
    public SourceRef {
        Objects.requireNonNull(file, "file");
        if (line < 1) {
            throw new IllegalArgumentException("line must be >= 1, got " + line);
        }
    }

    @Override
    public String toString() {
        return file + ":" + line;
    }
}

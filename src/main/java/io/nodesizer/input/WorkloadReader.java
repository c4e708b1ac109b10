package io.nodesizer.input;

import io.nodesizer.model.Workload;

import java.nio.file.Path;

/** Reads one input file into model records. Readers know only their format. */
public interface WorkloadReader {

    /**
     * @param displayName the path as the user gave it, used in every message and {@code SourceRef}
     * @throws InputException for any mistake in the file, with its location
     */
    Workload read(Path file, String displayName);
}

package io.nodesizer.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The temporary folder a fuzz test writes its inputs to (readers take files), removed when the JVM exits. */
final class FuzzDirs {
    private FuzzDirs() {
    }

    static Path create(String prefix) {
        try {
            Path dir = Files.createTempDirectory(prefix);
            dir.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.nodesizer.input;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * Reads a file bundled in the jar (the default workload, the catalogs) through the same
 * path-based readers as user files, so bundled data gets exactly the same checks.
 */
public final class ClasspathFiles {
    private ClasspathFiles() {
    }

    public static <T> T read(String resource, Function<Path, T> reader) {
        try (InputStream in = ClasspathFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("The bundled file " + resource + " is missing from the jar.");
            }
            Path temp = Files.createTempFile("nodesizer-", "-" + Path.of(resource).getFileName());
            try {
                Files.copy(in, temp, StandardCopyOption.REPLACE_EXISTING);
                return reader.apply(temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("The bundled file " + resource + " could not be read", e);
        }
    }
}

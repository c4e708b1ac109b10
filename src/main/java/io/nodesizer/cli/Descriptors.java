package io.nodesizer.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a standard stream is connected to, read from its /proc/self/fd link (Linux): a terminal
 * ("/dev/pts/3"), a pipe ("pipe:[123]"), a file. Null where /proc does not say (another system),
 * and callers then keep the behaviour they had without it.
 */
final class Descriptors {
    static final Path STDOUT = Path.of("/proc/self/fd/1");
    static final Path STDERR = Path.of("/proc/self/fd/2");

    private Descriptors() {
    }

    static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return null;
        }
    }

    static boolean isTerminal(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }

    /** A pipe or socket, whose reader may go away (| head): a failed write then means nobody is left to read. */
    static boolean isPipe(String target) {
        return target.startsWith("pipe:") || target.startsWith("socket:");
    }
}

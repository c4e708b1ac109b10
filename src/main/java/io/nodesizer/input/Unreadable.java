package io.nodesizer.input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The input error for a file that could not be read, saying why: the JDK's messages for the usual causes are the path
 * alone ({@code NoSuchFileException}, {@code AccessDeniedException}), which read as no reason at all.
 */
public final class Unreadable {
    private Unreadable() {
    }

    /** "The file could not be read: it does not exist. Maybe check the path." and the like, at {@code file}. */
    public static InputException file(String file, IOException e) {
        if (directory(file)) {
            // The JDK says "Is a directory", which names neither what was expected nor what to give (QA 66b L3).
            return new InputException(SourceLocation.ofFile(file), "Expected a file; found a directory.");
        }
        return new InputException(SourceLocation.ofFile(file), "The file could not be read: " + why(e) + ".");
    }

    /**
     * Why {@code path}, given where a {@code what} (a "usage file") is expected, is none, or null when it is a file or a
     * pipe: "Expected a usage file; found a directory.", or "The usage file does not exist." (a directory was said not to
     * exist, QA 66b L3), with the directory a relative path was looked for in.
     */
    public static String notAFile(Path path, String what) {
        if (Files.isRegularFile(path) || RunInputs.stream(path)) {
            return null;
        }
        if (Files.isDirectory(path)) {
            return "Expected a " + what + "; found a directory.";
        }
        return "The " + what + " does not exist" + lookedIn(path) + ".";
    }

    /**
     * " (relative paths are read from the working directory /tmp/x)" for a relative path, else "": a sweep file's paths
     * are not read from its own directory, which a user keeping inputs beside it expects (QA 66b L7).
     */
    public static String lookedIn(Path path) {
        return path.isAbsolute() ? "" : " (relative paths are read from the working directory "
                + Path.of("").toAbsolutePath() + ")";
    }

    private static boolean directory(String file) {
        try {
            return Files.isDirectory(Path.of(file));
        } catch (java.nio.file.InvalidPathException e) {
            return false; // a display name, not a path
        }
    }

    /** Why {@code e} happened, in words. */
    public static String why(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "it does not exist. Maybe check the path";
            case java.nio.file.AccessDeniedException a -> "permission denied";
            case java.nio.file.FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ').trim();
        };
    }
}

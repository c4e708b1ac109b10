package io.nodesizer.input;

import java.io.IOException;

/**
 * The input error for a file that could not be read, saying why: the JDK's messages for the usual causes are the path
 * alone ({@code NoSuchFileException}, {@code AccessDeniedException}), which read as no reason at all.
 */
public final class Unreadable {
    private Unreadable() {
    }

    /** "The file could not be read: it does not exist. Maybe check the path." and the like, at {@code file}. */
    public static InputException file(String file, IOException e) {
        return new InputException(SourceLocation.ofFile(file), "The file could not be read: " + why(e) + ".");
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

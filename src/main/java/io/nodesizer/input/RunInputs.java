package io.nodesizer.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The inputs of one command run that are no regular file: standard input, a pipe (bash's {@code --pods <(helm template .)}),
 * a FIFO, a device. Each is read once, at most {@link #MAX_BYTES}, into a temporary file, which every reading of it in the
 * run reads instead: readers open a file more than once (to tell its format, to find the line of a fault), and a command
 * may read an input again (windows reads --workload per check draw; a drained pipe then read empty, review 62).
 * <p>
 * The copies belong to the run ({@link #open}, which {@code Main.run} holds around every command), not to the process: a
 * FIFO path or a reused {@code /dev/fd/63} read in a second run in the same JVM (tests, a program embedding the CLI) is
 * read anew, where a process-wide cache gave it the first run's content. A sweep's runs, started inside the sweep's run, take
 * part in it (the threads it starts inherit it): the scenarios' pipe is read once for all of them, as it can be.
 */
public final class RunInputs {
    /** The most read from standard input or a pipe: {@code --pods /dev/zero} filled the disk (review 62). */
    static final long MAX_BYTES = 1L << 30;

    /** The limit in force: {@link #MAX_BYTES}, lowered by tests only, so that the refusal is tested without a gigabyte. */
    static volatile long limit = MAX_BYTES;

    private static final InheritableThreadLocal<RunInputs> CURRENT = new InheritableThreadLocal<>();

    /** The copies made, by what they copy (a pipe's path and inode, or standard input's stream). */
    private final Map<Object, Path> copies = new java.util.HashMap<>();
    private volatile boolean closed;

    private RunInputs() {
    }

    /** One command run's hold on its copies: closing the run that opened them deletes them. */
    public static final class Scope implements AutoCloseable {
        private final RunInputs run;

        private Scope(RunInputs run) {
            this.run = run;
        }

        @Override
        public void close() {
            if (run == null) {
                return; // joined a run that was open already: it ends with that one
            }
            run.closed = true;
            CURRENT.remove();
            synchronized (run.copies) {
                for (Path f : run.copies.values()) {
                    try {
                        Files.deleteIfExists(f);
                    } catch (IOException e) {
                        // left to deleteOnExit
                    }
                }
                run.copies.clear();
            }
        }
    }

    /**
     * Opens a run in this thread and the threads it starts; inside a run still open (a sweep's run of a command, a reader
     * called by a command), joins it.
     */
    public static Scope open() {
        RunInputs current = CURRENT.get();
        if (current != null && !current.closed) {
            return new Scope(null);
        }
        RunInputs run = new RunInputs();
        CURRENT.set(run);
        return new Scope(run);
    }

    /** Whether {@code path} is an existing file that is neither a regular file nor a directory: a pipe, a FIFO, a device. */
    public static boolean stream(Path path) {
        try {
            // One stat, through links (/dev/stdin): every reading of every input file asks this.
            return Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).isOther();
        } catch (IOException | RuntimeException e) {
            return false; // no file (its reader says so), or no path at all
        }
    }

    /**
     * What the input an error names so is, as a message calls it: "standard input", "pipe" (a FIFO, or a process
     * substitution's /dev/fd/N), "character device" (/dev/null, /dev/zero), "block device", "socket", or "file" (a regular
     * file, a directory, none at all). QA 73 F7: {@code --pods /dev/null} read "The pipe is empty"; the README lists devices
     * apart from pipes, and a device that reads empty is no pipe whose command failed.
     */
    public static String kind(String displayName) {
        if (displayName.equals(Inputs.STDIN) || displayName.equals("stdin")) {
            return "standard input";
        }
        Path path;
        try {
            path = Path.of(displayName);
        } catch (java.nio.file.InvalidPathException e) {
            return "file";
        }
        if (!stream(path)) {
            return "file";
        }
        try {
            // The file type bits of st_mode (sys/stat.h: S_IFIFO 010000, S_IFCHR 020000, S_IFBLK 060000, S_IFSOCK 0140000).
            int type = (Integer) Files.getAttribute(path, "unix:mode") & 0170000;
            return switch (type) {
                case 0020000 -> "character device";
                case 0060000 -> "block device";
                case 0140000 -> "socket";
                default -> "pipe";
            };
        } catch (IOException | RuntimeException e) {
            return "pipe"; // no unix view (not POSIX): the stream it is read as
        }
    }

    /**
     * Whether {@code file} (a regular file, or a run's copy of a pipe) holds nothing but white space: read only when it is
     * small, as an empty input is.
     */
    public static boolean blank(Path file) {
        try {
            return Files.isRegularFile(file) && Files.size(file) <= 4096
                    && Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1).isBlank();
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // its reader says what is wrong with it
        }
    }

    /** "The file is empty", "The pipe is empty", "Standard input is empty", …: the start of a message on an input that read nothing. */
    public static String emptyInput(String displayName) {
        String kind = kind(displayName);
        return (kind.equals("standard input") ? "Standard input" : "The " + kind) + " is empty";
    }

    /**
     * What a message found in an input that read nothing, as what it is, with the likely cause (QA 73 F7: /dev/null read
     * "an empty file"; a device has no command that failed): "an empty file (a redirect of a command that failed, …?).".
     */
    public static String emptyInputFound(String displayName) {
        return switch (kind(displayName)) {
            case "file" -> "an empty file (a redirect of a command that failed, or a truncated copy?).";
            case "standard input" -> "empty standard input (did the command writing it fail?).";
            case "pipe" -> "an empty pipe (did the command writing it fail?).";
            case String other -> "an empty " + other + ".";
        };
    }

    /**
     * Whether the input an error names so is standard input or a pipe (a copy of which was read): a message then cannot
     * tell the user to run a command on it, or call it a file.
     */
    public static boolean piped(String displayName) {
        if (displayName.equals(Inputs.STDIN) || displayName.equals("stdin")) {
            return true;
        }
        try {
            return stream(Path.of(displayName));
        } catch (java.nio.file.InvalidPathException e) {
            return false;
        }
    }

    /**
     * What to read for {@code path}: the path itself when it is a regular file, a directory or no file at all (its reader
     * says so), else the run's copy of the pipe or device, made at its first reading.
     *
     * @param display how errors name the input
     */
    public static Path file(Path path, String display) {
        if (!stream(path)) {
            return path;
        }
        Object key;
        try {
            // The pipe itself (its inode), not only its name: /dev/fd/63 names another pipe once the first is closed.
            Object inode = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class).fileKey();
            key = java.util.List.of(path.toAbsolutePath().normalize(), inode == null ? "" : inode);
        } catch (IOException e) {
            throw new InputException(SourceLocation.ofFile(display), "The file could not be read: " + e.getMessage() + ".");
        }
        return copied(key, display, path.getFileName() == null ? "" : path.getFileName().toString(), () -> Files.newInputStream(path));
    }

    /** The run's copy of standard input ({@code -}), read at its first reading. */
    public static Path stdin(String display) {
        InputStream in = System.in; // tests give each run its own
        return copied(in, display, "", () -> new java.io.FilterInputStream(in) {
            @Override
            public void close() {
                // standard input stays open: it is the process's, not this reading's
            }
        });
    }

    private interface Source {
        InputStream open() throws IOException;
    }

    private static Path copied(Object key, String display, String name, Source source) {
        RunInputs run = CURRENT.get();
        if (run == null || run.closed) {
            // Outside a command run (a reader called on its own): a copy for this reading, left to deleteOnExit.
            return copy(display, name, source);
        }
        synchronized (run.copies) {
            Path done = run.copies.get(key);
            if (done == null) {
                done = copy(display, name, source);
                run.copies.put(key, done);
            }
            return done;
        }
    }

    /**
     * Copies the source to a temporary file named with the source's extension, or, without one, {@code .json} when it
     * starts with '{' (kubectl get -o json), so that the readers that tell JSON from YAML by the name read it as JSON.
     */
    private static Path copy(String display, String name, Source source) {
        String extension = name.matches(".*\\.(?i:csv|json|yaml|yml)") ? name.substring(name.lastIndexOf('.')) : "";
        Path f = null;
        try (InputStream in = source.open()) {
            f = Files.createTempFile("nodesizer-input-", extension);
            f.toFile().deleteOnExit();
            copyAtMost(in, f, display, limit);
            if (extension.isEmpty() && firstNonBlank(f) == '{') {
                Path json = Files.move(f, f.resolveSibling(f.getFileName() + ".json"));
                json.toFile().deleteOnExit();
                return json;
            }
            return f;
        } catch (IOException e) {
            delete(f);
            throw new InputException(SourceLocation.ofFile(display), (display.equals(Inputs.STDIN) || display.equals("stdin")
                    ? "Standard input" : "The file") + " could not be read: " + e.getMessage() + ".");
        } catch (RuntimeException e) {
            delete(f); // nothing half-copied stays behind
            throw e;
        }
    }

    private static void delete(Path f) {
        try {
            if (f != null) {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            // left to deleteOnExit
        }
    }

    /** Copies {@code in} to {@code to}, refusing a stream longer than {@code max} bytes. */
    static void copyAtMost(InputStream in, Path to, String display, long max) throws IOException {
        try (java.io.OutputStream out = Files.newOutputStream(to)) {
            byte[] buffer = new byte[1 << 16];
            long total = 0;
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
                if (total > max) {
                    throw new InputException(SourceLocation.ofFile(display), "The input is larger than " + size(max) + ", the most "
                            + "nodesizer reads from standard input or a pipe (a device such as /dev/zero never ends); give a file.");
                }
                out.write(buffer, 0, n);
            }
        }
    }

    private static String size(long bytes) {
        return bytes % (1L << 30) == 0 ? bytes / (1L << 30) + " GiB" : bytes + " bytes";
    }

    /** The first byte of the file that is not white space, or -1. */
    private static int firstNonBlank(Path f) throws IOException {
        try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(f))) {
            int b = in.read();
            // A UTF-8 byte-order mark before it
            if (b == 0xEF && in.read() == 0xBB && in.read() == 0xBF) {
                b = in.read();
            }
            // NULs too: JSON in UTF-16BE or UTF-32 without a mark, or in UTF-16LE after white space, starts with one, and
            // Jackson reads those by their bytes once the copy is named .json (review 63 item 9).
            while (b != -1 && (b == 0 || Character.isWhitespace(b))) {
                b = in.read();
            }
            return b;
        }
    }
}

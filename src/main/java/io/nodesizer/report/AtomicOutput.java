package io.nodesizer.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a file so that readers see either the old content or the whole new content, never a
 * half-written file: the text goes to a temporary file in the same directory, which is then moved
 * over the target in one step. On any failure the temporary file is deleted and the target is left
 * as it was. The temporary file is created like any other new file (mode 0666 less the umask, so
 * 0644 under the usual 022), not with {@link Files#createTempFile}'s private 0600: a report put on
 * a web server or a shared directory must be readable there.
 */
public final class AtomicOutput {
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    private AtomicOutput() {
    }

    public static void write(Path target, String content) throws IOException {
        write(target, out -> out.write(content));
    }

    /** Text written as it is made (a report too large to hold as one string). */
    public interface Text {
        void writeTo(java.io.Writer out) throws IOException;
    }

    /**
     * The file a path names once its symbolic links are followed, the last one even when it dangles:
     * a report written to latest.json -> reports/2026-12-01.json replaces the file the link points
     * to and keeps the link, as writing through it would (the move used to replace the link with a
     * plain file and leave its target as it was). Null for a link into /proc (/dev/stdout ->
     * /proc/self/fd/1): what it names is a descriptor only the kernel can follow.
     */
    public static Path destination(Path target) throws IOException {
        return followLinks(target.toAbsolutePath());
    }

    private static Path followLinks(Path path) throws IOException {
        Path p = inRealDirectory(path);
        for (int hops = 0; !p.startsWith("/proc") && Files.isSymbolicLink(p); hops++) {
            if (hops == 40) {
                throw new IOException(path + ": too many levels of symbolic links");
            }
            Path link = Files.readSymbolicLink(p);
            p = inRealDirectory(p.getParent() == null ? link : p.getParent().resolve(link));
        }
        return p.startsWith("/proc") ? null : p;
    }

    /**
     * {@code p} with its directory's links followed, as the kernel follows them: /dev/fd/1 is
     * /proc/self/fd/1 (/dev/fd links there), and a link's "../x" is taken from the directory it is
     * really in, not by dropping a name from the path (/dev/fd/1 -> pipe:[123] read as /dev/fd/pipe:[123]
     * made a temporary file in /dev/fd and failed: --out /dev/fd/1, bash's --out >(gzip > r.gz)).
     * Unchanged when the directory does not exist (the write then says so).
     */
    private static Path inRealDirectory(Path p) {
        Path dir = p.getParent();
        if (dir == null || p.getFileName() == null || !Files.isDirectory(dir)) {
            return p.normalize();
        }
        try {
            return dir.toRealPath().resolve(p.getFileName());
        } catch (IOException e) {
            return p.normalize();
        }
    }

    /** As {@link #write(Path, String)}, for text written as it is made: the target sees it only whole. */
    public static void write(Path target, Text content) throws IOException {
        try (Staged staged = stage(target, content)) {
            staged.commit();
        }
    }

    /**
     * A file written in full beside its target and not yet moved over it, so that a run's several
     * outputs (the report and its --assignments, --patches, --schedule-out) appear together or not
     * at all: each is staged, and moved into place only once all were written (QA 62 item 1: the
     * side file was written, then the report failed on a full disk, and the run exited 2 with the
     * side file replaced). Closing it deletes what was not committed.
     */
    public static final class Staged implements AutoCloseable {
        private final Path target;
        private final Path temp;
        private final Text direct;

        private Staged(Path target, Path temp, Text direct) {
            this.target = target;
            this.temp = temp;
            this.direct = direct;
        }

        /** Whether committing moves a staged file (false: the text is written to a device or pipe then). */
        public boolean moves() {
            return temp != null;
        }

        /**
         * Moves the file over its target. A device, a pipe or a descriptor cannot be staged (nothing
         * is moved over /dev/stdout), so its text is written to it now, as a shell's > would send it.
         */
        public void commit() throws IOException {
            if (temp == null) {
                try (java.io.Writer out = Files.newBufferedWriter(target, StandardCharsets.UTF_8, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    direct.writeTo(out);
                }
                return;
            }
            try {
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (java.nio.file.FileSystemException e) {
                throw namingTarget(e, target);
            }
        }

        @Override
        public void close() throws IOException {
            if (temp != null) {
                Files.deleteIfExists(temp);
            }
        }
    }

    /** Writes {@code content} to a temporary file beside {@code target}, to be moved over it by {@link Staged#commit}. */
    public static Staged stage(Path target, Text content) throws IOException {
        Path absolute = followLinks(target.toAbsolutePath());
        if (absolute == null || Files.exists(absolute) && !Files.isRegularFile(absolute) && !Files.isDirectory(absolute)) {
            // A device, a named pipe or a descriptor (--out /dev/stdout, a FIFO a dashboard reads).
            return new Staged(target, null, content);
        }
        Path dir = absolute.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new IOException("the directory " + dir + " does not exist");
        }
        if (Files.isDirectory(absolute)) {
            throw new IOException(absolute + " is a directory");
        }
        try {
            return new Staged(absolute, written(absolute, dir, content), null);
        } catch (java.nio.file.FileSystemException e) {
            throw namingTarget(e, absolute);
        }
    }

    /**
     * {@code e} told of the report's file rather than of the temporary one beside it: the user gave
     * r.json, and "could not be written: /dir/.r.json.35co1qu8wvhbj.tmp" names a file they never saw.
     */
    static java.nio.file.FileSystemException namingTarget(java.nio.file.FileSystemException e, Path target) {
        if (e.getFile() == null || !Path.of(e.getFile()).getFileName().toString().endsWith(".tmp")) {
            return e;
        }
        String reason = e.getReason() != null ? e.getReason()
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied in " + target.getParent() : e.getClass().getSimpleName();
        java.nio.file.FileSystemException named = e instanceof java.nio.file.AccessDeniedException
                ? new java.nio.file.AccessDeniedException(target.toString(), null, reason)
                : new java.nio.file.FileSystemException(target.toString(), null, reason);
        named.initCause(e);
        return named;
    }

    /** A new temporary file beside {@code absolute} holding {@code content}; deleted again if the writing fails. */
    private static Path written(Path absolute, Path dir, Text content) throws IOException {
        Path temp = null;
        for (int attempt = 0; temp == null; attempt++) {
            Path candidate = (dir == null ? Path.of("") : dir).resolve("." + absolute.getFileName() + "."
                    + Long.toUnsignedString(RANDOM.nextLong(), 36) + ".tmp");
            try {
                Files.writeString(candidate, "", StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                temp = candidate;
            } catch (FileAlreadyExistsException e) {
                if (attempt > 100) {
                    throw e;
                }
            }
        }
        boolean whole = false;
        try {
            try (java.io.Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                content.writeTo(out); // closing flushes: a full disk fails there too
            }
            whole = true;
        } finally {
            if (!whole) {
                Files.deleteIfExists(temp);
            }
        }
        return temp;
    }
}

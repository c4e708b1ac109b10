package io.nodesizer.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class AtomicOutputTest {

    @Test
    void replacesTheFileWholeAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("report.csv");
        Files.writeString(target, "old");
        AtomicOutput.write(target, "new content");
        assertThat(Files.readString(target)).isEqualTo("new content");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void theReportGetsTheModeOfAnyNewFileNotAPrivateTemporaryOne(@TempDir Path dir) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "skipped: no POSIX permissions here");
        // A plain new file shows what the umask leaves (0644 under the usual 022); the report must match it.
        Path control = dir.resolve("control.txt");
        Files.writeString(control, "x");
        Path target = dir.resolve("report.html");
        AtomicOutput.write(target, "<html></html>");
        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(control))
                .contains(java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    }

    /**
     * A directory the user may not write to failed naming the temporary file ("could not be written:
     * /dir/.r.json.35co1qu8wvhbj.tmp"). As root (the tests' user) the directory's mode does not stop
     * a write, so the renaming is checked on the exception itself.
     */
    @Test
    void aFailureOnTheTemporaryFileNamesTheReportsFile() {
        Path target = Path.of("/reports/r.json");
        var denied = AtomicOutput.namingTarget(new java.nio.file.AccessDeniedException("/reports/.r.json.35co1qu8wvhbj.tmp"), target);
        assertThat(denied).isInstanceOf(java.nio.file.AccessDeniedException.class);
        assertThat(denied.getMessage()).isEqualTo("/reports/r.json: permission denied in /reports");
        var other = new java.nio.file.FileSystemException("/reports/r.json", null, "Read-only file system");
        assertThat(AtomicOutput.namingTarget(other, target)).isSameAs(other);
    }

    @Test
    void aMissingDirectoryFailsWithoutCreatingAnything(@TempDir Path dir) {
        Path target = dir.resolve("missing").resolve("report.csv");
        assertThatThrownBy(() -> AtomicOutput.write(target, "x")).isInstanceOf(IOException.class).hasMessageContaining("does not exist");
        assertThat(Files.exists(target.getParent())).isFalse();
    }

    @Test
    void aFailedMoveLeavesThePreviousFileUntouched(@TempDir Path dir) throws IOException {
        // The target is a non-empty directory: the move over it fails, the old content stays, the temp file is removed.
        Path target = dir.resolve("report");
        Files.createDirectory(target);
        Files.writeString(target.resolve("keep"), "previous");
        assertThatThrownBy(() -> AtomicOutput.write(target, "new")).isInstanceOf(IOException.class);
        assertThat(Files.readString(target.resolve("keep"))).isEqualTo("previous");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactly(target);
        }
    }

    @Test
    void aSymbolicLinkKeepsPointingAtTheReportItNames(@TempDir Path dir) throws IOException {
        // latest.json -> reports/r.json: the move used to replace the link with a plain file and leave r.json stale.
        Path real = Files.createDirectory(dir.resolve("reports")).resolve("r.json");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("latest.json"), Path.of("reports/r.json"));
        AtomicOutput.write(link, "new");
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("new");
        Path dangling = Files.createSymbolicLink(dir.resolve("next.json"), Path.of("reports/next.json"));
        AtomicOutput.write(dangling, "first");
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(Files.readString(dir.resolve("reports/next.json"))).isEqualTo("first");
    }

    @Test
    void aNamedPipeIsWrittenToNotReplaced(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("report.fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "skipped: no mkfifo here");
        var read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        AtomicOutput.write(fifo, "through the pipe");
        assertThat(Files.isRegularFile(fifo)).as("the pipe was replaced by a plain file").isFalse();
        assertThat(read.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo("through the pipe");
    }

    @Test
    void aLinksRelativeTargetIsTakenFromTheDirectoryItIsReallyIn(@TempDir Path dir) throws IOException {
        // out/r.json -> ../reports/r.json, out reached by the link dir/latest -> runs/out: the link names runs/reports/r.json,
        // which the kernel writes through it, not dir/reports/r.json (the path's latest/.. dropped by name).
        Path out = Files.createDirectories(dir.resolve("runs/out"));
        Files.createDirectories(dir.resolve("runs/reports"));
        Files.createDirectories(dir.resolve("reports"));
        Files.createSymbolicLink(out.resolve("r.json"), Path.of("../reports/r.json"));
        Path latest = Files.createSymbolicLink(dir.resolve("latest"), Path.of("runs/out"));
        AtomicOutput.write(latest.resolve("r.json"), "new");
        assertThat(Files.readString(dir.resolve("runs/reports/r.json"))).isEqualTo("new");
        assertThat(dir.resolve("reports/r.json")).doesNotExist();
        assertThat(Files.isSymbolicLink(out.resolve("r.json"))).isTrue();
    }

    @Test
    void aDescriptorReachedThroughALinkedDirectoryIsWrittenTo(@TempDir Path dir) throws Exception {
        // --out /dev/fd/1 (/dev/fd -> /proc/self/fd), bash's --out >(gzip > r.gz) (/dev/fd/63): the descriptor's link
        // (pipe:[123]) was read as a file in /dev/fd, where the temporary file could not be made.
        Path fds = Path.of("/proc/self/fd");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(fds), "skipped: no /proc here");
        java.util.Set<Path> before;
        try (var s = Files.list(fds)) {
            before = s.map(Path::getFileName).collect(java.util.stream.Collectors.toSet());
        }
        // cat's standard input and output are pipes of this process: what is written to either comes back on its output.
        Process cat = new ProcessBuilder("cat").redirectErrorStream(true).start();
        try {
            Path fd;
            try (var s = Files.list(fds)) {
                fd = s.map(Path::getFileName).filter(n -> !before.contains(n))
                        .filter(n -> target(fds.resolve(n)).startsWith("pipe:")).findFirst().orElseThrow();
            }
            Path devFd = Files.createSymbolicLink(dir.resolve("fd"), fds);
            AtomicOutput.write(devFd.resolve(fd), "through the descriptor");
            cat.getOutputStream().close();
            assertThat(new String(cat.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8))
                    .isEqualTo("through the descriptor");
        } finally {
            cat.destroy();
        }
    }

    private static String target(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "";
        }
    }
}

package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

final class ProgressBarTest {
    @TempDir
    Path dir;

    @Test
    void standardErrorOnATerminalDrawsTheBarWhateverStandardOutputIs() throws Exception {
        // `nodesizer recommend … > report.json` at a terminal: System.console() is null (stdout is a file), stderr is the pty.
        Path fd = Files.createSymbolicLink(dir.resolve("2"), Path.of("/dev/pts/3"));
        assertThat(ProgressBar.isTerminal(fd, false)).isTrue();
    }

    @Test
    void standardErrorRedirectedToALogDrawsNoBarEvenWithAConsole() throws Exception {
        // `nodesizer recommend … 2> run.log` at a terminal: System.console() is not null, but the frames would fill the log.
        Path fd = Files.createSymbolicLink(dir.resolve("2"), dir.resolve("run.log"));
        assertThat(ProgressBar.isTerminal(fd, true)).isFalse();
    }

    @Test
    void standardErrorPipedDrawsNoBar() throws Exception {
        Path fd = Files.createSymbolicLink(dir.resolve("2"), Path.of("pipe:[123456]"));
        assertThat(ProgressBar.isTerminal(fd, true)).isFalse();
    }

    @Test
    void withoutProcTheConsoleDecides() {
        assertThat(ProgressBar.isTerminal(dir.resolve("missing"), true)).isTrue();
        assertThat(ProgressBar.isTerminal(dir.resolve("missing"), false)).isFalse();
    }
}

package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

final class ProgressBarTest {
    @TempDir
    Path dir;

    /** A total that shrinks (consolidate learns its plans' count late) must not leave a digit of a wider frame behind. */
    @Test
    void aShorterFrameCoversTheWiderOneBeforeIt() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        ProgressBar bar = new ProgressBar(new java.io.PrintWriter(out), "plan");
        Thread.sleep(320); // the bar waits 0.3 s before its first frame
        bar.progress(50, 100);
        bar.progress(9, 10);
        String[] frames = out.toString().split("\r", -1);
        assertThat(frames[1]).endsWith("50/100");
        assertThat(frames[2]).hasSameSizeAs(frames[1]).startsWith("plan [").contains("9/10 ");
        bar.progress(10, 10);
        String all = out.toString();
        assertThat(all).endsWith("\r" + " ".repeat(frames[1].length()) + "\r");
    }

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

    @Test
    void theLastFrameIsClearedWholeHoweverLongItsCounts() {
        java.io.StringWriter out = new java.io.StringWriter();
        new ProgressBar(new java.io.PrintWriter(out), "sweeping").progress(123_456, 123_456);
        String[] frames = out.toString().split("\r", -1); // "", the bar, the blanks, ""
        assertThat(frames[1]).endsWith("] 123456/123456");
        assertThat(frames[2]).isBlank().hasSameSizeAs(frames[1]);
    }

    @Test
    void onlyPagesOfPackingsSayEveryPackingReportsItsBound() {
        String replay = CliRunner.run("replay", "--workload", "workloads/shop.csv", "--node", "cpu=4,memory=16Gi", "--duration", "1h",
                "-o", "html", "--quiet").out();
        assertThat(replay).contains("Prices: see the catalog NOTICE.</small>").doesNotContain("lower bound.</small>");
        String pack = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "cpu=4,memory=16Gi", "-o", "html", "--quiet").out();
        assertThat(pack).contains("every packing is verified and reports its lower bound.</small>");
    }
}

package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A run's side files (--assignments, --patches, --schedule-out) are created or replaced only when
 * its report was written too (QA 62 item 1: they were written first, then --out /dev/full failed
 * and the run exited 2 with the side file in place).
 */
final class SideFilesTogetherCliTest {
    @TempDir
    Path dir;

    /** Runs the command with the side file and its report to /dev/full: exit 2, for the report alone. */
    private void failingReport(String option, Path side, String... command) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(List.of(option, side.toString(), "--out", "/dev/full", "--quiet", "--reproducible"));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("/dev/full: The --out file could not be written: No space left on device");
    }

    private void leftOnlyThePrevious() throws Exception {
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).as("no side file, no temporary file").containsExactly(dir.resolve("previous"));
        }
    }

    @Test
    void packLeavesNoAssignmentsWhenTheReportCannotBeWritten() throws Exception {
        Files.writeString(dir.resolve("previous"), "kept");
        Path side = dir.resolve("a.csv");
        failingReport("--assignments", side, "pack", "--pods", "workloads/shop.csv", "--node", "cpu=8,memory=32Gi");
        leftOnlyThePrevious();
    }

    @Test
    void aSideFileThatExistsIsNotReplaced() throws Exception {
        Path side = dir.resolve("previous");
        Files.writeString(side, "kept");
        failingReport("--assignments", side, "recommend", "--pods", "workloads/shop.csv", "--catalog", "aws", "--families", "m5");
        assertThat(Files.readString(side)).isEqualTo("kept");
        leftOnlyThePrevious();
    }

    @Test
    void rightsizeAndWindowsLeaveNoSideFileEither() throws Exception {
        Files.writeString(dir.resolve("previous"), "kept");
        failingReport("--patches", dir.resolve("p.sh"), "rightsize", "--pods", "workloads/rightsize/shop.yaml",
                "--usage", "workloads/rightsize/usage.csv");
        failingReport("--schedule-out", dir.resolve("s.yaml"), "windows", "--workload", "workloads/shop.csv",
                "--synthetic", "diurnal", "--node", "aws:m5.2xlarge", "--pending-slo", "2m", "--min-nodes", "1", "--max-nodes", "40");
        leftOnlyThePrevious();
    }

    @Test
    void withAWritableReportTheSideFileIsWritten() throws Exception {
        Path side = dir.resolve("a.csv");
        CliRunner r = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "cpu=8,memory=32Gi", "--assignments", side.toString(),
                "--out", dir.resolve("r.txt").toString(), "--quiet");
        assertThat(r.exitCode()).isEqualTo(0);
        assertThat(Files.readString(side)).startsWith("pod,node");
        assertThat(dir.resolve("r.txt")).exists();
    }

    /** QA 62 item 7: --out - wrote a file named '-'; it is standard output, as --pods - is standard input. */
    @Test
    void outDashIsStandardOutput() throws Exception {
        Path side = dir.resolve("a.csv");
        CliRunner r = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "cpu=8,memory=32Gi", "--out", "-", "-o", "json",
                "--assignments", side.toString(), "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("{").contains("\"command\" : \"pack\"");
        assertThat(Path.of("-")).doesNotExist();
        assertThat(side).exists();
        // Only --out: a side file there would mix into the report (review 62: --assignments - wrote a file named '-').
        CliRunner dash = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "cpu=8,memory=32Gi", "--assignments", "-", "--quiet");
        assertThat(dash.exitCode()).isEqualTo(2);
        assertThat(dash.err()).contains("--assignments - would write to standard output, which carries the report; give a file");
        assertThat(dash.out()).isEmpty();
        assertThat(Path.of("-")).doesNotExist();
    }
}

package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fixer 73c's leftover: {@code windows --schedule /dev/null} said "The schedule must be one YAML or JSON document; found 0".
 * An empty schedule file (or one of comments only) is named as empty with what was expected; several documents say how
 * many, and {@code windows: []} (what windows writes when no window pays) stays a schedule of none.
 */
class EmptyScheduleFileCliTest {
    /** After "file: The file is empty" or "/dev/null: The character device is empty", as every input names it (review 74b #10). */
    private static final String EXPECTED = " is empty (no schedule: no YAML or JSON, only blank lines or comments); expected a "
            + "list of windows (days, from, to, min, max), or a mapping with such a list under windows: as windows --schedule-out "
            + "writes it (windows: [] for none).";

    @Test
    void windowsOnDevNullNamesTheFileAndWhatWasExpected() {
        CliRunner r = CliRunner.run("windows", "--workload", "workloads/shop.csv", "--node", "aws:m5.xlarge", "--schedule", "/dev/null",
                "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().trim()).isEqualTo("nodesizer: /dev/null: The character device" + EXPECTED);
    }

    @Test
    void aReplaysScheduleOfCommentsOnlyIsEmptyAndTwoDocumentsAreCounted(@TempDir Path dir) throws Exception {
        Path comments = Files.writeString(dir.resolve("comments.yaml"), "\n# planned later\n\n");
        CliRunner r = replay(comments);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err().trim()).isEqualTo("nodesizer: " + comments + ": The file" + EXPECTED);
        Path two = Files.writeString(dir.resolve("two.yaml"), "- {days: Mon, from: \"07:00\", to: \"09:00\", min: 2}\n---\n"
                + "- {days: Tue, from: \"07:00\", to: \"09:00\", min: 2}\n");
        CliRunner twice = replay(two);
        assertThat(twice.exitCode()).isEqualTo(2);
        assertThat(twice.err().trim()).isEqualTo("nodesizer: " + two + ": The schedule must be one YAML or JSON document; found 2 "
                + "(separated by ---): give one list of windows.");
        Path none = Files.writeString(dir.resolve("none.yaml"), "windows: []\n");
        assertThat(replay(none).exitCode()).as("windows: [] replays as Cluster Autoscaler alone").isZero();
    }

    private static CliRunner replay(Path schedule) {
        return CliRunner.run("replay", "--workload", "workloads/shop.csv", "--node", "aws:m5.xlarge", "--duration", "2h",
                "--autoscaler", "scheduled", "--schedule", schedule.toString(), "--quiet");
    }
}

package io.nodesizer.replay.demand;

import io.nodesizer.input.InputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * QA 73b F4: a --start inside a demand file replays it from the start, the earlier rows setting the levels in force then
 * (it exited 2 at the file's first row), and relative rows keep counting from the file's own first time.
 */
class DemandHeadCutTest {
    private static final Instant T0 = Instant.parse("2026-01-05T00:00:00Z");

    private static DemandCsvReader.DemandFile read(Path dir, String rows, Instant start, Long duration) throws Exception {
        Path file = dir.resolve("d.csv");
        Files.writeString(file, "time,workload,replicas\n" + rows);
        return new DemandCsvReader().readFile(file, "d.csv", Set.of("web", "api", "batch"), start, duration);
    }

    @Test
    void theRowsBeforeTheStartSetTheLevelInForceAtIt(@TempDir Path dir) throws Exception {
        String rows = """
                2026-01-05T00:00Z,web,3
                2026-01-05T00:00Z,api,4
                2026-01-05T01:00Z,web,5
                2026-01-05T02:00Z,api,6
                2026-01-05T03:00Z,web,2
                2026-01-05T04:00Z,batch,1
                """;
        DemandCsvReader.DemandFile f = read(dir, rows, T0.plusSeconds(2 * 3600), null);
        DemandSeries s = f.series();
        assertThat(s.origin()).isEqualTo(T0.plusSeconds(2 * 3600));
        // web: 5 from 01:00 is in force at 02:00, then 2 at 03:00.
        assertThat(s.steps().get("web").times()).containsExactly(0, 3600);
        assertThat(s.steps().get("web").replicas()).containsExactly(5, 2);
        // api: its row at the start itself wins over the earlier 4.
        assertThat(s.steps().get("api").times()).containsExactly(0);
        assertThat(s.steps().get("api").replicas()).containsExactly(6);
        // batch begins after the start, as before: no step at 0 (the caller warns and runs the profile's until then).
        assertThat(s.steps().get("batch").times()).containsExactly(7200);
        assertThat(f.rowsBeforeStart()).isEqualTo(3);
        assertThat(f.firstTime()).isEqualTo(T0);
        // The end is still one sampling interval after the last row: 05:00, 3 h after the start.
        assertThat(s.horizon()).isEqualTo(3 * 3600);
    }

    /** The bundled demand's form: one absolute row, then +1h, +2h…, counted from that row whatever --start says. */
    @Test
    void relativeRowsCountFromTheFilesFirstTime(@TempDir Path dir) throws Exception {
        String rows = "2026-01-05T00:00Z,web,3\n+1h,web,5\n+3h,web,2\n";
        DemandSeries cut = read(dir, rows, T0.plusSeconds(2 * 3600), null).series();
        assertThat(cut.steps().get("web").times()).containsExactly(0, 3600);
        assertThat(cut.steps().get("web").replicas()).containsExactly(5, 2);
        // A start before the file: the rows keep their times (+1h was counted from --start, out of order after 00:00).
        DemandSeries early = read(dir, rows, T0.minusSeconds(3600), null).series();
        assertThat(early.steps().get("web").times()).containsExactly(3600, 7200, 4 * 3600);
        // Without --start nothing changes: the file's first time is the start.
        DemandSeries own = read(dir, rows, null, null).series();
        assertThat(own.origin()).isEqualTo(T0);
        assertThat(own.steps().get("web").times()).containsExactly(0, 3600, 3 * 3600);
        // A file of relative times only counts from the run's start.
        DemandSeries relative = read(dir, "+0m,web,3\n+1h,web,5\n", T0.plusSeconds(7200), null).series();
        assertThat(relative.steps().get("web").times()).containsExactly(0, 3600);
    }

    @Test
    void aStartAfterTheFilesEndNeedsADuration(@TempDir Path dir) throws Exception {
        String rows = "2026-01-05T00:00Z,web,3\n2026-01-05T01:00Z,web,5\n";
        assertThatThrownBy(() -> read(dir, rows, T0.plusSeconds(3 * 3600), null)).isInstanceOf(InputException.class)
                .hasMessageContaining("d.csv:3")
                .hasMessageContaining("The file ends at 2026-01-05T02:00:00Z (its last row, one sampling interval after), at or before the "
                        + "run's start (2026-01-05T03:00:00Z, --start); give --duration to replay the levels its rows set from the start, or a "
                        + "--start within the file (2026-01-05T00:00:00Z to 2026-01-05T02:00:00Z).");
        DemandSeries held = read(dir, rows, T0.plusSeconds(3 * 3600), 3600L).series();
        assertThat(held.steps().get("web").times()).containsExactly(0);
        assertThat(held.steps().get("web").replicas()).containsExactly(5);
    }

    @Test
    void rowsOutOfOrderBeforeTheStartAreStillRefused(@TempDir Path dir) {
        String rows = "2026-01-05T01:00Z,web,3\n2026-01-05T00:30Z,web,5\n2026-01-05T03:00Z,web,2\n";
        assertThatThrownBy(() -> read(dir, rows, T0.plusSeconds(2 * 3600), null)).isInstanceOf(InputException.class)
                .hasMessageContaining("d.csv:3").hasMessageContaining("is before the previous row's (line 2); rows must be in time order.");
    }

    /** Review 74b #7: relative rows before the first absolute one count from it; the order error says so. */
    @Test
    void aRelativeRowBeforeTheFirstAbsoluteOneSaysWhereItCountsFrom(@TempDir Path dir) {
        String rows = "+0h,web,3\n+1h,web,5\n2026-01-05T02:00Z,web,2\n";
        assertThatThrownBy(() -> read(dir, rows, T0, null)).isInstanceOf(InputException.class).hasMessageContaining("d.csv:4")
                .hasMessageContaining("rows must be in time order (relative times count from the file's earliest absolute time, "
                        + "2026-01-05T02:00:00Z).");
    }
}

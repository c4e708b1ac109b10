package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** QA 65b F8: windows names the user's windows whose minimum rises at their start ({@code WindowPlanner.unwarmedStarts}). */
class WindowsLeadCliTest {
    @TempDir
    Path dir;

    /**
     * A demand jumping from 4 to 80 pods at Mon 12:00 and Tue 00:00. With windows from Mon 11:00 (ahead of the jump), Mon
     * 23:00 (at the floor) and Tue 00:00, scheduled+ca misses a 1m SLO and the notes name the one window that rises as its pods
     * arrive, Tue 00:00-03:00: not the one an hour ahead of its jump, nor the one at the floor (QA 65b F8's case).
     */
    @Test
    void windowsNamesTheUsersWindowThatRisesAsItsPodsArrive() throws Exception {
        List<String> notes = notes("Mon 11:00-15:00");
        assertThat(notes).filteredOn(n -> n.startsWith("the window ")).extracting(n -> n.substring(0, n.indexOf(" raises")))
                .containsExactly("the window Tue 00:00-03:00");
    }

    /** With Mon 12:00-15:00 no window lessens the slow pods, so none is planned: the note says the likely reason. */
    @Test
    void whereNoWindowHelpsTheNoteSaysWindowsHaveNoLead() throws Exception {
        assertThat(notes("Mon 12:00-15:00")).anyMatch(n -> n.startsWith("no window of yours lessened the pods over the SLO: each is "
                + "replayed from its start, with no lead") && n.endsWith("start your windows 10 min before the demand rises"));
    }

    private List<String> notes(String window) throws Exception {
        Path workload = Files.writeString(dir.resolve("w.csv"), "name,cpu,memory,replicas\nstorefront,1,2Gi,4\n");
        Path demand = Files.writeString(dir.resolve("d.csv"), """
                time,workload,replicas
                2026-01-05T00:00Z,storefront,4
                2026-01-05T12:00Z,storefront,80
                2026-01-05T14:00Z,storefront,4
                2026-01-06T00:00Z,storefront,80
                2026-01-06T02:00Z,storefront,4
                2026-01-06T04:00Z,storefront,4
                """);
        CliRunner r = CliRunner.run("windows", "--workload", workload.toString(), "--demand", demand.toString(), "--node", "aws:m5.2xlarge",
                "--pending-slo", "1m", "--min-nodes", "1", "--max-nodes", "30", "--window", window, "--window", "Mon 23:00-24:00",
                "--window", "Tue 00:00-03:00", "--check-draws", "0", "--quiet", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        assertThat(json.at("/alternatives/2/meetsPendingSlo").asBoolean(true)).isFalse();
        List<String> notes = new java.util.ArrayList<>();
        json.get("notes").forEach(n -> notes.add(n.asText()));
        return notes;
    }
}

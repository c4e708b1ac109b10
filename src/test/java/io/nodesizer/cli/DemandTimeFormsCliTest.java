package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 73b F5: a --demand file's header names in any case, and its times as rightsize --usage reads them (Unix seconds or
 * milliseconds) or with a space for the T, as exports write them: each replays as the ISO form does.
 */
class DemandTimeFormsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** 2026-01-05T00:00Z and 10 minutes and 2 hours later: Monday 00:00 UTC, the default start. */
    private static final String[][] FORMS = {
        {"time,workload,replicas", "2026-01-05T00:00Z", "2026-01-05T00:10Z", "2026-01-05T02:00Z"},
        {"Time,Workload,Replicas", "2026-01-05T00:00Z", "+10m", "+2h"},
        {"TIME,workload,Replicas", "1767571200", "1767571800", "1767578400"},
        {"time,workload,replicas", "1767571200000", "1767571800000", "1767578400000"},
        {"time,workload,replicas", "2026-01-05 00:00", "2026-01-05 00:10", "2026-01-05 02:00"},
    };

    private static JsonNode replay(Path dir, String[] form) throws Exception {
        Path profile = dir.resolve("p.csv");
        Files.writeString(profile, "name,cpu,memory,replicas\nx,1,1Gi,2\n");
        Path demand = dir.resolve("d.csv");
        Files.writeString(demand, form[0] + "\n" + form[1] + ",x,3\n" + form[2] + ",x,2\n" + form[3] + ",x,5\n");
        CliRunner r = CliRunner.run("replay", "--workload", profile.toString(), "--demand", demand.toString(), "--node",
                "cpu=4,memory=16Gi,pods=110,price=1", "--overhead", "none", "-o", "json", "--quiet", "--reproducible");
        assertThat(r.exitCode()).as(String.join(" ", form) + ": " + r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void everyFormReplaysAsTheIsoOne(@TempDir Path dir) throws Exception {
        JsonNode iso = replay(dir, FORMS[0]);
        assertThat(iso.get("start").asText()).isEqualTo("2026-01-05T00:00:00Z");
        assertThat(iso.get("durationSeconds").asLong()).isEqualTo(2 * 3600 + 110 * 60);
        for (int i = 1; i < FORMS.length; i++) {
            JsonNode other = replay(dir, FORMS[i]);
            assertThat(other.get("start").asText()).as(FORMS[i][1]).isEqualTo("2026-01-05T00:00:00Z");
            assertThat(other.get("durationSeconds").asLong()).as(FORMS[i][1]).isEqualTo(iso.get("durationSeconds").asLong());
            assertThat(other.get("podsArrived").asInt()).as(FORMS[i][1]).isEqualTo(iso.get("podsArrived").asInt());
            assertThat(other.get("nodeHours").asDouble()).as(FORMS[i][1]).isEqualTo(iso.get("nodeHours").asDouble());
        }
    }

    /** A small number is far likelier seconds from the start written without its +: refused, saying how to write either. */
    @ParameterizedTest
    @ValueSource(strings = {"3600", "0"})
    void aUnixTimeBefore2001IsRefused(String time, @TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.csv"), "name,cpu,memory,replicas\nx,1,1Gi,2\n");
        Files.writeString(dir.resolve("d.csv"), "time,workload,replicas\n" + time + ",x,3\n");
        CliRunner r = CliRunner.run("replay", "--workload", dir.resolve("p.csv").toString(), "--demand", dir.resolve("d.csv").toString(),
                "--node", "cpu=4,memory=16Gi,pods=110,price=1", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("d.csv:2: The time (" + time + ") is Unix time before 2001-09-09; for a relative time "
                + "write it as +" + time + "s, or give Unix seconds such as 1767571200.").doesNotContain("Exception");
        // Review 74 #5: --start takes no relative time, so its message suggests none.
        r = CliRunner.run("replay", "--workload", dir.resolve("p.csv").toString(), "--node", "cpu=4,memory=16Gi,pods=110,price=1",
                "--start", time, "--duration", "1h", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("The start (" + time + ") is Unix time before 2001-09-09; give Unix seconds such as 1767571200 "
                + "or an ISO-8601 time such as 2026-11-27T08:00.").doesNotContain("+" + time + "s").doesNotContain("Exception");
        r = CliRunner.run("replay", "--workload", dir.resolve("p.csv").toString(), "--node", "cpu=4,memory=16Gi,pods=110,price=1",
                "--start", "+" + time + "s", "--duration", "1h", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("must be an ISO-8601 time").doesNotContain("relative time").doesNotContain("Exception");
    }

    @Test
    void aColumnTwiceInTwoCasesIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("p.csv"), "name,cpu,memory,replicas\nx,1,1Gi,2\n");
        Files.writeString(dir.resolve("d.csv"), "time,workload,Time,replicas\n+0m,x,+0m,3\n");
        CliRunner r = CliRunner.run("replay", "--workload", dir.resolve("p.csv").toString(), "--demand", dir.resolve("d.csv").toString(),
                "--node", "cpu=4,memory=16Gi,pods=110,price=1", "--quiet");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("d.csv:1: The columns time and Time of the header are both time; expected time,workload,replicas "
                + "once each.");
    }
}

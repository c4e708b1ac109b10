package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 73b F4: replay --start inside a --demand file replays it from the start, the rows before it setting the levels in
 * force then, and the inputs line counts them; it exited 2 at the file's first row ("before the run's start").
 */
class DemandStartCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode replay(String... args) throws Exception {
        CliRunner r = CliRunner.run(CliRunner.concat(args, "-o", "json", "--quiet", "--reproducible"));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    /** A file cut by --start replays as the file holding only the level at the start and the rows after it. */
    @Test
    void aCutFileReplaysAsTheFileFromTheStart(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("p.csv");
        Files.writeString(profile, "name,cpu,memory,replicas\nweb,1,1Gi,2\napi,2,2Gi,1\n");
        Path whole = dir.resolve("whole.csv");
        Files.writeString(whole, "time,workload,replicas\n2026-01-05T00:00Z,web,3\n2026-01-05T00:00Z,api,1\n+1h,web,9\n+90m,api,4\n"
                + "+3h,web,2\n+4h,web,4\n");
        Path fromTwo = dir.resolve("from-two.csv");
        Files.writeString(fromTwo, "time,workload,replicas\n2026-01-05T02:00Z,web,9\n2026-01-05T02:00Z,api,4\n+1h,web,2\n+2h,web,4\n");
        String[] base = {"replay", "--workload", profile.toString(), "--node", "cpu=4,memory=16Gi,pods=110,price=1", "--overhead", "none"};
        JsonNode cut = replay(CliRunner.concat(base, "--demand", whole.toString(), "--start", "2026-01-05T02:00Z"));
        JsonNode own = replay(CliRunner.concat(base, "--demand", fromTwo.toString()));
        assertThat(cut.get("start").asText()).isEqualTo("2026-01-05T02:00:00Z");
        assertThat(cut.get("inputs").asText()).endsWith("(4 rows before the start, from 2026-01-05T00:00:00Z, only set the levels in "
                + "force at it)");
        for (String field : new String[] {"durationSeconds", "podsArrived", "nodeHours", "costTotal", "peakNodes", "scaleUps", "scaleDowns"}) {
            assertThat(cut.get(field)).as(field).isEqualTo(own.get(field));
        }
        // 9 web pods of 1 CPU and 4 api pods of 2 CPU at the start: 17 CPUs, 5 nodes of 4 (not the 3 web and 1 api of 00:00).
        assertThat(cut.get("initialNodes").asInt()).isEqualTo(5);
    }

    /** The bundled shop demand from Friday 06:00: the sale day's rows from there, the start's levels those of 06:00. */
    @Test
    void theBundledDemandFromFridayMorning() throws Exception {
        String[] base = {"replay", "--workload", "workloads/shop.csv", "--demand", "workloads/shop-demand.csv", "--node", "aws:m5.2xlarge"};
        JsonNode friday = replay(CliRunner.concat(base, "--start", "2026-11-27T06:00Z"));
        assertThat(friday.get("durationSeconds").asLong()).isEqualTo(42 * 3600); // the file ends at +72h
        assertThat(friday.get("inputs").asText()).contains("(240 rows before the start, from 2026-11-26T00:00:00Z");
        // The same instant given as a time of day in another zone's clock is the same run.
        JsonNode berlin = replay(CliRunner.concat(base, "--start", "2026-11-27T07:00", "--time-zone", "Europe/Berlin"));
        assertThat(berlin.get("costTotal")).isEqualTo(friday.get("costTotal"));
        // The whole file runs 72 h and costs more than its last 42 h.
        JsonNode whole = replay(base);
        assertThat(whole.get("durationSeconds").asLong()).isEqualTo(72 * 3600);
        assertThat(whole.get("costTotal").asDouble()).isGreaterThan(friday.get("costTotal").asDouble());
        assertThat(whole.get("inputs").asText()).doesNotContain("before the start");
    }

    @Test
    void aStartAfterTheFileExitsTwoUnlessADurationIsGiven(@TempDir Path dir) throws Exception {
        Path profile = dir.resolve("p.csv");
        Files.writeString(profile, "name,cpu,memory,replicas\nweb,1,1Gi,2\n");
        Path demand = dir.resolve("d.csv");
        Files.writeString(demand, "time,workload,replicas\n2026-01-05T00:00Z,web,3\n+1h,web,5\n");
        String[] base = {"replay", "--workload", profile.toString(), "--demand", demand.toString(), "--node",
            "cpu=4,memory=16Gi,pods=110,price=1", "--overhead", "none", "--start", "2026-01-06T00:00Z"};
        CliRunner late = CliRunner.run(base);
        assertThat(late.exitCode()).isEqualTo(2);
        assertThat(late.err()).contains("d.csv:3: The file ends at 2026-01-05T02:00:00Z").contains("give --duration")
                .doesNotContain("Exception");
        JsonNode held = replay(CliRunner.concat(base, "--duration", "2h"));
        assertThat(held.get("podsArrived").asInt()).isEqualTo(5); // the last row's 5, from the start
        assertThat(held.get("nodeHours").asDouble()).isEqualTo(4.0);
    }
}

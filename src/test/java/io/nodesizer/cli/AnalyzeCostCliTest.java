package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** analyze's JSON gives the month's cost the table prints, and null when a price is unknown (QA finding 15). */
final class AnalyzeCostCliTest {
    private static final String SNAPSHOT = "workloads/snapshot/cluster.json";

    @TempDir
    Path dir;

    @Test
    void costPerMonthIsTheTablesMonth() throws Exception {
        CliRunner r = CliRunner.run("analyze", "--snapshot", SNAPSHOT, "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        // Two m5.xlarge at $0.192/h and an r5.large at $0.126/h: $0.51/h × 730 h = $372.30 a month.
        assertThat(root.get("costPerHour").asDouble()).isEqualTo(0.51);
        assertThat(root.get("costPerMonth").asDouble()).isEqualTo(372.3);
        assertThat(CliRunner.run("analyze", "--snapshot", SNAPSHOT).out()).contains("$0.51/h, $372.30/month");
    }

    @Test
    void anUnpricedNodeMakesTheMonthNull() throws Exception {
        Path snapshot = dir.resolve("unknown.json");
        Files.writeString(snapshot, Files.readString(Path.of(SNAPSHOT)).replaceFirst("\"m5\\.xlarge\"", "\"custom.unknown\""));
        CliRunner r = CliRunner.run("analyze", "--snapshot", snapshot.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("costPerHour").isNull()).isTrue();
        assertThat(root.has("costPerMonth")).isTrue();
        assertThat(root.get("costPerMonth").isNull()).isTrue();
    }
}

package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The verdicts of {@code recommend} when every shape leaves the same pods out. */
final class RecommendVerdictCliTest {
    @TempDir
    Path dir;

    /**
     * A pod pinned to a zone that none of --zones names is unschedulable on every shape. The small
     * class "wins" with those pods left out; the other classes, which leave exactly the same pods out,
     * must be compared on cost too, not dismissed as "no shape in this class can place the workload"
     * (which the winner cannot either).
     */
    @Test
    void classesThatLeaveOutTheSamePodsAsTheWinnerAreComparedOnCost() throws Exception {
        Path w = dir.resolve("w.csv");
        Files.writeString(w, """
                name,cpu,memory,replicas,selector
                web,1,2Gi,12,
                pinned,500m,1Gi,2,topology.kubernetes.io/zone=us-east-1a
                """);
        CliRunner r = CliRunner.run("recommend", "--pods", w.toString(), "--node", "cpu=4,memory=16Gi,price=0.2",
                "--node", "cpu=16,memory=64Gi,price=0.9", "--zones", "eu-west-1a,eu-west-1b", "--overhead", "none",
                "--quiet", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode verdict = new ObjectMapper().readTree(r.out()).get("verdicts").get("fewerLargerVsManySmaller");
        String reasons = verdict.get("reasons").toString();
        assertThat(reasons).contains("small wins with custom-4c-16g").contains("2 pods unschedulable");
        assertThat(reasons).doesNotContain("no shape in this class can place the workload");
        assertThat(reasons).contains("medium (best custom-16c-64g");
    }
}

package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hard hostname spread with minDomains m: while fewer than m nodes are eligible, kube-scheduler
 * takes the fewest as 0, so each node holds at most maxSkew of the pods. A packing on n nodes thus
 * has n ≥ m or n ≥ ⌈replicas ÷ maxSkew⌉: the lower bound is at least the smaller of the two. Before,
 * 10 replicas (maxSkew 1, minDomains 20) packed on 10 nodes, the optimum, against a bound of 1 (gap
 * 900 %, and the optimizer ran to close a gap that is not there).
 */
final class MinDomainsBoundCliTest {
    @TempDir
    Path dir;

    @Test
    void theBoundCountsTheNodesMinDomainsForces() throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, Deployments.deployment("api", 10, """
                topologySpreadConstraints:
                - maxSkew: 1
                  minDomains: 20
                  topologyKey: kubernetes.io/hostname
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: {matchLabels: {app: api}}
                """, "500m", "1Gi"));
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi", "--overhead", "none", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("nodes").asInt()).isEqualTo(10);
        assertThat(j.get("lowerBound").asInt()).isEqualTo(10);
        // minDomains 4: four nodes of 10 pods spread 3/3/2/2 are allowed, so the bound is 4 (capacity alone: 1)
        Files.writeString(m, Files.readString(m).replace("minDomains: 20", "minDomains: 4"));
        JsonNode four = new ObjectMapper().readTree(CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi",
                "--overhead", "none", "-o", "json").out());
        assertThat(four.get("lowerBound").asInt()).isEqualTo(4);
        assertThat(four.get("nodes").asInt()).isEqualTo(4);
    }
}

package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * A shape sized up for HA (the default two nodes per pool) reports its utilisation over every node,
 * each with its DaemonSet pods: the DaemonSet controller starts them on the spare node too. Before,
 * the spare's allocatable counted and its DaemonSet pods did not (14.0 % here, not 15.3 %).
 */
final class HaUtilisationCliTest {
    @Test
    void theSpareNodeRunsItsDaemonSetPodsToo(@TempDir Path dir) throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent, namespace: ops}
                spec:
                  selector: {matchLabels: {app: agent}}
                  template:
                    metadata: {labels: {app: agent}}
                    spec:
                      containers: [{name: a, image: x, resources: {requests: {cpu: 100m, memory: 256Mi}}}]
                ---
                apiVersion: v1
                kind: Pod
                metadata: {name: one}
                spec:
                  containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]
                """);
        CliRunner r = CliRunner.run("recommend", "--pods", m.toString(), "--families", "m5", "--strategies", "ffd", "-o", "json", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode xlarge = null;
        for (JsonNode s : new ObjectMapper().readTree(r.out()).get("shapes")) {
            if (s.get("shape").get("name").asText().equals("m5.xlarge")) {
                xlarge = s;
            }
        }
        assertThat(xlarge).isNotNull();
        assertThat(xlarge.get("nodes").asInt()).isEqualTo(2);
        assertThat(xlarge.get("packedNodes").asInt()).isEqualTo(1);
        long cpu = xlarge.get("shape").get("allocatable").get("cpuMillis").asLong();
        long memory = xlarge.get("shape").get("allocatable").get("memoryBytes").asLong();
        assertThat(xlarge.get("utilization").get("cpu").asDouble()).isCloseTo((1000 + 2 * 100) / (2.0 * cpu), within(1e-4));
        assertThat(xlarge.get("utilization").get("memory").asDouble()).isCloseTo(((1L << 30) + 2 * (256L << 20)) / (2.0 * memory),
                within(1e-4));
    }
}

package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 62b F9 and F14: a snapshot of nodes alone (kubectl get nodes -o json without the pods) made consolidate remove every
 * node, a 100 % saving, and analyze say nothing pends (exit 2 before any work); --reproducible with --timestamp gave output
 * that differs per run without a word (a warning now).
 */
class SnapshotWithoutPodsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aSnapshotOfNodesAloneIsRefusedByEveryCommandThatReadsOne(@TempDir Path dir) throws Exception {
        ObjectNode cluster = (ObjectNode) JSON.readTree(Files.readString(Path.of("workloads/snapshot/cluster.json")));
        ArrayNode nodesOnly = JSON.createArrayNode();
        for (JsonNode item : cluster.get("items")) {
            if (item.get("kind").asText().equals("Node")) {
                nodesOnly.add(item);
            }
        }
        assertThat(nodesOnly.size()).isEqualTo(3);
        cluster.set("items", nodesOnly);
        Path file = dir.resolve("nodes.json");
        Files.writeString(file, JSON.writeValueAsString(cluster));
        for (String command : new String[]{"analyze", "consolidate"}) {
            CliRunner r = CliRunner.run(command, "--snapshot", file.toString());
            assertThat(r.exitCode()).as(command).isEqualTo(2);
            assertThat(r.err()).as(command).contains("The snapshot has 3 Nodes but no Pod, not even a DaemonSet's")
                    .contains("kubectl get nodes,pods -A -o json").doesNotContain("Exception");
        }
        assertThat(CliRunner.run("analyze", "--snapshot", "workloads/snapshot/cluster.json").exitCode()).isZero();
    }

    @Test
    void reproducibleWithTimestampIsWarnedOf() {
        CliRunner r = CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.2xlarge", "--reproducible", "--timestamp");
        assertThat(r.exitCode()).isZero();
        assertThat(r.err()).contains("warning: --timestamp adds when the report was made, so with it the output is not byte-identical");
        assertThat(r.err().split("--timestamp adds", -1)).as("once (QA 63b F10)").hasSize(2);
        assertThat(r.out()).contains("generated at");
        assertThat(CliRunner.run("pack", "--pods", "workloads/shop.csv", "--node", "aws:m5.2xlarge", "--reproducible").err())
                .doesNotContain("--timestamp");
    }
}

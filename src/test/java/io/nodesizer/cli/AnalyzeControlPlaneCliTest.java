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
 * QA 64a F17: a control-plane node's free room (its role label and NoSchedule taint keep workloads off by design) is given
 * apart from stranded capacity in every format, as a closed node's is; the cluster's stranded line leaves it out.
 */
final class AnalyzeControlPlaneCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** The sample snapshot with an 8-CPU, 32 GiB kubeadm master that runs no pod. */
    private Path withMaster() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Path.of("workloads/snapshot/cluster.json").toFile());
        ObjectNode node = ((ArrayNode) root.get("items")).insertObject(0);
        node.put("apiVersion", "v1").put("kind", "Node");
        ObjectNode meta = node.putObject("metadata").put("name", "cp0");
        meta.putObject("labels").put("node.kubernetes.io/instance-type", "m5.2xlarge").put("topology.kubernetes.io/zone", "us-east-1a")
                .put("node-role.kubernetes.io/control-plane", "").put("kubernetes.io/os", "linux");
        node.putObject("spec").putArray("taints").addObject().put("key", "node-role.kubernetes.io/control-plane").put("effect", "NoSchedule");
        node.putObject("status").putObject("allocatable").put("cpu", "8").put("memory", "32Gi").put("pods", "110");
        Path out = dir.resolve("with-master.json");
        JSON.writeValue(out.toFile(), root);
        return out;
    }

    @Test
    void aControlPlaneNodesRoomIsNotStranded() throws Exception {
        Path snapshot = withMaster();
        JsonNode plain = JSON.readTree(CliRunner.run("analyze", "--snapshot", "workloads/snapshot/cluster.json", "-o", "json").out());
        CliRunner r = CliRunner.run("analyze", "--snapshot", snapshot.toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        JsonNode cp = root.get("nodes").get(0);
        assertThat(cp.get("name").asText()).isEqualTo("cp0");
        assertThat(cp.get("controlPlane").asBoolean()).isTrue();
        assertThat(cp.get("stranded").get("cpuMillis").asLong()).isZero();
        assertThat(cp.get("stranded").get("memoryBytes").asLong()).isZero();
        assertThat(root.get("controlPlaneFree").get("cpuMillis").asLong()).isEqualTo(8000);
        assertThat(root.get("controlPlaneFree").get("memoryBytes").asLong()).isEqualTo(32L << 30);
        assertThat(plain.get("controlPlaneFree").get("cpuMillis").asLong()).isZero();
        assertThat(root.get("nodes").get(1).get("controlPlane").asBoolean()).isFalse();

        String table = CliRunner.run("analyze", "--snapshot", snapshot.toString()).out();
        String plainTable = CliRunner.run("analyze", "--snapshot", "workloads/snapshot/cluster.json").out();
        // the cluster's stranded line is the workers' alone: as without the master
        assertThat(line(table, "stranded ")).isEqualTo(line(plainTable, "stranded "));
        assertThat(table).contains("cp0 (control plane)")
                .contains("control plane  8 CPU, 32 GiB free on 1 control-plane node, kept for the control plane by its taint (not stranded)");
        assertThat(plainTable).doesNotContain("control plane");
        assertThat(CliRunner.run("analyze", "--snapshot", snapshot.toString(), "-o", "markdown").out())
                .contains("- control plane: 8 CPU, 32 GiB free on 1 control-plane node");

        String[] csv = CliRunner.run("analyze", "--snapshot", snapshot.toString(), "-o", "csv").out().split("\n");
        assertThat(csv[0]).endsWith(",controlPlane,unplaceableIfLost,cordoned,notReady,deletedBy");
        assertThat(csv[1]).startsWith("cp0,").matches(".*,true,\\d+,false,,");
        assertThat(csv[2]).matches(".*,false,\\d+,false,,");
    }

    private static String line(String text, String start) {
        return text.lines().filter(l -> l.startsWith(start)).findFirst().orElseThrow();
    }
}

package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 74 F3: a node closed to new pods is named with its state beside it in every format, as a cordoned one was: unreachable
 * (Ready Unknown, the lifecycle controller's taints), not ready (Ready False, its taint due), cordoned and deleting at once;
 * JSON {@code notReady} and {@code closed}, CSV {@code cordoned}, {@code notReady} and {@code deletedBy}.
 */
final class AnalyzeNodeStatesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /**
     * The sample snapshot with four more idle m5.xlarge nodes: one unreachable, one not ready, one cordoned and being deleted,
     * one unreachable and out of service.
     */
    private Path withStates() throws Exception {
        ObjectNode root = (ObjectNode) JSON.readTree(Path.of("workloads/snapshot/cluster.json").toFile());
        ArrayNode items = (ArrayNode) root.get("items");
        node(items.insertObject(0), "lost", false, "Unknown", List.of("node.kubernetes.io/unreachable:NoSchedule",
                "node.kubernetes.io/unreachable:NoExecute"));
        node(items.insertObject(1), "down", false, "False", List.of());
        node(items.insertObject(2), "going", true, "True", List.of("ToBeDeletedByClusterAutoscaler:NoSchedule"));
        // shut down and marked so by hand: unreachable, and out of service (fix 76f: one string held both states)
        node(items.insertObject(3), "shut", false, "Unknown", List.of("node.kubernetes.io/unreachable:NoExecute",
                "node.kubernetes.io/out-of-service:NoExecute"));
        Path out = dir.resolve("states.json");
        JSON.writeValue(out.toFile(), root);
        return out;
    }

    private static void node(ObjectNode node, String name, boolean cordoned, String ready, List<String> taints) {
        node.put("apiVersion", "v1").put("kind", "Node");
        node.putObject("metadata").put("name", name).putObject("labels").put("node.kubernetes.io/instance-type", "m5.xlarge")
                .put("topology.kubernetes.io/zone", "us-east-1a");
        ObjectNode spec = node.putObject("spec").put("unschedulable", cordoned);
        ArrayNode t = spec.putArray("taints");
        for (String taint : taints) {
            t.addObject().put("key", taint.substring(0, taint.indexOf(':'))).put("effect", taint.substring(taint.indexOf(':') + 1));
        }
        ObjectNode status = node.putObject("status");
        status.putObject("allocatable").put("cpu", "3920m").put("memory", "14954884Ki").put("pods", "58");
        status.putArray("conditions").addObject().put("type", "Ready").put("status", ready);
    }

    @Test
    void everyClosedNodeIsNamedWithItsState() throws Exception {
        Path snapshot = withStates();
        CliRunner table = CliRunner.run("analyze", "--snapshot", snapshot.toString());
        assertThat(table.exitCode()).as(table.err()).isZero();
        assertThat(table.out()).contains("lost (unreachable) ").contains("down (not ready) ").contains("going (cordoned, deleting) ")
                .contains("shut (unreachable and out of service) ")
                .contains("on 4 nodes closed to new pods (1 cordoned, 3 not ready or unreachable)");
        assertThat(CliRunner.run("analyze", "--snapshot", snapshot.toString(), "-o", "markdown").out()).contains("| lost (unreachable) ");
        // A cell of the node table (QA 76b F6: the page was the text in a <pre>).
        // The cluster's facts under named columns, not an empty header bar (review 76b #4).
        assertThat(CliRunner.run("analyze", "--snapshot", snapshot.toString(), "-o", "html").out()).contains("<td>down (not ready)</td>")
                .contains("<th>what</th><th>value</th>").doesNotContain("<th></th>");

        JsonNode nodes = JSON.readTree(CliRunner.run("analyze", "--snapshot", snapshot.toString(), "-o", "json").out()).get("nodes");
        assertThat(List.of(nodes.get(0).get("notReady").asText(), nodes.get(1).get("notReady").asText())).containsExactly("unreachable", "not ready");
        assertThat(nodes.get(2).get("notReady").isNull()).isTrue();
        assertThat(nodes.get(3).get("notReady").asText()).isEqualTo("unreachable and out of service"); // kept: a contract
        // Each state apart, [] for none, beside the joined string.
        assertThat(List.of(nodes.get(0), nodes.get(1), nodes.get(2), nodes.get(3), nodes.get(4)))
                .extracting(n -> n.get("notReadyStates").toString())
                .containsExactly("[\"unreachable\"]", "[\"not ready\"]", "[]", "[\"unreachable\",\"out of service\"]", "[]");
        assertThat(nodes.get(2).get("deletedBy").asText()).isEqualTo("Cluster Autoscaler");
        assertThat(List.of(nodes.get(0).get("closed").asBoolean(), nodes.get(2).get("closed").asBoolean(), nodes.get(3).get("closed")
                .asBoolean(), nodes.get(4).get("closed").asBoolean())).containsExactly(true, true, true, false);

        String[] csv = CliRunner.run("analyze", "--snapshot", snapshot.toString(), "-o", "csv").out().split("\n");
        assertThat(csv[1]).startsWith("lost,").endsWith(",false,unreachable,");
        assertThat(csv[2]).startsWith("down,").endsWith(",false,not ready,");
        assertThat(csv[3]).startsWith("going,").endsWith(",true,,Cluster Autoscaler");
        assertThat(csv[4]).startsWith("shut,").endsWith(",false,unreachable and out of service,");
        assertThat(csv[5]).endsWith(",false,,");
    }
}

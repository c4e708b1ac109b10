package io.nodesizer.consolidate;

import io.nodesizer.input.manifest.SnapshotReader;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Merges of a prefix of the least loaded nodes: a prefix the rules refuse does not stop longer ones. */
final class ConsolidationPrefixTest {
    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    private static String node(String name, String type, boolean cordoned) {
        return """
                - apiVersion: v1
                  kind: Node
                  metadata: {name: %s, labels: {node.kubernetes.io/instance-type: %s, kubernetes.io/arch: amd64}}
                  spec: {unschedulable: %s}
                  status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"}}
                """.formatted(name, type, cordoned);
    }

    private static String pod(String name, String node, String cpu, String memory, String ownerKind) {
        String owner = ownerKind == null ? "" : ", ownerReferences: [{kind: " + ownerKind + ", name: " + name + "-owner, controller: true}]";
        String bound = node == null ? "" : "nodeName: " + node + ", ";
        return """
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: %s, namespace: shop%s}
                  spec: {%scontainers: [{name: app, resources: {requests: {cpu: %s, memory: %s}}}]}
                  status: {phase: %s}
                """.formatted(name, owner, bound, cpu, memory, node == null ? "Pending" : "Running");
    }

    private static String ruled(String name, String node, String cpu, String rule) {
        String spec = switch (rule) {
            case "anti" -> "affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: "
                    + "{matchLabels: {app: web}}, topologyKey: kubernetes.io/hostname}]}}, ";
            case "spread" -> "topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: "
                    + "DoNotSchedule, labelSelector: {matchLabels: {app: web}}}], ";
            default -> "";
        };
        return """
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: %s, namespace: shop, labels: {app: web}, ownerReferences: [{kind: ReplicaSet, name: web-rs, controller: true}]}
                  spec: {nodeName: %s, %scontainers: [{name: app, resources: {requests: {cpu: %s, memory: 1Gi}}}]}
                  status: {phase: Running}
                """.formatted(name, node, spec, cpu);
    }

    private ClusterSnapshot snapshot(String... items) throws IOException {
        Path p = dir.resolve("s.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: List\nitems:\n" + String.join("", items));
        return SnapshotReader.read(List.of(p), List.of("s.yaml"));
    }

    /**
     * Five m5.xlarge; web pods (hostname spread, maxSkew 1) on a, b and e. The 3-prefix {a,b,c} is refused
     * (2 web pods on the new node, d keeps 0), but {a,b,c,d} (others: e with 1) and {a,b,c,d,e} (no
     * others) are valid and save $0.27/h and $0.46/h: the five merge into one sixteen-CPU node.
     */
    @Test
    void prefixRefusedByRulesHidesALargerValidMerge() throws IOException {
        ClusterSnapshot s = snapshot(node("a", "m5.xlarge", false), node("b", "m5.xlarge", false), node("c", "m5.xlarge", false),
                node("d", "m5.xlarge", false), node("e", "m5.xlarge", false),
                pod("fa", "a", "2100m", "1Gi", "ReplicaSet"), ruled("web-1", "a", "100m", "spread"),
                pod("fb", "b", "2150m", "1Gi", "ReplicaSet"), ruled("web-2", "b", "100m", "spread"),
                pod("fc", "c", "2300m", "1Gi", "ReplicaSet"),
                pod("fd", "d", "2400m", "1Gi", "ReplicaSet"),
                pod("fe", "e", "2500m", "1Gi", "ReplicaSet"), ruled("web-3", "e", "100m", "spread"));
        Resources big = new Resources(16000, 64 * GIB, 110, 0, 0);
        List<NodeShape> shapes = List.of(new NodeShape("sixteen", "aws", "x", "amd64", big, big, "none", 0.50));
        Consolidation.Result r = Consolidation.plan(s, shapes, new Consolidation.Settings(null, true));
        assertThat(r.actions()).singleElement().satisfies(a -> {
            assertThat(a.merged()).hasSize(4);
            assertThat(a.savingPerHour()).isCloseTo(5 * 0.192 - 0.50, org.assertj.core.data.Offset.offset(1e-6));
        });
        assertThat(r.nodesAfter()).isEqualTo(1);
    }

    /** Control: without c, the 3-prefix {a,b,d} passes the rules and the whole group of four merges. */
    @Test
    void controlWithoutC() throws IOException {
        ClusterSnapshot s = snapshot(node("a", "m5.xlarge", false), node("b", "m5.xlarge", false),
                node("d", "m5.xlarge", false), node("e", "m5.xlarge", false),
                pod("fa", "a", "2100m", "1Gi", "ReplicaSet"), ruled("web-1", "a", "100m", "spread"),
                pod("fb", "b", "2150m", "1Gi", "ReplicaSet"), ruled("web-2", "b", "100m", "spread"),
                pod("fd", "d", "2400m", "1Gi", "ReplicaSet"),
                pod("fe", "e", "2500m", "1Gi", "ReplicaSet"), ruled("web-3", "e", "100m", "spread"));
        Resources big = new Resources(16000, 64 * GIB, 110, 0, 0);
        List<NodeShape> shapes = List.of(new NodeShape("sixteen", "aws", "x", "amd64", big, big, "none", 0.50));
        Consolidation.Result r = Consolidation.plan(s, shapes, new Consolidation.Settings(null, true));
        assertThat(r.actions()).singleElement().satisfies(a -> assertThat(a.merged()).hasSize(3));
    }
}

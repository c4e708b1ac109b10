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

/** The consolidation lower bound: never above what a plan reaches, and as tight as the fluid bound can be where it is easy. */
final class ConsolidationBoundTest {
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    /** Candidate shapes as the aws catalog prices them (allocatable a little under capacity). */
    static final List<NodeShape> SHAPES = List.of(shape("c6a.xlarge", 4, 8, 58, 0.153), shape("m6a.xlarge", 4, 16, 58, 0.1728),
            shape("r6a.xlarge", 4, 32, 58, 0.2268), shape("c6a.2xlarge", 8, 16, 58, 0.306), shape("m6a.2xlarge", 8, 32, 58, 0.3456),
            shape("m6a.4xlarge", 16, 64, 234, 0.6912));

    static NodeShape shape(String name, int vcpu, int gib, int pods, double price) {
        Resources capacity = new Resources(vcpu * 1000L, gib * 1024L * MIB, pods, 0, 0);
        Resources allocatable = new Resources(vcpu * 1000L - 80, gib * 1024L * MIB - 900 * MIB, pods, 0, 0);
        return new NodeShape(name, "aws", name.substring(0, name.indexOf('.')), "amd64", capacity, allocatable, "eks", price);
    }

    ClusterSnapshot generated(long seed, int nodes, int pods, double rules, double bare) throws IOException {
        Path p = dir.resolve("g" + seed + ".json");
        Files.writeString(p, GeneratedClusters.json(seed, nodes, pods, rules, bare));
        return SnapshotReader.read(List.of(p), List.of(p.getFileName().toString()));
    }

    @Test
    void theBoundIsNeverAboveTheCostAfterOnRandomClusters() throws IOException {
        for (long seed = 1; seed <= 8; seed++) {
            int nodes = 6 + (int) (seed * 7 % 30);
            ClusterSnapshot s = generated(seed, nodes, nodes * 12, seed % 3 == 0 ? 0.3 : 0, seed % 2 == 0 ? 0.2 : 0);
            for (Integer cap : new Integer[] {null, 40}) {
                for (boolean replace : new boolean[] {true, false}) {
                    Consolidation.Result r = Consolidation.plan(s, replace ? SHAPES : List.of(), new Consolidation.Settings(cap, replace));
                    assertThat(r.lowerBoundCostPerHour()).as("seed %d cap %s replace %s", seed, cap, replace).isNotNull()
                            .isPositive().isLessThanOrEqualTo(r.costAfter() + 1e-9);
                    assertThat(r.gapPercent()).isGreaterThanOrEqualTo(0.0);
                }
            }
        }
    }

    /**
     * Two half-full nodes whose pods fit one: the plan removes one, and the bound is one node's
     * price (the fluid cost of the pods on the node that may go is one node's worth at most).
     */
    @Test
    void onIdenticalNodesTheBoundCountsNodesAtTheirPrice() throws IOException {
        String nodes = """
                - {apiVersion: v1, kind: Node, metadata: {name: a, labels: {node.kubernetes.io/instance-type: m5.xlarge}}, status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"}}}
                - {apiVersion: v1, kind: Node, metadata: {name: b, labels: {node.kubernetes.io/instance-type: m5.xlarge}}, status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"}}}
                """;
        String pods = """
                - {apiVersion: v1, kind: Pod, metadata: {name: x, namespace: s, ownerReferences: [{kind: ReplicaSet, name: x, controller: true}]}, spec: {nodeName: a, containers: [{name: c, resources: {requests: {cpu: "2", memory: 8Gi}}}]}, status: {phase: Running}}
                - {apiVersion: v1, kind: Pod, metadata: {name: y, namespace: s, ownerReferences: [{kind: ReplicaSet, name: y, controller: true}]}, spec: {nodeName: b, containers: [{name: c, resources: {requests: {cpu: "2", memory: 8Gi}}}]}, status: {phase: Running}}
                """;
        Path p = dir.resolve("two.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: List\nitems:\n" + nodes + pods);
        Consolidation.Result r = Consolidation.plan(SnapshotReader.read(List.of(p), List.of("two.yaml")), List.of(),
                new Consolidation.Settings(null, false));
        assertThat(r.costAfter()).isEqualTo(0.192, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.lowerBoundCostPerHour()).isEqualTo(0.192, org.assertj.core.data.Offset.offset(1e-6));
        assertThat(r.gapPercent()).isEqualTo(0.0, org.assertj.core.data.Offset.offset(1e-3));
        // With a cap of 0 no pod may move: both nodes stay, and so does the bound.
        Consolidation.Result none = Consolidation.plan(SnapshotReader.read(List.of(p), List.of("two.yaml")), List.of(),
                new Consolidation.Settings(0, false));
        assertThat(none.lowerBoundCostPerHour()).isEqualTo(0.384, org.assertj.core.data.Offset.offset(1e-6));
    }
}

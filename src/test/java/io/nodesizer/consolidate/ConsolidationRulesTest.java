package io.nodesizer.consolidate;

import io.nodesizer.input.manifest.SnapshotReader;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consolidation under the inter-pod rules, review regressions: spread domains include cordoned
 * nodes (nodeTaintsPolicy Ignore), a merge counts only the nodes eligible for the pod's node
 * selector, and a merge that would move a pod into a domain where another pod's anti-affinity
 * bars it is refused. (Control-plane nodes are left out of consolidation altogether, so they are
 * not spread domains here, unlike upstream; the README says so.)
 */
final class ConsolidationRulesTest {
    private static final long GIB = 1L << 30;
    @TempDir Path dir;

    static String node(String name, String labels, boolean cordoned) {
        return """
                - apiVersion: v1
                  kind: Node
                  metadata: {name: %s, labels: {node.kubernetes.io/instance-type: m5.xlarge, kubernetes.io/arch: amd64, kubernetes.io/hostname: %s%s}}
                  spec: {unschedulable: %s}
                  status: {allocatable: {cpu: "4", memory: 16Gi, pods: "58"}}
                """.formatted(name, name, labels.isEmpty() ? "" : ", " + labels, cordoned);
    }

    static String pod(String name, String node, String cpu, String labels, String spec, String owner) {
        String own = owner == null ? "" : ", ownerReferences: [{kind: ReplicaSet, name: " + owner + ", controller: true}]";
        return """
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: %s, namespace: shop, labels: {%s}%s}
                  spec: {nodeName: %s, %scontainers: [{name: app, resources: {requests: {cpu: %s, memory: 1Gi}}}]}
                  status: {phase: Running}
                """.formatted(name, labels, own, node, spec, cpu);
    }

    static final String SPREAD = "topologySpreadConstraints: [{maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule, labelSelector: {matchLabels: {app: web}}}], ";

    ClusterSnapshot snap(String... items) throws Exception {
        Path p = dir.resolve("s.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: List\nitems:\n" + String.join("", items));
        return SnapshotReader.read(List.of(p), List.of("s.yaml"));
    }

    private static boolean merged(Consolidation.Result r, String a, String b) {
        return r.actions().stream().anyMatch(x -> x.kind() == Consolidation.Kind.MERGE && x.mergedWith() != null
                && (x.node().equals(a) && x.mergedWith().node().equals(b) || x.node().equals(b) && x.mergedWith().node().equals(a)));
    }

    /** A cordoned node (kept for a bare pod) with 0 web pods: upstream counts it (nodeTaintsPolicy Ignore) so min=0. */
    @Test
    void cordonedNodeCountsUpstream() throws Exception {
        ClusterSnapshot s = snap(node("a", "", false), node("b", "", false), node("c", "", false), node("d", "", true),
                pod("web-1", "a", "500m", "app: web", SPREAD, "web-rs"), pod("web-2", "b", "500m", "app: web", SPREAD, "web-rs"),
                pod("web-3", "c", "500m", "app: web", SPREAD, "web-rs"),
                pod("fill-a", "a", "1", "app: batch", "", "batch-rs"), pod("fill-b", "b", "1", "app: batch", "", "batch-rs"),
                pod("bare-d", "d", "100m", "app: x", "", null));
        Consolidation.Result r = Consolidation.plan(s, List.of(), new Consolidation.Settings(null, false));
        assertThat(r.actions()).isEmpty(); // d's 0 web pods make the fewest 0: web-3 may join neither a nor b
    }

    /** Merge a (zone-1) + b (zone-2): b's plain pod x moves into zone-1 where z repels app=x on the zone. */
    @Test
    void mergeMovesPodIntoDomainWhereOthersRepelIt() throws Exception {
        List<NodeShape> shapes = List.of(new NodeShape("big", "aws", "m5", "amd64", new Resources(8000, 32 * GIB, 58, 0, 0),
                new Resources(7900, 31 * GIB, 58, 0, 0), "eks", 0.30));
        String anti = "affinity: {podAntiAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels: {app: x}}, topologyKey: topology.kubernetes.io/zone}]}}, ";
        ClusterSnapshot s = snap(node("a", "topology.kubernetes.io/zone: zone-1", false), node("b", "topology.kubernetes.io/zone: zone-2", false),
                node("c", "topology.kubernetes.io/zone: zone-1", false),
                pod("pa", "a", "2500m", "app: pa", "", "pa-rs"), pod("x-1", "b", "2500m", "app: x", "", "x-rs"),
                pod("z", "c", "3800m", "app: z", anti, "z-rs"));
        Consolidation.Result r = Consolidation.plan(s, shapes, new Consolidation.Settings(null, true));
        assertThat(merged(r, "a", "b")).as("x-1 would move into zone-1, where z repels it").isFalse();
    }

    /** Hostname spread pinned to pool=web; a batch node (not eligible for web) must not count as a domain with 0. */
    @Test
    void mergeCountsIneligibleNodes() throws Exception {
        List<NodeShape> shapes = List.of(new NodeShape("big", "aws", "m5", "amd64", new Resources(8000, 32 * GIB, 58, 0, 0),
                new Resources(7900, 31 * GIB, 58, 0, 0), "eks", 0.30));
        String spec = "nodeSelector: {pool: web}, " + SPREAD;
        ClusterSnapshot s = snap(node("a", "pool: web", false), node("b", "pool: web", false), node("c", "pool: batch", false),
                pod("web-1", "a", "2500m", "app: web", spec, "web-rs"), pod("web-2", "b", "2500m", "app: web", spec, "web-rs"),
                pod("batch", "c", "2500m", "app: batch", "nodeSelector: {pool: batch}, ", "batch-rs"));
        assertThat(merged(Consolidation.plan(s, shapes, new Consolidation.Settings(null, true)), "a", "b"))
                .as("the batch node is no domain of web's spread").isTrue();
        ClusterSnapshot s2 = snap(node("a", "pool: web", false), node("b", "pool: web", false),
                pod("web-1", "a", "2500m", "app: web", spec, "web-rs"), pod("web-2", "b", "2500m", "app: web", spec, "web-rs"));
        assertThat(merged(Consolidation.plan(s2, shapes, new Consolidation.Settings(null, true)), "a", "b")).isTrue();
    }
}

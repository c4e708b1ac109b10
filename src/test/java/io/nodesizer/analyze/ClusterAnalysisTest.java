package io.nodesizer.analyze;

import io.nodesizer.input.InputException;
import io.nodesizer.input.manifest.SnapshotReader;
import io.nodesizer.model.ClusterSnapshot;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class ClusterAnalysisTest {
    private static final Path SAMPLE = Path.of("workloads/snapshot/cluster.json");

    @Test
    void theSampleSnapshotAddsUpPerNodePoolAndPendingPod() {
        ClusterSnapshot s = SnapshotReader.read(List.of(SAMPLE), List.of("cluster.json"));
        assertThat(s.nodes()).hasSize(3);
        assertThat(s.pods()).hasSize(13); // the Succeeded job pod does not count
        ClusterAnalysis.Result r = ClusterAnalysis.analyze(s);
        ClusterAnalysis.NodeRow second = r.nodes().get(1);
        assertThat(second.node().pool()).isEqualTo("general");
        assertThat(second.node().zone()).isEqualTo("us-east-1b");
        // 25m + 100m DaemonSets, storefront 1500m, checkout max(500m app, 1 CPU init) = 1000m.
        assertThat(second.requested().cpuMillis()).isEqualTo(2625);
        assertThat(second.daemonSets().cpuMillis()).isEqualTo(125);
        assertThat(r.pools()).extracting(ClusterAnalysis.PoolRow::pool).containsExactly("general", "memory");
        assertThat(r.pools().get(0).nodes()).isEqualTo(2);
        // m5.xlarge $0.192 × 2 + r5.large $0.126.
        assertThat(r.costPerHour()).isCloseTo(0.51, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.pending()).extracting(p -> p.pod().name()).containsExactly("search-6f7c-a", "storefront-7d9f-d");
        // If a node failed: node 1's two 1.5-CPU storefronts find no 1.5 CPU free elsewhere; node 2's checkout fits
        // on node 3, its storefront does not; the 12 GiB cache finds no 12 GiB free anywhere.
        assertThat(r.failureChecked()).isTrue();
        assertThat(r.nodes()).extracting(ClusterAnalysis.NodeRow::unplaceableIfLost).containsExactly(2, 1, 1);
        assertThat(r.pending().get(1).reason()).isEqualTo("needs 1.5 CPU, the most free on one schedulable node is 1.305 CPU "
                + "(ip-10-0-3-30.ec2.internal)");
    }

    @Test
    void theSnapshotsWorkloadGroupsPodsByControllerAndKeepsDaemonSetsAsOverhead() {
        io.nodesizer.model.Workload w = SnapshotWorkload.of(SnapshotReader.read(List.of(SAMPLE), List.of("cluster.json")));
        // storefront: 3 running + 1 pending of one ReplicaSet; checkout; cache-0 (StatefulSet); search (pending). The
        // ReplicaSets carry the pod-template-hash of their Deployment, so the groups are the Deployments.
        assertThat(w.groups()).extracting(g -> g.name() + "×" + g.replicas() + " " + g.kind())
                .containsExactly("shop/storefront×4 Deployment", "shop/checkout×1 Deployment", "shop/cache×1 StatefulSet",
                        "shop/search×1 Deployment");
        assertThat(w.groups().get(0).template().container("app")).isNotNull();
        assertThat(w.daemonSets()).extracting(io.nodesizer.model.DaemonSetSpec::name).containsExactly("kube-system/aws-node",
                "kube-system/kube-proxy");
        assertThat(w.groups().get(1).request().cpuMillis()).isEqualTo(1000); // the init container's 1 CPU dominates
    }

    @Test
    void aPendingPodThatFitsSomewhereIsNotACapacityProblemAndUnknownTypesHaveNoCost(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: NodeList
                items:
                - apiVersion: v1
                  kind: Node
                  metadata: {name: n1, labels: {node.kubernetes.io/instance-type: custom-box}}
                  status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
                ---
                apiVersion: v1
                kind: PodList
                items:
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: p, namespace: a}
                  spec: {containers: [{name: c, image: i, resources: {requests: {cpu: 500m, memory: 1Gi}}}]}
                  status: {phase: Pending}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: q, namespace: a}
                  spec: {nodeName: gone, containers: [{name: c, image: i, resources: {requests: {cpu: 1}}}]}
                  status: {phase: Running}
                """);
        ClusterAnalysis.Result r = ClusterAnalysis.analyze(SnapshotReader.read(List.of(f), List.of("s.yaml")));
        assertThat(r.pending()).singleElement().satisfies(p -> assertThat(p.reason()).startsWith("fits the free room of node n1"));
        assertThat(r.costPerHour()).isNull();
        assertThat(r.unknownTypes()).containsExactly("custom-box");
        assertThat(r.podsOnUnknownNodes()).containsExactly("a/q on gone");
    }

    @Test
    void aPendingPodThatNoNodeAdmitsSaysWhy(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Node
                  metadata: {name: gpu-1, labels: {pool: gpu}}
                  spec: {taints: [{key: nvidia.com/gpu, value: "true", effect: NoSchedule}]}
                  status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: web, namespace: a}
                  spec: {containers: [{name: c, resources: {requests: {cpu: 500m}}}]}
                  status: {phase: Pending}
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: train, namespace: a}
                  spec:
                    nodeSelector: {pool: gpu}
                    tolerations: [{key: nvidia.com/gpu, operator: Exists}]
                    containers: [{name: c, resources: {requests: {cpu: "8"}}}]
                  status: {phase: Pending}
                """);
        ClusterAnalysis.Result r = ClusterAnalysis.analyze(SnapshotReader.read(List.of(f), List.of("s.yaml")));
        assertThat(r.pending()).hasSize(2);
        assertThat(r.pending().get(0).reason()).isEqualTo("no schedulable node admits it (gpu-1: the node has the taint "
                + "nvidia.com/gpu=true:NoSchedule, which the pod does not tolerate)");
        assertThat(r.pending().get(1).reason()).startsWith("needs 8 CPU, the most free on one schedulable node is 4 CPU (gpu-1)");
    }

    @Test
    void horizontalPodAutoscalersInASnapshotReachTheWorkload(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("s.yaml");
        Files.writeString(f, """
                apiVersion: v1
                kind: List
                items:
                - apiVersion: v1
                  kind: Node
                  metadata: {name: n1}
                  status: {allocatable: {cpu: "4", memory: 8Gi, pods: "110"}}
                - apiVersion: autoscaling/v2
                  kind: HorizontalPodAutoscaler
                  metadata: {name: web, namespace: shop}
                  spec:
                    scaleTargetRef: {kind: Deployment, name: web}
                    metrics: [{type: Resource, resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}}]
                """);
        io.nodesizer.model.Workload w = SnapshotWorkload.of(SnapshotReader.read(List.of(f), List.of("s.yaml")));
        assertThat(w.autoscalers()).singleElement().satisfies(h -> {
            assertThat(h.targetName()).isEqualTo("web");
            assertThat(h.utilization()).containsExactly("memory");
        });
    }

    @Test
    void badSnapshotsNameFileAndPath(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "{\"kind\": \"ConfigMap\", \"apiVersion\": \"v1\"}");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(f), List.of("bad.json"))).isInstanceOf(InputException.class)
                .hasMessageContaining("bad.json").hasMessageContaining("Expected a cluster snapshot");
        Files.writeString(f, "{\"kind\": \"List\", \"items\": [{\"kind\": \"Node\", \"metadata\": {\"name\": \"n\"}, \"status\": {}}]}");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(f), List.of("bad.json"))).isInstanceOf(InputException.class)
                .hasMessageContaining("items[0].status.allocatable");
        Files.writeString(f, "{\"kind\": \"List\", \"items\": [{\"kind\": \"Node\", \"metadata\": {\"name\": \"n\"}, "
                + "\"status\": {\"allocatable\": {\"cpu\": \"4\", \"memory\": \"16x\"}}}]}");
        assertThatThrownBy(() -> SnapshotReader.read(List.of(f), List.of("bad.json"))).isInstanceOf(InputException.class)
                .hasMessageContaining("bad.json:").hasMessageContaining("items[0].status.allocatable.memory").hasMessageContaining("16x");
    }
}

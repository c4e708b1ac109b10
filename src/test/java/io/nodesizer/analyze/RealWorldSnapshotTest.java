package io.nodesizer.analyze;

import io.nodesizer.input.manifest.SnapshotReader;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Snapshots as {@code kubectl get nodes,pods -A -o json} prints them from real clusters, reduced to minimal cases. */
final class RealWorldSnapshotTest {
    @TempDir
    Path dir;

    private static String node(String name, String taints) {
        return """
                  - apiVersion: v1
                    kind: Node
                    metadata:
                      name: %s
                      labels: {node.kubernetes.io/instance-type: m5.xlarge, eks.amazonaws.com/nodegroup: general}
                    spec: {%s}
                    status:
                      allocatable: {cpu: 3920m, memory: 14919808Ki, pods: "58", hugepages-2Mi: "0", attachable-volumes-aws-ebs: "25"}
                """.formatted(name, taints);
    }

    private static String pod(String name, String node, String owner, String cpu, String extraMetadata) {
        String[] o = owner.split("/");
        return """
                  - apiVersion: v1
                    kind: Pod
                    metadata:
                      name: %s
                      namespace: kube-system
                      ownerReferences: [{apiVersion: v1, kind: %s, name: %s, controller: true}]
                      %s
                    spec:
                      nodeName: %s
                      containers: [{name: c, resources: {requests: {cpu: %s}}}]
                    status: {phase: Running}
                """.formatted(name, o[0], o[1], extraMetadata, node, cpu);
    }

    private Workload workload(String items) throws Exception {
        Path f = dir.resolve("cluster.yaml");
        Files.writeString(f, "apiVersion: v1\nkind: List\nitems:\n" + items);
        return SnapshotWorkload.of(SnapshotReader.read(List.of(f), List.of("cluster.yaml")));
    }

    @Test
    void aDeploymentKnownOnlyFromItsPodsMidRolloutIsSaidToBeSoNotGuessed() throws Exception {
        // web's pods of two ReplicaSets (hashes 5f7c8d9e4 and 6d8f9c7b5), no Deployment or ReplicaSet object: both are sized, and said.
        Workload w = workload(node("n1", "")
                + pod("web-5f7c8d9e4-x2k9p", "n1", "ReplicaSet/web-5f7c8d9e4", "500m", "labels: {pod-template-hash: 5f7c8d9e4}")
                + pod("web-5f7c8d9e4-b4kzt", "n1", "ReplicaSet/web-5f7c8d9e4", "500m", "labels: {pod-template-hash: 5f7c8d9e4}")
                + pod("web-6d8f9c7b5-q7wzt", "n1", "ReplicaSet/web-6d8f9c7b5", "600m", "labels: {pod-template-hash: 6d8f9c7b5}"));
        assertThat(w.podCount()).isEqualTo(3);
        assertThat(w.ignored()).anyMatch(o -> o.kind().equals("Deployment") && o.name().equals("kube-system/web")
                && o.reason().startsWith("packed, but runs pods of 2 ReplicaSets (web-5f7c8d9e4, web-6d8f9c7b5): a rollout in progress?"));
    }

    @Test
    void aStatefulSetWithClaimsInThreeZonesIsOneWorkloadToSizeAndHeldToItsZonesWhereItRuns() throws Exception {
        StringBuilder items = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            items.append("""
                    - apiVersion: v1
                      kind: Node
                      metadata: {name: n%d, labels: {node.kubernetes.io/instance-type: m5.xlarge, kubernetes.io/hostname: n%d, topology.kubernetes.io/zone: us-east-1%s}}
                      status: {capacity: {cpu: "4", memory: 16Gi, pods: "58"}, allocatable: {cpu: "3920m", memory: 15Gi, pods: "58"}}
                    - apiVersion: v1
                      kind: Pod
                      metadata: {name: db-%d, namespace: shop, labels: {app: db, statefulset.kubernetes.io/pod-name: db-%d, controller-revision-hash: db-1}, ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: db, controller: true}]}
                      spec: {nodeName: n%d, volumes: [{name: data, persistentVolumeClaim: {claimName: data-db-%d}}], containers: [{name: c, resources: {requests: {cpu: "1", memory: 2Gi}}}]}
                      status: {phase: Running}
                    """.formatted(i, i, "abc".charAt(i), i, i, i, i));
        }
        items.append("""
                - apiVersion: apps/v1
                  kind: StatefulSet
                  metadata: {name: db, namespace: shop}
                  spec: {replicas: 3}
                  status: {updateRevision: db-1}
                """);
        Workload w = workload(items.toString());
        // Sizing afresh: one workload of 3 replicas, no zone pin, not two replicas taken for an older template.
        assertThat(w.groups()).singleElement().satisfies(g -> {
            assertThat(g.replicas()).isEqualTo(3);
            assertThat(g.placement().nodeSelector()).doesNotContainKey("topology.kubernetes.io/zone");
        });
        assertThat(w.ignored()).isEmpty();
        // Where they run, each is held to its node's zone (its volume is there).
        Path f = dir.resolve("cluster.yaml");
        assertThat(SnapshotReader.read(List.of(f), List.of("cluster.yaml")).pods())
                .extracting(p -> p.placement().nodeSelector().get("topology.kubernetes.io/zone"))
                .containsExactly("us-east-1a", "us-east-1b", "us-east-1c");
    }

    @Test
    void staticPodsOfWorkersArePerNodeOverheadNotPodsToPlace() throws Exception {
        // The kubelet's mirror pods (owned by their Node, named <pod>-<node>) come with every node of
        // the configuration, taints or not; before, each became a pod named after its node, to be packed.
        Workload w = workload(node("ip-10-0-1-10.ec2.internal", "") + node("ip-10-0-2-20.ec2.internal",
                "taints: [{key: dedicated, value: gpu, effect: NoSchedule}]")
                + pod("node-local-dns-ip-10-0-1-10.ec2.internal", "ip-10-0-1-10.ec2.internal", "Node/ip-10-0-1-10.ec2.internal", "25m", "")
                + pod("node-local-dns-ip-10-0-2-20.ec2.internal", "ip-10-0-2-20.ec2.internal", "Node/ip-10-0-2-20.ec2.internal", "25m", "")
                + pod("coredns-5b8c-x1", "ip-10-0-1-10.ec2.internal", "ReplicaSet/coredns-5b8c", "100m", ""));
        assertThat(w.groups()).extracting(g -> g.name() + "×" + g.replicas()).containsExactly("kube-system/coredns-5b8c×1");
        assertThat(w.daemonSets()).hasSize(1);
        assertThat(w.daemonSets().get(0).name()).isEqualTo("kube-system/node-local-dns");
        assertThat(w.daemonSets().get(0).request().cpuMillis()).isEqualTo(25);
        assertThat(w.daemonSets().get(0).placement().tolerations()).singleElement()
                .satisfies(t -> assertThat(t.operator()).isEqualTo("Exists")); // on tainted nodes too
    }

    @Test
    void terminatingPodsAreLeftOutOfTheWorkloadToSize() throws Exception {
        // A rolling restart caught mid-way: the old pod is being deleted (deletionTimestamp), its
        // replacement already runs. Counting both sized one replica too many, as a group of its own.
        Workload w = workload(node("n1", "")
                + pod("web-7d9f-a", "n1", "ReplicaSet/web-7d9f", "500m", "labels: {pod-template-hash: 7d9f}")
                + pod("web-7d9f-b", "n1", "ReplicaSet/web-7d9f", "500m", "labels: {pod-template-hash: 7d9f}")
                + pod("web-7d9f-old", "n1", "ReplicaSet/web-7d9f", "1", "labels: {pod-template-hash: 7d9f}\n      "
                        + "deletionTimestamp: \"2026-11-29T10:00:00Z\""));
        assertThat(w.groups()).extracting(g -> g.name() + "×" + g.replicas()).containsExactly("kube-system/web×2");
        assertThat(w.ignored()).extracting(i -> i.name() + ": " + i.reason())
                .containsExactly("kube-system/web: 1 terminating pod(s) (metadata.deletionTimestamp set): left out of the workload to size");
    }
}

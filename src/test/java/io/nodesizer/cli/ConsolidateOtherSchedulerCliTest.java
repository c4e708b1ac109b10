package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * consolidate keeps no room for a pending pod of another scheduler: Cluster Autoscaler and Karpenter act only for pods
 * kube-scheduler found unschedulable (QA 47c: a volcano pod kept a node, "holds room for pending pods").
 */
final class ConsolidateOtherSchedulerCliTest {
    @TempDir
    Path dir;

    @Test
    void aPendingPodOfAnotherSchedulerHoldsNoRoom() throws Exception {
        String node = """
                - apiVersion: v1
                  kind: Node
                  metadata: {name: %s, labels: {node.kubernetes.io/instance-type: m5.xlarge, topology.kubernetes.io/zone: us-east-1a}}
                  status: {allocatable: {cpu: 3920m, memory: 14919808Ki, pods: "58"}}
                """;
        String running = """
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: %s, namespace: shop, ownerReferences: [{kind: ReplicaSet, name: web-5d, controller: true}]}
                  spec: {nodeName: %s, containers: [{name: c, resources: {requests: {cpu: 500m, memory: 1Gi}}}]}
                  status: {phase: Running}
                """;
        String pending = """
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: batch-0, namespace: jobs}
                  spec: {schedulerName: volcano, containers: [{name: c, resources: {requests: {cpu: "3", memory: 4Gi}}}]}
                  status: {phase: Pending}
                """;
        Path f = dir.resolve("cluster.yaml");
        Files.writeString(f, "apiVersion: v1\nkind: List\nitems:\n" + node.formatted("a") + node.formatted("b")
                + running.formatted("web-5d-a", "a") + running.formatted("web-5d-b", "b") + pending);
        CliRunner r = CliRunner.run("consolidate", "--snapshot", f.toString(), "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).contains("1 pending pod of another scheduler left out (jobs/batch-0 (volcano))")
                .doesNotContain("holds room for pending pods");
    }
}

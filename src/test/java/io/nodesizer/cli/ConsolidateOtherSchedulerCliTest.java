package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * consolidate keeps no room for a pending pod no autoscaler acts for: one of another scheduler, or one held by a scheduling
 * gate. Cluster Autoscaler and Karpenter act only for pods kube-scheduler found unschedulable (QA 47c: a volcano pod kept a
 * node, "holds room for pending pods"; QA 76b F2: a gated pod did).
 */
final class ConsolidateOtherSchedulerCliTest {
    private static final String NODE = """
            - apiVersion: v1
              kind: Node
              metadata: {name: %s, labels: {node.kubernetes.io/instance-type: m5.xlarge, topology.kubernetes.io/zone: us-east-1a}}
              status: {allocatable: {cpu: 3920m, memory: 14919808Ki, pods: "58"}}
            """;
    private static final String RUNNING = """
            - apiVersion: v1
              kind: Pod
              metadata: {name: %s, namespace: shop, ownerReferences: [{kind: ReplicaSet, name: web-5d, controller: true}]}
              spec: {nodeName: %s, containers: [{name: c, resources: {requests: {cpu: 500m, memory: 1Gi}}}]}
              status: {phase: Running}
            """;

    @TempDir
    Path dir;

    /** consolidate of nodes a and b, each running one 500m pod, and {@code pending}. */
    private CliRunner consolidate(String pending) throws Exception {
        Path f = dir.resolve("cluster.yaml");
        Files.writeString(f, "apiVersion: v1\nkind: List\nitems:\n" + NODE.formatted("a") + NODE.formatted("b")
                + RUNNING.formatted("web-5d-a", "a") + RUNNING.formatted("web-5d-b", "b") + pending);
        return CliRunner.run("consolidate", "--snapshot", f.toString(), "--quiet");
    }

    @Test
    void aPendingPodOfAnotherSchedulerHoldsNoRoom() throws Exception {
        CliRunner r = consolidate("""
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: batch-0, namespace: jobs}
                  spec: {schedulerName: volcano, containers: [{name: c, resources: {requests: {cpu: "3", memory: 4Gi}}}]}
                  status: {phase: Pending}
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).contains("1 pending pod of another scheduler left out (jobs/batch-0 (volcano))")
                .doesNotContain("holds room for pending pods");
    }

    /**
     * QA 76b F2: a pending pod held by a scheduling gate kept b ("holds room for pending pods", 2 → 2): kube-scheduler does not
     * try it, so it is never Unschedulable, which Cluster Autoscaler and Karpenter need before they act for a pod.
     */
    @Test
    void aPendingPodHeldByASchedulingGateHoldsNoRoom() throws Exception {
        CliRunner r = consolidate("""
                - apiVersion: v1
                  kind: Pod
                  metadata: {name: batch-0, namespace: jobs, ownerReferences: [{kind: Job, name: batch, controller: true}]}
                  spec: {schedulingGates: [{name: example.com/quota}], containers: [{name: c, resources: {requests: {cpu: "3", memory: 4Gi}}}]}
                  status: {phase: Pending, conditions: [{type: PodScheduled, status: "False", reason: SchedulingGated}]}
                """);
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).contains("1 pending pod held by scheduling gates (spec.schedulingGates) left out (jobs/batch-0 "
                + "(example.com/quota))").contains("2 → 1").doesNotContain("holds room for pending pods");
    }
}

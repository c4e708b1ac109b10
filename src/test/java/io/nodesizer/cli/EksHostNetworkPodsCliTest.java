package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 71b F1: on EKS every node runs aws-node and kube-proxy (host network), 2 of the ENI formula's max pods; when the pod
 * slots bind a packing and the inputs give neither DaemonSet, a note says the workload's pods were given those slots.
 */
final class EksHostNetworkPodsCliTest {
    @TempDir
    Path dir;

    @Test
    void aPodBoundPackingOnEksNamesTheTwoHostNetworkPodsTheInputsLeaveOut() throws Exception {
        Path tiny = dir.resolve("tiny.csv");
        Files.writeString(tiny, "name,cpu,memory,replicas\ntiny,0,0,500\n");
        CliRunner r = CliRunner.run("pack", "--pods", tiny.toString(), "--node", "aws:m5.large", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("lower bound 18 (L1(pods))").contains("the pod slots bind the packing on m5.large, and every EKS node "
                + "also runs the aws-node and kube-proxy DaemonSets' pods (host network), which take 2 of its 29 max pods");
        // Given as DaemonSets, they take their slots (27 left a node: 19 nodes) and nothing is said.
        Path manifests = dir.resolve("with-system.yaml");
        String ds = """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: %s, namespace: kube-system}
                spec:
                  selector: {matchLabels: {k8s-app: %s}}
                  template:
                    metadata: {labels: {k8s-app: %s}}
                    spec:
                      hostNetwork: true
                      containers: [{name: c, resources: {requests: {cpu: 25m}}}]
                ---
                """;
        Files.writeString(manifests, ds.formatted("aws-node", "aws-node", "aws-node") + ds.formatted("kube-proxy", "kube-proxy", "kube-proxy")
                + """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: tiny, namespace: shop}
                spec:
                  replicas: 500
                  selector: {matchLabels: {app: tiny}}
                  template:
                    metadata: {labels: {app: tiny}}
                    spec:
                      containers: [{name: c}]
                """);
        CliRunner given = CliRunner.run("pack", "--pods", manifests.toString(), "--node", "aws:m5.large", "--quiet");
        assertThat(given.exitCode()).as(given.err()).isZero();
        assertThat(given.out()).contains("nodes          19").doesNotContain("aws-node and kube-proxy DaemonSets' pods");
        // GKE's max pods is a flat 110, no formula reserving slots: nothing said.
        assertThat(CliRunner.run("pack", "--pods", tiny.toString(), "--node", "gce:e2-standard-2", "--quiet").out())
                .doesNotContain("aws-node");
    }
}

package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DaemonSet's pods carry the tolerations the DaemonSet controller adds (pkg/controller/daemon/util
 * AddOrUpdateDaemonPodTolerations), on a shape's taints as on a --fleet node (QA 67a F6: a DaemonSet without tolerations
 * ran on no node of a shape tainted node.kubernetes.io/memory-pressure:NoSchedule, which --fleet charged it on).
 */
final class DaemonSetControllerTolerationsCliTest {
    @TempDir
    Path dir;

    private static final String MANIFEST = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: kube-system}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec:
            %s
                  containers:
                  - {name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {tolerations: [{operator: Exists}],
             containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}
            """;

    /** Whether DaemonSet agent (with {@code spec}) is counted on the nodes of a shape tainted {@code taint}. */
    private boolean counted(String spec, String taint) throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, MANIFEST.formatted(spec));
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=4,memory=16Gi,pods=110,taints=" + taint, "--overhead", "none");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r.out().contains("DaemonSet kube-system/agent (1 CPU, 1 GiB per node)\n");
    }

    @Test
    void theControllersTolerationsLetItOntoPressureAndCordonTaints() throws Exception {
        for (String key : new String[]{"memory-pressure", "disk-pressure", "pid-pressure", "unschedulable"}) {
            assertThat(counted("      dnsPolicy: ClusterFirst", "node.kubernetes.io/" + key + ":NoSchedule")).as(key).isTrue();
        }
        assertThat(counted("      dnsPolicy: ClusterFirst", "node.kubernetes.io/not-ready:NoExecute")).isTrue();
        assertThat(counted("      dnsPolicy: ClusterFirst", "node.kubernetes.io/unreachable:NoExecute")).isTrue();
    }

    @Test
    void onlyThoseEffectsAndNetworkUnavailableOnlyOnTheHostsNetwork() throws Exception {
        // not-ready is tolerated for NoExecute only: a NotReady node's NoSchedule taint keeps new DaemonSet pods off.
        assertThat(counted("      dnsPolicy: ClusterFirst", "node.kubernetes.io/not-ready:NoSchedule")).isFalse();
        assertThat(counted("      dnsPolicy: ClusterFirst", "node.kubernetes.io/network-unavailable:NoSchedule")).isFalse();
        assertThat(counted("      hostNetwork: true", "node.kubernetes.io/network-unavailable:NoSchedule")).isTrue();
        assertThat(counted("      dnsPolicy: ClusterFirst", "dedicated=x:NoSchedule")).isFalse();
    }
}

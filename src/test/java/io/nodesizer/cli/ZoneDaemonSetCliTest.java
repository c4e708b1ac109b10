package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A DaemonSet whose node selector keeps it to one zone of {@code --zones} is charged on the nodes of that zone only (the
 * review's cases, session 78: it was charged on every node, so the packing took a node too many at a "0.0 %" gap, and pods
 * that fit the other zone's nodes were all unschedulable).
 */
final class ZoneDaemonSetCliTest {
    @TempDir
    Path dir;

    /** A DaemonSet on zone a (its CPU the first %s) and four pods of the second %s CPU each (ZoneDaemonSetChargeCliTest too). */
    static final String MANIFEST = """
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent}
            spec:
              selector: {matchLabels: {app: agent}}
              template:
                metadata: {labels: {app: agent}}
                spec:
                  nodeSelector: {topology.kubernetes.io/zone: a}
                  containers: [{name: c, image: x, resources: {requests: {cpu: "%s", memory: 100Mi}}}]
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 4
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: c, image: x, resources: {requests: {cpu: "%s", memory: 1Gi}}}]
            """;

    private CliRunner pack(String daemonSetCpu, String podCpu) throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, MANIFEST.formatted(daemonSetCpu, podCpu));
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=4,memory=16Gi,pods=110", "--overhead", "none",
                "--zones", "a,b", "--strategy", "optimize");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    @Test
    void zoneBNodesPayNothingForAZoneADaemonSet() throws Exception {
        CliRunner r = pack("1", "2");
        // Zones a, b, a: 1 + 2 + 1 pods; the bound counts on the lightest node, 8 / 4 CPU.
        assertThat(r.out()).contains("nodes          3   lower bound 2 (L1(cpu)), gap 50.0 %")
                .contains("DaemonSets a / b  for pods a / b")
                .contains("cpu                  4         0            4             1 / 0           3 / 4")
                .contains("note: DaemonSet agent runs on the nodes of zone a only")
                .contains("optimize: the DaemonSets differ by zone and it packs nodes of one capacity")
                .doesNotContain("counted on every node");
    }

    @Test
    void podsThatFitTheOtherZonesNodesAreNotUnschedulable() throws Exception {
        CliRunner r = pack("2", "3");
        // 3-CPU pods fit only zone b's nodes (4 CPU; zone a's leave 2): one a node, all in zone b.
        assertThat(r.out()).contains("nodes          4   lower bound 4").contains("unschedulable  none").doesNotContain("after DaemonSets");
    }
}

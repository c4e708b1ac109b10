package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 62 item 4: a DaemonSet asking more than a shape allocates. The DaemonSet controller creates its pod on every node
 * whatever the fit, and it stays Pending there, so the shape is still refused; but the report names the DaemonSet the
 * shape cannot run, and the workload's pods as left off the shape, not as pods that fit no node.
 */
final class DaemonSetTooLargeCliTest {
    @TempDir
    Path dir;

    private Path manifest() throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: agent}
                spec:
                  selector: {matchLabels: {app: a}}
                  template:
                    metadata: {labels: {app: a}}
                    spec:
                      containers: [{name: c, image: x, resources: {requests: {cpu: 3, memory: 1Gi}}}]
                ---
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: logs}
                spec:
                  selector: {matchLabels: {app: l}}
                  template:
                    metadata: {labels: {app: l}}
                    spec:
                      containers: [{name: c, image: x, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  replicas: 4
                  selector: {matchLabels: {app: d}}
                  template:
                    metadata: {labels: {app: d}}
                    spec:
                      containers: [{name: c, image: x, resources: {requests: {cpu: 100m, memory: 128Mi}}}]
                """);
        return m;
    }

    @Test
    void theShapeIsNotUsedForTheDaemonSetItCannotRun() throws Exception {
        CliRunner r = CliRunner.run("pack", "--pods", manifest().toString(), "--node", "aws:m5.large", "--quiet");
        assertThat(r.exitCode()).as(r.err()).isZero();
        // m5.large allocates 1.93 CPU under eks; agent alone asks 3, logs (100m) is not named.
        assertThat(r.out()).contains("  m5.large is not used for the workload: it cannot run DaemonSet agent (3 of 1.93 CPU), whose pods "
                        + "would stay Pending on every m5.large node (the DaemonSet controller creates them whatever the fit); 4 pods are not "
                        + "packed on it (d-0, d-1, d-2, …)")
                .doesNotContain("4 × ").doesNotContain("DaemonSets agent");
    }

    /** Together, two DaemonSets that each fit but not side by side: the shape is refused for them both. */
    @Test
    void daemonSetsThatFitOnlyAloneAreNamedTogether() throws Exception {
        Path m = manifest();
        Files.writeString(m, Files.readString(m).replace("cpu: 3,", "cpu: 1900m,"));
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "aws:m5.large", "--quiet");
        assertThat(r.out()).contains("m5.large is not used for the workload: it cannot run its DaemonSets together (2 of 1.93 CPU), "
                + "so some of their pods would stay Pending on every m5.large node");
    }
}

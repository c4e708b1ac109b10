package io.nodesizer.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "selects on label …, which a node shape does not determine; counted on every node" note is
 * for a DaemonSet that is counted: one the shape's taint keeps off runs on no node of it, whatever
 * the undecided label, and the report's DaemonSet line says so; the note would contradict it.
 */
final class DaemonSetUndecidedNoteCliTest {
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
                  nodeSelector: {example.com/runtime: "true"}
            %s
                  containers:
                  - {name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}
            ---
            {apiVersion: v1, kind: Pod, metadata: {name: web}, spec: {tolerations: [{key: dedicated, operator: Exists}],
             containers: [{name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}]}}
            """;

    private CliRunner pack(String tolerations) throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, MANIFEST.formatted(tolerations));
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=4,memory=16Gi,pods=110,taints=dedicated=x:NoSchedule",
                "--overhead", "none");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    @Test
    void noCountedEverywhereNoteForADaemonSetTheTaintKeepsOff() throws Exception {
        CliRunner keptOff = pack("");
        assertThat(keptOff.out()).contains("on no node of").doesNotContain("counted on every node");
        // Tolerating the taint, it is counted everywhere and the note stays.
        CliRunner tolerates = pack("      tolerations: [{operator: Exists}]");
        assertThat(tolerates.out()).contains("DaemonSet kube-system/agent selects on label example.com/runtime, which a node shape does not"
                + " determine; counted on every node");
    }
}

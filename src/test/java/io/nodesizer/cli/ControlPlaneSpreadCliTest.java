package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dedicated control plane ({@code --control-plane N:SHAPE}) is N more nodes with a hostname,
 * tainted node-role.kubernetes.io/control-plane:NoSchedule. kube-scheduler's PodTopologySpread
 * counts them as hostname domains for a spread with the default nodeTaintsPolicy (Ignore) when the
 * pod's node selector admits them (nodeAffinityPolicy Honor): they never run its pods, so the fewest
 * is 0 and every worker holds at most maxSkew of them (filtering.go calPreFilterState, which the
 * nodeTaintsPolicy of KEP-3094 was added to avoid).
 */
final class ControlPlaneSpreadCliTest {
    @TempDir
    Path dir;

    private Path manifest(String extra) throws Exception {
        Path m = dir.resolve("api.yaml");
        Files.writeString(m, Deployments.deployment("api", 10, """
                topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: kubernetes.io/hostname
                  whenUnsatisfiable: DoNotSchedule
                  labelSelector: {matchLabels: {app: api}}
                """ + extra, "500m", "1Gi"));
        return m;
    }

    private int nodes(Path m, String... extra) throws Exception {
        Path a = dir.resolve("a.csv");
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("recommend", "--pods", m.toString(),
                "--node", "aws:m5.2xlarge", "--min-nodes-per-pool", "1", "--quiet", "-o", "json", "--assignments", a.toString()));
        args.addAll(java.util.List.of(extra));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode shape = new ObjectMapper().readTree(r.out()).get("shapes").get(0);
        Map<String, Long> perNode = Files.readAllLines(a).stream().skip(1).map(l -> l.split(",")[1])
                .collect(Collectors.groupingBy(n -> n, Collectors.counting()));
        int packed = shape.path("packedNodes").isMissingNode() || shape.get("packedNodes").isNull() ? shape.get("nodes").asInt() : shape.get("packedNodes").asInt();
        assertThat(perNode).hasSize(packed);
        return packed;
    }

    @Test
    void controlPlaneNodesHoldTheFewestOfAHostnameSpreadAtZero() throws Exception {
        Path m = manifest("");
        assertThat(nodes(m)).isEqualTo(1); // one 8-CPU node holds all ten: one domain, no skew
        assertThat(nodes(m, "--control-plane-fee", "0.10")).isEqualTo(1); // a managed control plane has no nodes
        assertThat(nodes(m, "--control-plane", "3:aws:m5.large")).isEqualTo(10); // one per worker
    }

    @Test
    void theReportSaysWhy() throws Exception {
        CliRunner r = CliRunner.run("recommend", "--pods", manifest("").toString(), "--node", "aws:m5.2xlarge", "--control-plane",
                "3:aws:m5.large", "--quiet");
        assertThat(r.out()).contains("note: hostname topology spread beside the dedicated control plane: its nodes are domains of the "
                + "spread of api");
        CliRunner honor = CliRunner.run("recommend", "--pods", manifest("  nodeTaintsPolicy: Honor").toString(), "--node",
                "aws:m5.2xlarge", "--control-plane", "3:aws:m5.large", "--quiet");
        assertThat(honor.out()).doesNotContain("beside the dedicated control plane");
        // Honor with a toleration of the control plane's taint counts it still, and the note says so rather than advise Honor
        // (QA 49c F7).
        Path tolerating = dir.resolve("tolerating.yaml");
        Files.writeString(tolerating, Deployments.deployment("api", 10, """
                tolerations: [{key: node-role.kubernetes.io/control-plane, operator: Exists, effect: NoSchedule}]
                topologySpreadConstraints:
                - maxSkew: 1
                  topologyKey: kubernetes.io/hostname
                  whenUnsatisfiable: DoNotSchedule
                  nodeTaintsPolicy: Honor
                  labelSelector: {matchLabels: {app: api}}
                """, "500m", "1Gi"));
        CliRunner tolerates = CliRunner.run("recommend", "--pods", tolerating.toString(), "--node", "aws:m5.2xlarge", "--control-plane",
                "3:aws:m5.large", "--quiet");
        assertThat(tolerates.out()).contains("(api tolerates the control plane's taint, so even nodeTaintsPolicy Honor counts them")
                .contains("may also be scheduled onto the control plane");
    }

    @Test
    void notWhenThePolicyOrTheSelectorLeavesThemOut() throws Exception {
        Path honor = manifest("  nodeTaintsPolicy: Honor");
        assertThat(nodes(honor, "--control-plane", "3:aws:m5.large")).isEqualTo(1);
        Path selected = manifest("nodeSelector: {node.kubernetes.io/instance-type: m5.2xlarge}");
        assertThat(nodes(selected, "--control-plane", "3:aws:m5.large")).isEqualTo(1);
    }
}

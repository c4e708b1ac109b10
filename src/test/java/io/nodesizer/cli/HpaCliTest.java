package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --hpa} end to end on the sample chart (workloads/manifests/hpa): HPAs set their targets' replicas. */
final class HpaCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode pack(String... extra) throws Exception {
        return packPods("workloads/manifests/hpa", extra);
    }

    private static JsonNode packPods(String pods, String... extra) throws Exception {
        String[] args = new String[]{"pack", "--pods", pods, "--node", "aws:m5.2xlarge", "-o", "json"};
        String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
        System.arraycopy(extra, 0, all, args.length, extra.length);
        CliRunner r = CliRunner.run(all);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void theHpasSetTheReplicasAndSaySo() throws Exception {
        // storefront: no spec.replicas, HPA 3..12; worker: 8 replicas, HPA 2..6.
        JsonNode min = pack();
        assertThat(min.get("pods").asInt()).isEqualTo(3 + 6);
        assertThat(min.get("workload").get("applied").toString())
                .contains("Deployment shop/storefront runs 3 replicas (1 in the manifest)")
                .contains("StatefulSet shop/worker runs 6 replicas (8 in the manifest)");
        // The JSON's reason and the text's note say "applied", not "ignored ... not a workload, but applied" (QA 41b),
        // and the JSON lists the autoscalers applied apart from the objects left out (QA 67a F5).
        assertThat(min.get("workload").get("applied").toString()).contains("): applied: Deployment shop/storefront")
                .doesNotContain("but applied");
        assertThat(min.get("workload").get("ignored").toString()).doesNotContain("applied");
        assertThat(CliRunner.run("pack", "--pods", "workloads/manifests/hpa", "--node", "aws:m5.2xlarge", "--hpa", "max").out())
                .contains("applied HorizontalPodAutoscaler shop/storefront (").contains(") under --hpa max: Deployment shop/storefront");
        assertThat(pack("--hpa", "max").get("pods").asInt()).isEqualTo(12 + 6);
        assertThat(pack("--hpa", "ignore").get("pods").asInt()).isEqualTo(1 + 8);
        // --growth scales what the HPAs gave, up to each one's maxReplicas: ⌈3 × 2⌉ + min(⌈6 × 2⌉, 6).
        JsonNode grown = pack("--growth", "2");
        assertThat(grown.get("pods").asInt()).isEqualTo(6 + 6);
        assertThat(grown.get("workload").get("applied").toString())
                .contains("caps --growth: StatefulSet shop/worker at its maxReplicas, 6 replicas, not 12");
        assertThat(pack("--growth", "2", "--hpa", "ignore").get("pods").asInt()).isEqualTo(2 + 16);
    }

    @Test
    void theGitOpsSampleRunsTheRolloutsReferencedTemplateAndTheKedaTargetWrittenAtZero() throws Exception {
        // checkout: Rollout of 4 with the Deployment's template (the Deployment's 2 scaled down by Argo);
        // mailer: written at 0, KEDA 1..10.
        JsonNode min = packPods("workloads/manifests/gitops");
        assertThat(min.get("pods").asInt()).isEqualTo(4 + 1);
        assertThat(min.get("workload").get("requests").get("cpuMillis").asLong()).isEqualTo(4 * 1000 + 500);
        assertThat(min.get("workload").get("ignored").toString())
                .contains("not packed: Argo Rollout shop/checkout (scaleDown: onsuccess) runs its template (spec.workloadRef)");
        assertThat(min.get("workload").get("applied").toString()).contains("Deployment shop/mailer runs 1 replica (0 in the manifest)");
        assertThat(packPods("workloads/manifests/gitops", "--hpa", "max").get("pods").asInt()).isEqualTo(4 + 10);
        assertThat(packPods("workloads/manifests/gitops", "--hpa", "ignore").get("pods").asInt()).isEqualTo(4);
    }

    @Test
    void aSnapshotsHpasCapGrowthToo(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // The sample cluster runs shop/storefront at 4 replicas; its HPA (in the default namespace's
        // naming, the snapshot names every workload namespace/name) allows at most 5.
        com.fasterxml.jackson.databind.node.ObjectNode snap = (com.fasterxml.jackson.databind.node.ObjectNode)
                JSON.readTree(java.nio.file.Path.of("workloads/snapshot/cluster.json").toFile());
        ((com.fasterxml.jackson.databind.node.ArrayNode) snap.get("items")).add(JSON.readTree("""
                {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
                 "metadata": {"name": "storefront", "namespace": "shop"},
                 "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": "storefront"},
                          "minReplicas": 2, "maxReplicas": 5}}
                """));
        java.nio.file.Path file = dir.resolve("cluster.json");
        JSON.writeValue(file.toFile(), snap);
        CliRunner r = CliRunner.run("recommend", "--snapshot", file.toString(), "--growth", "3", "--catalog", "aws", "--families", "m5",
                "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("caps --growth: Deployment shop/storefront at its maxReplicas, 5 replicas, not 12");
        CliRunner ignore = CliRunner.run("recommend", "--snapshot", file.toString(), "--growth", "3", "--catalog", "aws", "--families",
                "m5", "--hpa", "ignore", "-o", "json");
        assertThat(ignore.exitCode()).as(ignore.err()).isZero();
        assertThat(ignore.out()).doesNotContain("caps --growth");
        assertThat(JSON.readTree(ignore.out()).findValue("requests").get("pods").asInt())
                .isEqualTo(JSON.readTree(r.out()).findValue("requests").get("pods").asInt() + 7);
        // --hpa max sizes the running cluster at every HPA's ceiling (QA 38a finding 7: accepted, and nothing changed).
        CliRunner asIs = CliRunner.run("recommend", "--snapshot", file.toString(), "--catalog", "aws", "--families", "m5", "-o", "json");
        CliRunner max = CliRunner.run("recommend", "--snapshot", file.toString(), "--catalog", "aws", "--families", "m5", "--hpa", "max",
                "-o", "json");
        assertThat(max.exitCode()).as(max.err()).isZero();
        assertThat(max.out()).contains("Deployment shop/storefront at its maxReplicas, 5 replicas");
        assertThat(JSON.readTree(max.out()).findValue("requests").get("pods").asInt())
                .isEqualTo(JSON.readTree(asIs.out()).findValue("requests").get("pods").asInt() + 1);
    }

    @Test
    void aBadModeOrAnHpaModeForATraceExitsTwo() {
        CliRunner bad = CliRunner.run("pack", "--pods", "workloads/manifests/hpa", "--node", "aws:m5.2xlarge", "--hpa", "peak");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("Unknown --hpa 'peak'").contains("min").contains("max").contains("ignore").doesNotContain("Exception");
        assertThat(bad.out()).isEmpty();
        CliRunner trace = CliRunner.run("replay", "--trace", "workloads/shop.csv", "--hpa", "max", "--node", "aws:m5.2xlarge");
        assertThat(trace.exitCode()).isEqualTo(2);
        assertThat(trace.err()).contains("--hpa").contains("a trace has its own pods");
    }

    @Test
    void replayTakesTheHpasReplicasAsTheProfilesPeak() throws Exception {
        CliRunner r = CliRunner.run("replay", "--workload", "workloads/manifests/hpa", "--synthetic", "diurnal", "--hpa", "max",
                "--node", "aws:m5.2xlarge", "--duration", "1d", "-o", "json", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        CliRunner min = CliRunner.run("replay", "--workload", "workloads/manifests/hpa", "--synthetic", "diurnal",
                "--node", "aws:m5.2xlarge", "--duration", "1d", "-o", "json", "--reproducible");
        assertThat(min.exitCode()).as(min.err()).isZero();
        // At every HPA's ceiling the day needs more node-hours than at the floors.
        double maxHours = JSON.readTree(r.out()).findValue("nodeHours").asDouble();
        double minHours = JSON.readTree(min.out()).findValue("nodeHours").asDouble();
        assertThat(maxHours).isGreaterThan(minHours);
    }

    /**
     * The HPA controller runs its target within minReplicas..maxReplicas whatever the demand: a demand file's 30 replicas of
     * an HPA of 4..10 ran 30, and a synthetic night fell below its 4 (QA 60a F2). Held, with a warning; --hpa ignore does not.
     */
    @Test
    void replayHoldsDemandWithinTheHpasReplicas(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path web = dir.resolve("web.yaml");
        java.nio.file.Files.writeString(web, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web}
                spec:
                  replicas: 5
                  selector: {matchLabels: {app: web}}
                  template:
                    metadata: {labels: {app: web}}
                    spec:
                      containers: [{name: c, image: x, resources: {requests: {cpu: 1, memory: 1Gi}}}]
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 4
                  maxReplicas: 10
                  metrics:
                  - type: Resource
                    resource: {name: cpu, target: {type: Utilization, averageUtilization: 60}}
                """);
        java.nio.file.Path demand = dir.resolve("d.csv");
        java.nio.file.Files.writeString(demand, "time,workload,replicas\n2026-01-05T00:00Z,web,30\n+1h,web,2\n+2h,web,6\n");
        String[] run = {"replay", "--workload", web.toString(), "--demand", demand.toString(), "--node", "cpu=4,memory=16Gi,pods=110,price=1",
            "--overhead", "none", "--autoscaler", "none", "--nodes", "10", "-o", "json"};
        CliRunner held = CliRunner.run(run);
        assertThat(held.exitCode()).as(held.err()).isZero();
        assertThat(held.err()).contains("warning: the demand for web was held within its HorizontalPodAutoscaler web's 4..10 replicas at 2 steps");
        // 10 pods in the first hour, 4 in the second (none arrive: 6 leave), 2 more in the third.
        assertThat(JSON.readTree(held.out()).get("pods").asInt()).isEqualTo(10 + 2);
        String[] ignore = java.util.Arrays.copyOf(run, run.length + 2);
        ignore[run.length] = "--hpa";
        ignore[run.length + 1] = "ignore";
        CliRunner asGiven = CliRunner.run(ignore);
        assertThat(asGiven.err()).doesNotContain("held within");
        assertThat(JSON.readTree(asGiven.out()).get("pods").asInt()).isEqualTo(30 + 4);
    }

    /**
     * QA 73b F3: --hpa max on a target a --demand file drives from the start changes nothing (the rows give its replicas, held
     * within the HPA's range as under min): a warning says so, and no note says the target ran at its maxReplicas. A target
     * whose first row comes later runs its maxReplicas until then, so there --hpa max acts and its note stays.
     */
    @Test
    void hpaMaxOnATargetTheDemandDrivesWarnsThatItDoesNothing(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path both = dir.resolve("both.csv");
        java.nio.file.Files.writeString(both, "time,workload,replicas\n2026-01-05T00:00Z,shop/storefront,4\n2026-01-05T00:00Z,shop/worker,3\n"
                + "+1h,shop/storefront,10\n+2h,shop/storefront,5\n+3h,shop/worker,2\n");
        String[] replay = {"replay", "--workload", "workloads/manifests/hpa", "--demand", both.toString(), "--node", "aws:m5.2xlarge",
            "-o", "json", "--quiet", "--reproducible"};
        CliRunner max = CliRunner.run(CliRunner.concat(replay, "--hpa", "max"));
        CliRunner min = CliRunner.run(CliRunner.concat(replay, "--hpa", "min"));
        assertThat(max.exitCode()).as(max.err()).isZero();
        assertThat(max.err()).contains("warning: --hpa max has no effect on shop/storefront, which the --demand file drives from the start: "
                + "its rows give the replicas, held within HorizontalPodAutoscaler shop/storefront's 3..12 as under --hpa min, not its maxReplicas")
                .contains("--hpa max has no effect on shop/worker");
        JsonNode maxRoot = JSON.readTree(max.out());
        assertThat(maxRoot.path("notes").toString()).doesNotContain("under --hpa max");
        assertThat(maxRoot.get("nodeHours").asDouble()).isEqualTo(JSON.readTree(min.out()).get("nodeHours").asDouble());
        assertThat(min.err()).doesNotContain("has no effect");

        java.nio.file.Path late = dir.resolve("late.csv");
        java.nio.file.Files.writeString(late, "time,workload,replicas\n2026-01-05T00:00Z,shop/storefront,4\n+1h,shop/worker,3\n"
                + "+2h,shop/storefront,5\n");
        CliRunner lateMax = CliRunner.run("replay", "--workload", "workloads/manifests/hpa", "--demand", late.toString(), "--node",
                "aws:m5.2xlarge", "-o", "json", "--quiet", "--reproducible", "--hpa", "max");
        assertThat(lateMax.exitCode()).as(lateMax.err()).isZero();
        assertThat(lateMax.err()).contains("--hpa max has no effect on shop/storefront").doesNotContain("no effect on shop/worker");
        assertThat(JSON.readTree(lateMax.out()).path("notes").toString()).contains("under --hpa max: StatefulSet shop/worker at its "
                + "maxReplicas, 6 replicas").doesNotContain("under --hpa max: Deployment shop/storefront");
    }
}

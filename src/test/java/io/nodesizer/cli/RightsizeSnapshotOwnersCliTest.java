package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rightsize --snapshot}: usage series of the snapshot's pods go to their workloads through the owner chain, and a
 * workload whose pods run several templates is shown at the newest with each pod counted at its own request (QA 64a F8,
 * F8b). Snapshots under src/test/resources/rightsize.
 */
final class RightsizeSnapshotOwnersCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DIR = "src/test/resources/rightsize/";

    @TempDir
    Path dir;

    /** A pod's series: namespace/pod/container and the CPU cores and memory bytes it uses at every one of 200 samples. */
    private record Series(String namespace, String pod, String container, double cores, long bytes) {
    }

    private static String matrix(List<Series> series, boolean cpu) {
        List<String> out = new ArrayList<>();
        for (Series s : series) {
            StringBuilder values = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                values.append(i == 0 ? "" : ",").append("[").append(1_764_547_200L + 300L * i).append(",\"")
                        .append(cpu ? Double.toString(s.cores()) : Long.toString(s.bytes())).append("\"]");
            }
            out.add("{\"metric\":{\"namespace\":\"" + s.namespace() + "\",\"pod\":\"" + s.pod() + "\",\"container\":\"" + s.container()
                    + "\"},\"values\":[" + values + "]}");
        }
        return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[" + String.join(",", out) + "]}}";
    }

    private CliRunner rightsize(String snapshot, List<Series> series, String... more) throws Exception {
        Path cpu = Files.writeString(dir.resolve("cpu.json"), matrix(series, true));
        Path memory = Files.writeString(dir.resolve("memory.json"), matrix(series, false));
        List<String> args = new ArrayList<>(List.of("rightsize", "--snapshot", Path.of(snapshot).isAbsolute() ? snapshot : DIR + snapshot, "--cpu-usage", cpu.toString(),
                "--memory-usage", memory.toString(), "--families", "m5", "--strategies", "ffd", "--quiet", "--reproducible"));
        args.addAll(List.of(more));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    private static JsonNode row(JsonNode root, String workload) {
        for (JsonNode c : root.get("containers")) {
            if (c.get("workload").asText().equals(workload)) {
                return c;
            }
        }
        throw new AssertionError(workload + " in " + root.get("containers"));
    }

    private static final long MIB = 1L << 20;

    /**
     * A Rollout's ReplicaSet's pods (labelled rollouts-pod-template-hash, as Argo labels them), a Deployment's ReplicaSet's pods
     * without a pod-template-hash label, and a static pod's mirror (owned by its Node): each series names a pod the snapshot
     * lists, and goes to that pod's workload through its owner chain (they were "usage series match no workload", the
     * workloads no-usage).
     */
    @Test
    void seriesOfListedPodsGoThroughTheirOwnerChain() throws Exception {
        CliRunner r = rightsize("owners.json", List.of(new Series("shop", "front-6d5f7b9c8d-bxxxx", "app", 0.2, 300 * MIB),
                new Series("shop", "front-6d5f7b9c8d-cxxxx", "app", 0.2, 300 * MIB),
                new Series("shop", "api-7c9d8b6f5d-bxxxx", "app", 0.3, 400 * MIB),
                new Series("kube-system", "kube-proxy-node-a", "kube-proxy", 0.02, 40 * MIB)), "-o", "json");
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("warnings")).extracting(JsonNode::asText).noneMatch(w -> w.contains("match no workload"));
        JsonNode front = row(root, "front");
        assertThat(front.get("kind").asText()).isEqualTo("Rollout");
        assertThat(front.get("flags")).extracting(JsonNode::asText).doesNotContain("no-usage");
        assertThat(front.get("recommended").get("cpuMillis").asLong()).isEqualTo(200);
        assertThat(front.get("recommended").get("memoryBytes").asLong()).isEqualTo(345 * MIB);
        JsonNode api = row(root, "api");
        assertThat(api.get("kind").asText()).isEqualTo("Deployment");
        assertThat(api.get("recommended").get("cpuMillis").asLong()).isEqualTo(300);
        JsonNode proxy = row(root, "kube-proxy");
        assertThat(proxy.get("perNode").asBoolean()).isTrue();
        assertThat(proxy.get("recommended").get("cpuMillis").asLong()).isEqualTo(20);
    }

    /**
     * --hpa max with --snapshot sizes an HPA's target at its maxReplicas, as recommend --snapshot --hpa max does (QA 64a F14: it
     * was accepted and did nothing); with --growth an HPA that caps it is listed as applied, not as ignored.
     */
    @Test
    void hpaMaxSizesTheTargetAtItsMaxReplicas() throws Exception {
        String owners = Files.readString(Path.of(DIR + "owners.json"));
        int end = owners.lastIndexOf(']');
        Path withHpa = Files.writeString(dir.resolve("hpa.json"), owners.substring(0, end) + ", {\"apiVersion\": \"autoscaling/v2\", "
                + "\"kind\": \"HorizontalPodAutoscaler\", \"metadata\": {\"name\": \"api\", \"namespace\": \"shop\"}, \"spec\": "
                + "{\"scaleTargetRef\": {\"apiVersion\": \"apps/v1\", \"kind\": \"Deployment\", \"name\": \"api\"}, \"minReplicas\": 1, "
                + "\"maxReplicas\": 4, \"metrics\": [{\"type\": \"Resource\", \"resource\": {\"name\": \"cpu\", \"target\": {\"type\": "
                + "\"Utilization\", \"averageUtilization\": 70}}}]}}" + owners.substring(end));
        List<Series> series = List.of(new Series("shop", "api-7c9d8b6f5d-bxxxx", "app", 0.3, 400 * MIB));
        String path = withHpa.toString();
        JsonNode min = JSON.readTree(rightsize(path, series, "-o", "json").out());
        JsonNode max = JSON.readTree(rightsize(path, series, "--hpa", "max", "-o", "json").out());
        assertThat(row(min, "api").get("replicas").asInt()).isEqualTo(1);
        assertThat(row(max, "api").get("replicas").asInt()).isEqualTo(4);
        JsonNode grown = JSON.readTree(rightsize(path, series, "--growth", "10", "-o", "json").out());
        assertThat(grown.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith("applied HorizontalPodAutoscaler shop/api") && w.contains("caps --growth"))
                .noneMatch(w -> w.startsWith("ignored HorizontalPodAutoscaler"));
    }

    /**
     * Without the ReplicaSet objects (kubectl get nodes,pods): the Rollout's pods are the Rollout's by their
     * rollouts-pod-template-hash label; a ReplicaSet the pods alone name, called {@code <owner>-<hash>}, gets a comment in the
     * patches, not a 'kubectl set resources replicaset/…' its controller would revert; the static pod's advice is a comment.
     */
    @Test
    void aControllerOwnedReplicaSetOrAStaticPodIsACommentInThePatches() throws Exception {
        Path script = dir.resolve("patch.sh");
        CliRunner r = rightsize("owners-no-replicasets.json", List.of(new Series("shop", "front-6d5f7b9c8d-bxxxx", "app", 0.2, 300 * MIB),
                new Series("shop", "front-6d5f7b9c8d-cxxxx", "app", 0.2, 300 * MIB),
                new Series("shop", "cart-5d8f9c7b6d-bxxxx", "app", 0.3, 400 * MIB)), "-o", "json", "--patches", script.toString());
        JsonNode root = JSON.readTree(r.out());
        assertThat(row(root, "front").get("kind").asText()).isEqualTo("Rollout");
        assertThat(row(root, "cart-5d8f9c7b6d").get("kind").asText()).isEqualTo("ReplicaSet");
        String text = Files.readString(script);
        assertThat(text.lines().filter(l -> l.startsWith("kubectl"))).isEmpty();
        assertThat(text).contains("# Rollout shop/front: change its pod spec where it is defined")
                .contains("# ReplicaSet shop/cart-5d8f9c7b6d: named as a Deployment or Argo Rollout names its ReplicaSets")
                .contains("change the owner's template")
                .contains("# kubectl set resources replicaset/cart-5d8f9c7b6d -n shop -c app --requests=cpu=300m,memory=460Mi");

        Path statics = dir.resolve("static.sh");
        rightsize("owners.json", List.of(new Series("kube-system", "kube-proxy-node-a", "kube-proxy", 0.02, 40 * MIB)),
                "--patches", statics.toString());
        assertThat(Files.readString(statics)).contains("# static pod kube-system/kube-proxy: the kubelet runs it from a manifest on each node")
                .doesNotContain("\nkubectl set resources daemonset/kube-proxy");
    }

    /**
     * Mid-rollout (3 pods of ReplicaSet revision 3 at 1 CPU/1Gi, 2 of revision 4 at 2 CPU/2Gi) and a VPA's per-pod requests
     * (500m, 700m, 2 CPU), a StatefulSet mid-update (db-0, db-1 at 1 CPU, db-2 at 3): each pod counts at its own request in
     * the totals, as in the packing before (7, 3.2 and 5 CPU, not 5, 1.5 and 3), the row shows the newest template's request, Δ % against it, and a note names the requests seen. The rollout's
     * warning no longer calls the rightsized Deployment "ignored".
     */
    @Test
    void podsOfSeveralTemplatesCountAtTheirOwnRequestsAndTheRowIsTheNewest() throws Exception {
        List<Series> series = new ArrayList<>();
        for (String x : List.of("b", "c", "d")) {
            series.add(new Series("shop", "web-6d5f7b9c8d-" + x + "xxx2", "app", 0.3, 400 * MIB));
            series.add(new Series("shop", "api-5c6d7f8b9d-" + x + "xxx2", "app", 0.3, 400 * MIB));
        }
        for (String x : List.of("b", "c")) {
            series.add(new Series("shop", "web-7f8g9h2j4k-" + x + "xxx2", "app", 0.3, 400 * MIB));
        }
        for (int i = 0; i < 3; i++) {
            series.add(new Series("shop", "db-" + i, "app", 0.3, 400 * MIB));
        }
        CliRunner table = rightsize("templates.json", series);
        // web 3 x 1 + 2 x 2 = 7 CPU, api 0.5 + 0.7 + 2 = 3.2, db 1 + 1 + 3 = 5: 15.2 CPU before; after 11 pods x 300m = 3.3.
        assertThat(table.out()).contains("requests over all replicas: CPU 15.2 → 3.3 cores (-78%)")
                .containsPattern("shop/db +app +3 +3000m .* 300m +-90%")
                .contains("shop/db runs pods at 1 CPU, 1 GiB memory (2, StatefulSet revision db-5d8f9c7b6d) and 3 CPU, 1 GiB memory (1, "
                        + "StatefulSet revision db-7c9d8b6f5d)").contains("the newest template, StatefulSet revision db-7c9d8b6f5d's (the highest ordinal's, 2: a StatefulSet updates from the highest "
                        + "ordinal down)")
                .containsPattern("shop/web +app +5 +2000m .* 300m +-85% +2Gi .* 460Mi +-78%")
                .containsPattern("shop/api +app +3 +2000m .* 300m +-85%")
                .contains("shop/web runs pods at 1 CPU, 1 GiB memory (3, ReplicaSet web-6d5f7b9c8d) and 2 CPU, 2 GiB memory (2, "
                        + "ReplicaSet web-7f8g9h2j4k): sized from all their usage, each pod counted at its own request in the totals and "
                        + "the packing before; the row shows, and the patch sets, the newest template, ReplicaSet web-7f8g9h2j4k's (the "
                        + "highest deployment.kubernetes.io/revision, 4)")
                .contains("shop/api runs pods of one template, ReplicaSet api-5c6d7f8b9d, at 0.5 CPU, 1 GiB memory (1 pod), 2 CPU, 1 GiB "
                        + "memory (1 pod) and 0.7 CPU, 1 GiB memory (1 pod) (a VerticalPodAutoscaler's requests?)")
                .contains("the row shows the request of the pod group chosen by its pods started last, status.startTime 2026-11-28T10:00:00Z")
                .doesNotContain("ignored Deployment shop/web")
                .contains("Deployment shop/web (" + DIR + "templates.json:");
        // The packing's pods, as the scheduler counts them, are the totals: the line that says where they differ is not there.
        assertThat(table.out()).doesNotContain("pods as the scheduler counts them");
        JsonNode web = row(JSON.readTree(rightsize("templates.json", series, "-o", "json").out()), "web");
        assertThat(web.get("request").get("cpuMillis").asLong()).isEqualTo(2000);
        assertThat(web.get("replicas").asInt()).isEqualTo(5);
        assertThat(web.get("requestsSeen").toString()).isEqualTo("[{\"pods\":3,\"cpuMillis\":1000,\"memoryBytes\":1073741824},"
                + "{\"pods\":2,\"cpuMillis\":2000,\"memoryBytes\":2147483648}]");
    }

    /**
     * QA 66a L4: pods of one ReplicaSet whose containers ask alike, one with a RuntimeClass's spec.overhead, were said to
     * run other requests, "a VerticalPodAutoscaler's requests?": the note names the overhead as the difference.
     */
    @Test
    void podsThatDifferOnlyInTheirOverheadAreNotBlamedOnAVerticalPodAutoscaler() throws Exception {
        com.fasterxml.jackson.databind.node.ObjectNode snapshot = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(
                Path.of(DIR + "templates.json").toFile());
        boolean first = true;
        for (JsonNode item : snapshot.get("items")) {
            if (item.path("kind").asText().equals("Pod") && item.path("metadata").path("name").asText().startsWith("api-")) {
                com.fasterxml.jackson.databind.node.ObjectNode spec = (com.fasterxml.jackson.databind.node.ObjectNode) item.get("spec");
                ((com.fasterxml.jackson.databind.node.ObjectNode) spec.get("containers").get(0).get("resources").get("requests"))
                        .put("cpu", "500m").put("memory", "1Gi");
                if (first) {
                    spec.putObject("overhead").put("cpu", "250m").put("memory", "120Mi");
                    first = false;
                }
            }
        }
        Path file = dir.resolve("overhead.json");
        JSON.writeValue(file.toFile(), snapshot);
        List<Series> series = new ArrayList<>();
        for (String x : List.of("b", "c", "d")) {
            series.add(new Series("shop", "api-5c6d7f8b9d-" + x + "xxx2", "app", 0.3, 400 * MIB));
        }
        String out = rightsize(file.toString(), series).out();
        assertThat(out).contains("shop/api runs pods of one template, ReplicaSet api-5c6d7f8b9d, at 0.75 CPU, 1.117 GiB memory (1 pod) "
                + "and 0.5 CPU, 1 GiB memory (2 pods): their containers ask alike, and their pod overhead (spec.overhead, which a "
                + "RuntimeClass sets at admission) differs, 0.25 CPU, 0.117 GiB memory (1 pod) and none (2 pods)");
        assertThat(out.lines().filter(l -> l.contains("shop/api runs")).findFirst().orElseThrow()).doesNotContain("VerticalPodAutoscaler");
    }
}

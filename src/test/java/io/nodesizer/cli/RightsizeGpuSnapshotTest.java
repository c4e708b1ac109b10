package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * rightsize and recommend {@code --snapshot} on a cluster with one GPU pod (QA 66a M1): a general group of two m5.xlarge,
 * and a g4dn.xlarge GPU group tainted {@code nvidia.com/gpu}. The GPU pod tolerates the taint and selects no node, so a
 * plain g4dn candidate admitted it and it was sized with the pods that run anywhere: that part's one best shape had to
 * carry a GPU, and all its CPU pods were sized on g4dn machines before and after.
 */
final class RightsizeGpuSnapshotTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] QUICK = {"--families", "m5,c5,g4dn,g4ad", "--strategies", "ffd", "--quiet", "--reproducible",
            "--min-nodes-per-pool", "1"};

    @TempDir
    Path dir;
    private Path snapshot;
    private Path cpu;
    private Path memory;
    private final List<String> nodes = new ArrayList<>();
    private final List<String> pods = new ArrayList<>();

    /** web: 6 pods on the general group, using a tenth of their requests; train-0: 1 NVIDIA GPU on the GPU group. */
    @BeforeEach
    void cluster() throws Exception {
        for (String name : List.of("g1", "g2")) {
            nodes.add(node(name, "m5.xlarge", "general", "", "{\"cpu\":\"3920m\",\"memory\":\"14Gi\",\"pods\":\"58\"}"));
        }
        nodes.add(node("gpu1", "g4dn.xlarge", "gpu", ",\"nvidia.com/gpu.product\":\"Tesla-T4\"",
                "{\"cpu\":\"3920m\",\"memory\":\"14Gi\",\"pods\":\"29\",\"nvidia.com/gpu\":\"1\"}"));
        StringBuilder cpuSeries = new StringBuilder();
        StringBuilder memSeries = new StringBuilder();
        for (int i = 0; i < 6; i++) {
            String pod = "web-5d8f-" + (char) ('a' + i);
            pods.add(pod(pod, "web", i % 2 == 0 ? "g1" : "g2", "{\"cpu\":\"1000m\",\"memory\":\"2Gi\"}", ""));
            RightsizeNodeGroupsSnapshotTest.series(cpuSeries, pod, "0.1");
            RightsizeNodeGroupsSnapshotTest.series(memSeries, pod, Long.toString((2L << 30) / 10));
        }
        pods.add(pod("train-0", "train", "gpu1", "{\"cpu\":\"2\",\"memory\":\"8Gi\",\"nvidia.com/gpu\":\"1\"}",
                ",\"tolerations\":[{\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"));
        snapshot = write("gpu.json", nodes, pods);
        cpu = dir.resolve("cpu.json");
        Files.writeString(cpu, RightsizeNodeGroupsSnapshotTest.matrix(cpuSeries));
        memory = dir.resolve("memory.json");
        Files.writeString(memory, RightsizeNodeGroupsSnapshotTest.matrix(memSeries));
    }

    private static String node(String name, String type, String group, String moreLabels, String allocatable) {
        boolean gpu = group.equals("gpu");
        return "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\",\"labels\":{"
                + "\"node.kubernetes.io/instance-type\":\"" + type + "\",\"eks.amazonaws.com/nodegroup\":\"" + group + "\","
                + "\"topology.kubernetes.io/zone\":\"us-east-1a\",\"kubernetes.io/arch\":\"amd64\",\"kubernetes.io/os\":\"linux\"" + moreLabels
                + "}},\"spec\":{" + (gpu ? "\"taints\":[{\"key\":\"nvidia.com/gpu\",\"value\":\"present\",\"effect\":\"NoSchedule\"}]" : "")
                + "},\"status\":{\"capacity\":" + allocatable + ",\"allocatable\":" + allocatable + "}}";
    }

    private static String pod(String name, String app, String node, String requests, String moreSpec) {
        String ns = app.equals("train") ? "ml" : "shop";
        return "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + ns + "\","
                + "\"labels\":{\"app\":\"" + app + "\"},\"ownerReferences\":[{\"apiVersion\":\"apps/v1\",\"kind\":\""
                + (app.equals("train") ? "StatefulSet" : "ReplicaSet") + "\",\"name\":\"" + (app.equals("train") ? "train" : "web-5d8f")
                + "\",\"controller\":true,\"uid\":\"" + app + "\"}]},\"spec\":{" + (node.isEmpty() ? "" : "\"nodeName\":\"" + node + "\",")
                + "\"containers\":[{\"name\":\"app\",\"image\":\"x\",\"resources\":{\"requests\":" + requests + "}}]" + moreSpec
                + "},\"status\":{\"phase\":\"" + (node.isEmpty() ? "Pending" : "Running") + "\"}}";
    }

    private Path write(String name, List<String> theNodes, List<String> thePods) throws Exception {
        List<String> items = new ArrayList<>(theNodes);
        items.addAll(thePods);
        Path out = dir.resolve(name);
        Files.writeString(out, "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[" + String.join(",", items) + "]}");
        return out;
    }

    private JsonNode rightsize(Path snap) throws Exception {
        List<String> args = new ArrayList<>(List.of("rightsize", "--snapshot", snap.toString(), "--cpu-usage", cpu.toString(),
                "--memory-usage", memory.toString(), "-o", "json"));
        args.addAll(List.of(QUICK));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    /** Whether a part's shape, before and after, carries GPUs (and of which vendor). */
    private static String gpuVendor(JsonNode part, String side) {
        return part.get(side).get("shape").path("gpuVendor").asText("");
    }

    @Test
    void theGpuPodIsSizedWithTheGpuNodeGroupAndTheCpuPodsOnCpuShapes() throws Exception {
        JsonNode root = rightsize(snapshot);
        JsonNode parts = root.get("nodeGroups");
        assertThat(parts).hasSize(2);
        // The pods that run anywhere: the 6 web pods alone, on a shape without GPUs (before the fix: 7 pods on g4dn).
        assertThat(parts.get(0).get("group").isNull()).isTrue();
        assertThat(parts.get(0).has("gpuPods")).isFalse();
        assertThat(parts.get(0).get("pods").asInt()).isEqualTo(6);
        for (String side : List.of("before", "after")) {
            assertThat(gpuVendor(parts.get(0), side)).as(side).isEmpty();
            assertThat(parts.get(0).get(side).get("shape").get("name").asText()).as(side).doesNotStartWith("g4");
        }
        // The GPU pod with its group: an NVIDIA shape as a node of the group (its taint), named for it.
        assertThat(parts.get(1).get("group").asText()).isEqualTo("gpu");
        assertThat(parts.get(1).get("pods").asInt()).isEqualTo(1);
        assertThat(parts.get(1).get("taints").get(0).asText()).isEqualTo("nvidia.com/gpu=present:NoSchedule");
        assertThat(gpuVendor(parts.get(1), "before")).isEqualTo("nvidia");
        assertThat(parts.get(1).get("after").get("shape").get("name").asText()).startsWith("g4dn.").endsWith(" [node group gpu]");
        assertThat(root.get("before").get("unschedulable")).isEmpty();
        // A tenth of the web pods' requests is used: the saving is the CPU workload's, no longer 0 % on GPU machines.
        assertThat(root.get("savingPercent").asDouble()).isGreaterThan(10);
        assertThat(root.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith("1 pod requesting GPUs (ml/train) is sized with node group gpu, whose nodes offer the GPUs (nvidia T4)"));
    }

    @Test
    void aPendingGpuPodNoGroupOffersGpusToIsSizedApart() throws Exception {
        // No GPU node in the snapshot: the GPU pod is Pending, and no node group offers it GPUs.
        List<String> pending = new ArrayList<>(pods.subList(0, 6));
        pending.add(pod("train-0", "train", "", "{\"cpu\":\"2\",\"memory\":\"8Gi\",\"nvidia.com/gpu\":\"1\"}", ""));
        JsonNode parts = rightsize(write("pending.json", nodes.subList(0, 2), pending)).get("nodeGroups");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).get("pods").asInt()).isEqualTo(6);
        assertThat(gpuVendor(parts.get(0), "after")).isEmpty();
        assertThat(parts.get(1).get("group").isNull()).isTrue();
        assertThat(parts.get(1).get("gpuPods").asBoolean()).isTrue();
        assertThat(parts.get(1).get("pods").asInt()).isEqualTo(1);
        assertThat(gpuVendor(parts.get(1), "before")).isEqualTo("nvidia");
        assertThat(parts.get(1).get("before").get("unschedulable")).isEmpty();
    }

    @Test
    void anAmdGpuPodIsNotSizedWithTheNvidiaGroup() throws Exception {
        List<String> amd = new ArrayList<>(pods.subList(0, 6));
        amd.add(pod("train-0", "train", "", "{\"cpu\":\"2\",\"memory\":\"8Gi\",\"amd.com/gpu\":\"1\"}",
                ",\"tolerations\":[{\"key\":\"nvidia.com/gpu\",\"operator\":\"Exists\",\"effect\":\"NoSchedule\"}]"));
        JsonNode parts = rightsize(write("amd.json", nodes, amd)).get("nodeGroups");
        assertThat(parts).hasSize(2);
        assertThat(gpuVendor(parts.get(0), "after")).isEmpty();
        assertThat(parts.get(1).get("gpuPods").asBoolean()).isTrue();
        assertThat(gpuVendor(parts.get(1), "after")).isEqualTo("amd");
    }

    /** From manifests (no snapshot, so no node group) a GPU Deployment beside CPU ones is sized apart too. */
    @Test
    void fromManifestsTheGpuPodsAreSizedApart() throws Exception {
        Path manifests = Files.createDirectories(dir.resolve("manifests"));
        Files.writeString(manifests.resolve("w.yaml"), deployment("web", "shop", 6, "{requests: {cpu: \"1\", memory: 2Gi}}") + "---\n"
                + deployment("train", "ml", 1, "{requests: {cpu: \"2\", memory: 8Gi, nvidia.com/gpu: 1}, limits: {nvidia.com/gpu: 1}}"));
        Path usage = Files.writeString(dir.resolve("usage.csv"), "timestamp,namespace,workload,container,cpu,memory\n"
                + "1764547200,shop,web,app,0.1,209715200\n");
        List<String> args = new ArrayList<>(List.of("rightsize", "--pods", manifests.toString(), "--usage", usage.toString(), "-o", "json"));
        args.addAll(List.of(QUICK));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        JsonNode parts = root.get("nodeGroups");
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).get("pods").asInt()).isEqualTo(6);
        assertThat(gpuVendor(parts.get(0), "before")).isEmpty();
        assertThat(gpuVendor(parts.get(0), "after")).isEmpty();
        assertThat(parts.get(1).get("gpuPods").asBoolean()).isTrue();
        assertThat(gpuVendor(parts.get(1), "after")).isEqualTo("nvidia");
        assertThat(root.get("warnings")).extracting(JsonNode::asText)
                .anyMatch(w -> w.startsWith("1 pod requesting GPUs (ml/train) is sized apart, as (pods requesting GPUs), on the best shape "
                        + "with the GPUs: one shape for GPU pods"));
    }

    @Test
    void theTextNamesTheSplitAndRecommendSaysWhyItsOneShapeHasGpus() {
        List<String> args = new ArrayList<>(List.of("rightsize", "--snapshot", snapshot.toString(), "--cpu-usage", cpu.toString(),
                "--memory-usage", memory.toString()));
        args.addAll(List.of(QUICK));
        CliRunner r = CliRunner.run(args.toArray(String[]::new));
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).containsPattern("\\n\\(pods any node admits\\) +6 +(m5|c5)").containsPattern("\\ngpu +1 +g4dn\\.");
        CliRunner rec = CliRunner.run("recommend", "--snapshot", snapshot.toString(), "--families", "m5,c5,g4dn", "--strategies", "ffd",
                "--quiet", "--reproducible");
        assertThat(rec.exitCode()).as(rec.err()).isZero();
        assertThat(rec.out()).containsPattern("note: the best single shape, g4dn\\.[0-9a-z]+, has GPUs because 1 of 7 pods requests them: "
                + "the 6 pods requesting none that it places are sized on GPU machines too")
                .contains("each GPU shape also as a node of node group gpu (");
    }

    /**
     * Review 67: a node group part that holds no pod (a GPU pod where no candidate has GPUs) bills $0; the whole
     * cluster's cost and saving stay known, not "unknown (a shape has no price)".
     */
    @Test
    void aPartHoldingNoPodBillsNothingAndTheSavingStaysKnown() throws Exception {
        Path manifests = Files.writeString(dir.resolve("mixed.yaml"), deployment("web", "a", 2, "{requests: {cpu: \"1\", memory: 2Gi}}")
                + "---\n" + deployment("train", "a", 1, "{requests: {cpu: \"1\", memory: 2Gi}, limits: {nvidia.com/gpu: 1}}"));
        Path usage = Files.writeString(dir.resolve("use.csv"), "timestamp,namespace,workload,container,cpu,memory\n"
                + "1764547200,a,web,app,0.2,500000000\n");
        CliRunner r = CliRunner.run("rightsize", "--pods", manifests.toString(), "--usage", usage.toString(), "--node", "aws:m5.xlarge",
                "--quiet", "--reproducible");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(r.out()).contains("saving: $").doesNotContain("cost: unknown");
    }

    /** A Deployment of {@code replicas} whose one container has {@code resources} (a YAML flow mapping). */
    private static String deployment(String name, String namespace, int replicas, String resources) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s, namespace: %2$s}
                spec:
                  replicas: %3$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                      containers: [{name: app, image: x, resources: %4$s}]
                """.formatted(name, namespace, replicas, resources);
    }
}

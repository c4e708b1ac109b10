package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.nodesizer.testkit.Fixtures.gpuNodeItem;
import static io.nodesizer.testkit.Fixtures.gpuPodItem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A pod's GPUs are its vendor's: {@code nvidia.com/gpu} is served by NVIDIA's device plugin only,
 * so such a pod runs on NVIDIA GPU nodes and never on AMD ones (g4ad's Radeon Pro V520, Azure
 * NVv4's MI25), and {@code amd.com/gpu} the other way round; an openb trace's pods are NVIDIA's. A plain GPU count (CSV)
 * and an inline shape without a vendor keep accepting any. A running cluster's nodes are their device plugins'
 * vendor's, by the GPU resource names their allocatable lists.
 */
final class GpuVendorCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path deployment(String resource) throws Exception {
        Path p = dir.resolve(resource.replace('/', '_') + ".yaml");
        Files.writeString(p, Deployments.deployment(null, "llm", java.util.Map.of("app", "llm"), 4, "",
                "resources: {requests: {cpu: 2, memory: 8Gi}, limits: {%s: 1}}".formatted(resource)));
        return p;
    }

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static JsonNode json(String... args) throws Exception {
        CliRunner r = CliRunner.run(args);
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    @Test
    void anNvidiaPodIsRefusedByAnAmdShapeWithTheReason() throws Exception {
        Path nvidia = deployment("nvidia.com/gpu");
        JsonNode amd = json("pack", "--pods", nvidia.toString(), "--node", "aws:g4ad.16xlarge", "-o", "json", "--quiet");
        assertThat(amd.get("unschedulable")).hasSize(4);
        assertThat(amd.get("unschedulable").get(0).get("reason").asText())
                .isEqualTo("needs nvidia.com/gpu; g4ad.16xlarge has AMD GPUs (amd.com/gpu, another vendor's device plugin)");
        JsonNode t4 = json("pack", "--pods", nvidia.toString(), "--node", "aws:g4dn.12xlarge", "-o", "json", "--quiet");
        assertThat(t4.get("unschedulable")).isEmpty();
        // An inline shape names no vendor: any pod's GPUs run there.
        JsonNode inline = json("pack", "--pods", nvidia.toString(), "--node", "cpu=16,memory=64Gi,gpu=4", "-o", "json", "--quiet");
        assertThat(inline.get("unschedulable")).isEmpty();
    }

    @Test
    void recommendRanksOnlyTheVendorsShapes() throws Exception {
        // g4ad (AMD) is cheaper than g4dn (NVIDIA) per GPU: the NVIDIA pods must still get g4dn, the AMD pods g4ad.
        JsonNode nvidia = json("recommend", "--pods", deployment("nvidia.com/gpu").toString(), "--families", "g4ad,g4dn",
                "--strategies", "ffd", "-o", "json", "--quiet");
        for (JsonNode s : nvidia.get("shapes")) {
            if (s.get("unschedulable").isEmpty()) {
                assertThat(s.get("shape").get("gpuVendor").asText()).as(s.get("shape").get("name").asText()).isEqualTo("nvidia");
            }
        }
        assertThat(nvidia.get("shapes").get(0).get("shape").get("family").asText()).isEqualTo("g4dn");
        JsonNode amd = json("recommend", "--pods", deployment("amd.com/gpu").toString(), "--families", "g4ad,g4dn",
                "--strategies", "ffd", "-o", "json", "--quiet");
        assertThat(amd.get("shapes").get(0).get("shape").get("family").asText()).isEqualTo("g4ad");
        assertThat(amd.get("shapes").get(0).get("shape").get("gpuVendor").asText()).isEqualTo("amd");
    }

    @Test
    void azureAmdSizesAreRefusedToNvidiaPods() throws Exception {
        JsonNode r = json("pack", "--pods", deployment("nvidia.com/gpu").toString(), "--node", "azure:Standard_NV32as_v4", "-o", "json", "--quiet");
        assertThat(r.get("unschedulable")).hasSize(4);
        assertThat(r.get("unschedulable").get(0).get("reason").asText()).contains("has AMD GPUs (amd.com/gpu");
    }

    @Test
    void aCsvGpuCountWithoutModelRunsOnAnyVendor() throws Exception {
        Path csv = file("w.csv", """
                name,cpu,memory,gpu,replicas
                train,2,8Gi,1,4
                """);
        JsonNode amd = json("pack", "--pods", csv.toString(), "--node", "aws:g4ad.16xlarge", "-o", "json", "--quiet");
        assertThat(amd.get("unschedulable")).isEmpty();
        // Where the AMD type ranks first, a note says the pods were taken to run on any vendor's GPUs (QA 49b F2).
        JsonNode rec = json("recommend", "--pods", csv.toString(), "--families", "g4ad,g4dn", "--strategies", "ffd", "-o", "json",
                "--quiet");
        assertThat(rec.get("shapes").get(0).get("shape").get("gpuVendor").asText()).isEqualTo("amd");
        assertThat(rec.get("workload").get("notes").toString()).contains("has AMD GPUs, taken for the GPUs of train, which name no vendor");
        JsonNode nvidia = json("recommend", "--pods", csv.toString(), "--families", "g4dn", "--strategies", "ffd", "-o", "json",
                "--quiet");
        assertThat(nvidia.get("workload").get("notes").toString()).doesNotContain("name no vendor");
    }

    /**
     * The ExtendedResourceToleration admission plugin tolerates the taint named for the GPU resource a pod requests; a CSV
     * row's GPUs name none and run on any vendor's, where they request that node's resource: so a tainted GPU pool of any
     * vendor takes them (they were all unschedulable there, QA 49b F1), and not a pod without GPUs.
     */
    @Test
    void aCsvGpuPodToleratesTheGpuTaintOfAnyVendor() throws Exception {
        Path csv = file("w.csv", """
                name,cpu,memory,gpu,replicas
                train,2,8Gi,1,2
                web,1,1Gi,0,2
                """);
        for (String node : java.util.List.of("aws:g4dn.2xlarge,taints=nvidia.com/gpu=present:NoSchedule",
                "aws:g4ad.4xlarge,taints=amd.com/gpu=present:NoSchedule")) {
            JsonNode r = json("pack", "--pods", csv.toString(), "--node", node, "-o", "json", "--quiet");
            assertThat(r.get("unschedulable")).as(node).hasSize(2);
            assertThat(r.get("unschedulable").toString()).as(node).contains("web-0").doesNotContain("train");
        }
    }

    /**
     * An openb trace's GPU pods are NVIDIA's (Alibaba's cluster is an NVIDIA fleet): an AMD type refuses them with the reason
     * (g4ad had ranked first for the trace, QA 49b F2), and they tolerate NVIDIA's GPU taint as a manifest's pod does.
     */
    @Test
    void anOpenbGpuPodIsNvidias() throws Exception {
        Path trace = file("openb.csv", """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                openb-pod-0001,4000,16384,1,1000,,LS,Running,0,3600,1
                openb-pod-0002,2000,4096,0,0,,LS,Running,0,3600,1
                """);
        JsonNode amd = json("pack", "--pods", trace.toString(), "--node", "aws:g4ad.16xlarge", "-o", "json", "--quiet");
        assertThat(amd.get("unschedulable")).hasSize(1);
        assertThat(amd.get("unschedulable").get(0).get("reason").asText())
                .isEqualTo("needs nvidia.com/gpu; g4ad.16xlarge has AMD GPUs (amd.com/gpu, another vendor's device plugin)");
        JsonNode tainted = json("pack", "--pods", trace.toString(), "--node", "aws:g4dn.2xlarge,taints=nvidia.com/gpu=present:NoSchedule",
                "-o", "json", "--quiet");
        assertThat(tainted.get("unschedulable")).hasSize(1);
        assertThat(tainted.get("unschedulable").get(0).get("pod").asText()).isEqualTo("openb-pod-0002");
        JsonNode rec = json("recommend", "--pods", trace.toString(), "--families", "g4ad,g4dn", "--strategies", "ffd", "-o", "json",
                "--quiet");
        assertThat(rec.get("shapes").get(0).get("shape").get("family").asText()).isEqualTo("g4dn");
    }

    /** An NVIDIA node with four free GPUs, and an AMD one. */
    private Path twoVendors(String... pods) throws Exception {
        Path p = dir.resolve("cluster.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: List\nitems:\n" + gpuNodeItem("nv-1", "g4dn.12xlarge", 48, "nvidia.com/gpu", 4)
                + gpuNodeItem("amd-1", "g4ad.4xlarge", 16, "amd.com/gpu", 1) + String.join("", pods));
        return p;
    }

    /**
     * {@code pack --fleet} onto a snapshot: the AMD pods go to the AMD node only, never to the NVIDIA
     * node's free GPUs (all four went there before the nodes carried a vendor); NVIDIA pods the other way.
     */
    @Test
    void packOntoASnapshotPutsEachPodOnANodeOfItsVendor() throws Exception {
        Path cluster = twoVendors();
        Path assignments = dir.resolve("a.csv");
        JsonNode amd = json("pack", "--fleet", cluster.toString(), "--pods", deployment("amd.com/gpu").toString(), "--assignments",
                assignments.toString(), "-o", "json", "--quiet");
        assertThat(amd.get("placed").asInt()).isEqualTo(1); // amd-1 has one GPU
        assertThat(Files.readAllLines(assignments)).filteredOn(l -> l.contains(",amd-1,")).hasSize(1);
        assertThat(Files.readAllLines(assignments)).noneMatch(l -> l.contains(",nv-1,"));
        assertThat(amd.get("unplaced").get(0).get("reason").asText())
                .isEqualTo("no room left: it fits an empty node of shape g4ad.4xlarge, but every node that could hold it is full");
        JsonNode nvidia = json("pack", "--fleet", cluster.toString(), "--pods", deployment("nvidia.com/gpu").toString(), "-o", "json",
                "--quiet");
        assertThat(nvidia.get("placed").asInt()).isEqualTo(4);
        assertThat(nvidia.get("shapes").get(0).get("used").asInt()).isEqualTo(1); // on nv-1 (g4dn.12xlarge)
        assertThat(nvidia.get("shapes").get(1).get("used").asInt()).isZero();
    }

    /** With no node of its vendor in the fleet, the pod is refused in the words a candidate shape's refusal uses. */
    @Test
    void packOntoASnapshotWithoutTheVendorSaysWhy() throws Exception {
        Path p = dir.resolve("nvidia-only.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: List\nitems:\n" + gpuNodeItem("nv-1", "g4dn.12xlarge", 48, "nvidia.com/gpu", 4));
        JsonNode r = json("pack", "--fleet", p.toString(), "--pods", deployment("amd.com/gpu").toString(), "-o", "json", "--quiet");
        assertThat(r.get("placed").asInt()).isZero();
        assertThat(r.get("unplaced").get(0).get("reason").asText()).isEqualTo("fits no node of the fleet: needs amd.com/gpu; nv-1 has "
                + "NVIDIA GPUs (nvidia.com/gpu, another vendor's device plugin)");
    }

    /** A pod without a controller on nv-1: that node stays, and could take the AMD node's pod if the vendor allowed it. */
    private static final String NOTEBOOK = """
            - apiVersion: v1
              kind: Pod
              metadata: {name: notebook, namespace: ml}
              spec: {nodeName: nv-1, containers: [{name: app, resources: {requests: {cpu: "1", memory: 1Gi}}}]}
              status: {phase: Running}
            """;

    /**
     * {@code consolidate}: the AMD node's pod may not move to the NVIDIA node's free GPUs, so the AMD
     * node stays (it was removed, its pod moved to nv-1), and the pending AMD pod holds no room there.
     */
    @Test
    void consolidateKeepsAGpuPodOnANodeOfItsVendor() throws Exception {
        Path cluster = twoVendors(NOTEBOOK, gpuPodItem("render-0", "amd-1", "amd.com/gpu"), gpuPodItem("render-1", null,
                "amd.com/gpu"));
        // Above 1 no node is kept for its utilisation (the AMD node's GPUs are all requested: CA's 0.5 would keep it first).
        JsonNode r = json("consolidate", "--snapshot", cluster.toString(), "--no-replace", "--scale-down-utilization-threshold", "2",
                "-o", "json", "--quiet");
        assertThat(r.get("actions")).isEmpty();
        assertThat(r.get("pendingUnplaced")).extracting(JsonNode::asText).containsExactly("ml/render-1");
        assertThat(r.get("kept").get(1).get("node").asText()).isEqualTo("amd-1");
        assertThat(r.get("kept").get(1).get("reason").asText()).contains("would find no room on the other nodes").contains("another vendor's device plugin");
        assertThat(r.get("lowerBoundCostPerHour").asDouble()).isEqualTo(r.get("before").get("costPerHour").asDouble());
    }

    /**
     * {@code analyze}: a pending AMD pod does not "fit the free room" of the NVIDIA node, and the AMD
     * node's pod would be lost if that node went down (it counted as re-placed on nv-1).
     */
    @Test
    void analyzeFitsAGpuPodOnlyOnNodesOfItsVendor() throws Exception {
        Path cluster = twoVendors(NOTEBOOK, gpuPodItem("render-0", "amd-1", "amd.com/gpu"), gpuPodItem("render-1", null,
                "amd.com/gpu"));
        JsonNode r = json("analyze", "--snapshot", cluster.toString(), "-o", "json", "--quiet");
        assertThat(r.get("pending").get(0).get("reason").asText()).startsWith("needs 1 GPU, the most free on one schedulable node is 0 GPU; "
                + "1 node refuses it (nv-1: ");
        assertThat(r.get("nodes").get(1).get("name").asText()).isEqualTo("amd-1");
        assertThat(r.get("nodes").get(1).get("unplaceableIfLost").asInt()).isEqualTo(1);
        // The text shows the GPUs beside CPU and memory (QA 49b F4: a pool with every GPU taken read as its CPU share alone).
        CliRunner text = CliRunner.run("analyze", "--snapshot", cluster.toString(), "--quiet");
        assertThat(text.exitCode()).as(text.err()).isZero();
        String amdPool = text.out().lines().filter(l -> l.contains("g4ad.4xlarge")).findFirst().orElseThrow();
        assertThat(text.out()).contains("alloc GPU").contains("req GPU").contains("GPU %");
        assertThat(amdPool.trim().split(" +")).containsSequence("1", "1", "100.0");
    }

    /**
     * The DaemonSet controller creates a pod on every node its selector, affinity and tolerations
     * admit, whatever the node's resources; one asking for GPUs a node lacks (another vendor's, or
     * any on a type without GPUs) stays Pending there and takes nothing. Before, its GPU was taken
     * from every node: on g5.12xlarge one of the four NVIDIA GPUs went to an AMD DaemonSet (2 nodes
     * for 4 one-GPU pods), and on m5.xlarge the DaemonSets needing more than m5.xlarge
     * allocates left every pod unschedulable.
     */
    @Test
    void aDaemonSetAskingForGpusANodeLacksTakesNothingThere() throws Exception {
        Path p = dir.resolve("ds.yaml");
        Files.writeString(p, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: gpu-check}
                spec:
                  selector: {matchLabels: {app: gpu-check}}
                  template:
                    metadata: {labels: {app: gpu-check}}
                    spec:
                      containers:
                      - name: c
                        resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {amd.com/gpu: 1}}
                ---
                """ + Files.readString(deployment("nvidia.com/gpu")));
        JsonNode g5 = json("pack", "--pods", p.toString(), "--node", "aws:g5.12xlarge", "-o", "json", "--quiet");
        assertThat(g5.get("unschedulable")).isEmpty();
        assertThat(g5.get("nodes").asInt()).isEqualTo(1); // 4 pods of 1 NVIDIA GPU on the 4 GPUs of one node
        assertThat(g5.get("shape").get("daemonSets").get("gpus").asLong()).isZero();
        assertThat(g5.toString()).contains("DaemonSet gpu-check needs amd.com/gpu; g5.12xlarge has NVIDIA GPUs");
        JsonNode g4ad = json("pack", "--pods", p.toString(), "--node", "aws:g4ad.16xlarge", "-o", "json", "--quiet");
        assertThat(g4ad.get("shape").get("daemonSets").get("gpus").asLong()).isEqualTo(1); // its own vendor's: it runs
        Path web = dir.resolve("web.yaml");
        Files.writeString(web, Files.readString(p).split("---")[0].replace("amd.com/gpu: 1", "nvidia.com/gpu: 1") + "---\n"
                + Deployments.deployment("web", 4, "", "2", "8Gi"));
        JsonNode m5 = json("pack", "--pods", web.toString(), "--node", "aws:m5.2xlarge", "-o", "json", "--quiet");
        assertThat(m5.get("unschedulable")).isEmpty();
        assertThat(m5.get("shape").get("daemonSets").get("cpuMillis").asLong()).isZero();
        assertThat(m5.toString()).contains("DaemonSet gpu-check requests 1 GPU and m5.2xlarge allocates 0");
    }

    /** GPUs are whole devices, one pod's each: of two 1-GPU DaemonSets on a 1-GPU type, the second's pod stays Pending and takes nothing. */
    @Test
    void aSecondGpuDaemonSetFindsTheGpuTaken() throws Exception {
        String ds = """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: NAME}
                spec:
                  selector: {matchLabels: {app: NAME}}
                  template:
                    metadata: {labels: {app: NAME}}
                    spec:
                      containers:
                      - name: c
                        resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {nvidia.com/gpu: 1}}
                ---
                """;
        Path p = dir.resolve("two.yaml");
        Files.writeString(p, ds.replace("NAME", "first") + ds.replace("NAME", "second") + Deployments.deployment("web", 2, "", "1", "2Gi"));
        JsonNode g4dn = json("pack", "--pods", p.toString(), "--node", "aws:g4dn.xlarge", "-o", "json", "--quiet");
        assertThat(g4dn.get("shape").get("daemonSets").get("gpus").asLong()).isEqualTo(1);
        assertThat(g4dn.get("shape").get("daemonSets").get("cpuMillis").asLong()).isEqualTo(100);
        assertThat(g4dn.toString()).contains("DaemonSet second requests 1 GPU and the DaemonSets before it take 1 of g4dn.xlarge's 1");
        JsonNode g4dn12 = json("pack", "--pods", p.toString(), "--node", "aws:g4dn.12xlarge", "-o", "json", "--quiet");
        assertThat(g4dn12.get("shape").get("daemonSets").get("gpus").asLong()).isEqualTo(2); // four GPUs: both run
    }
}

package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A running cluster's pods that request resources nodesizer does not pack (hugepages, MIG slices, SR-IOV pools): kube-scheduler's
 * NodeResourcesFit checks them like CPU, so a node that does not offer one cannot take such a pod (QA 38a finding 1: consolidate
 * moved a DPDK pod onto a node without hugepages and replaced a MIG node by a CPU-only shape).
 */
final class ExtendedResourcesCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private static String node(String name, String extra) {
        return """
                - apiVersion: v1
                  kind: Node
                  metadata:
                    name: %s
                    labels: {node.kubernetes.io/instance-type: m5.xlarge, kubernetes.io/arch: amd64, kubernetes.io/os: linux}
                  status:
                    capacity: {cpu: '4', memory: 16Gi, pods: '58'%s}
                    allocatable: {cpu: 3920m, memory: 15Gi, pods: '58'%s}
                """.formatted(name, extra, extra);
    }

    private static String pod(String name, String node, String requests) {
        return """
                - apiVersion: v1
                  kind: Pod
                  metadata:
                    name: %s
                    namespace: shop
                    ownerReferences: [{apiVersion: apps/v1, kind: StatefulSet, name: %s, controller: true, uid: u}]
                  spec:
                    nodeName: %s
                    containers:
                    - name: app
                      resources:
                        requests: {cpu: 500m, memory: 1Gi%s}
                        limits: {memory: 1Gi%s}
                  status: {phase: Running}
                """.formatted(name + "-0", name, node, requests, requests);
    }

    private Path snapshot() throws Exception {
        Path p = dir.resolve("cluster.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: List\nitems:\n"
                + node("with-hugepages", ", hugepages-2Mi: 1Gi, hugepages-1Gi: '0'")
                + node("plain", ", hugepages-2Mi: '0'")
                + pod("dpdk", "with-hugepages", ", hugepages-2Mi: 512Mi")
                + pod("web", "plain", ""));
        return p;
    }

    @Test
    void consolidateKeepsTheNodeOfAPodRequestingHugepages() throws Exception {
        CliRunner r = CliRunner.run("consolidate", "--snapshot", snapshot().toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        for (JsonNode a : root.get("actions")) {
            assertThat(a.get("node").asText()).isNotEqualTo("with-hugepages");
        }
        assertThat(root.get("kept")).anySatisfy(k -> {
            assertThat(k.get("node").asText()).isEqualTo("with-hugepages");
            assertThat(k.get("reason").asText()).contains("shop/dpdk-0").contains("hugepages-2Mi").contains("does not pack");
        });
    }

    /**
     * A pending pod needs MIG slices its pods have not taken: the node offers 7, a running pod uses 6, the pending pod asks
     * for 2. consolidate said the node "holds room for pending pods" and listed none unplaced, where analyze (and
     * NodeResourcesFit) say it does not fit (QA 58c F1).
     */
    @Test
    void aPendingPodNeedsTheSlicesTheRunningPodsLeave() throws Exception {
        String slices = ", nvidia.com/mig-1g.5gb: '7'";
        String pending = pod("trainer", "mig", ", nvidia.com/mig-1g.5gb: '2'").replace("    nodeName: mig\n", "")
                .replace("{phase: Running}", "{phase: Pending}");
        Path p = dir.resolve("mig.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: List\nitems:\n" + node("mig", slices) + node("plain", "")
                + pod("inference", "mig", ", nvidia.com/mig-1g.5gb: '6'") + pod("web", "plain", "") + pending);
        JsonNode root = JSON.readTree(CliRunner.run("consolidate", "--snapshot", p.toString(), "-o", "json").out());
        assertThat(root.get("pendingUnplaced")).extracting(JsonNode::asText).containsExactly("shop/trainer-0");
        assertThat(root.get("kept")).anySatisfy(k -> {
            assertThat(k.get("node").asText()).isEqualTo("mig");
            assertThat(k.get("reason").asText()).contains("shop/inference-0").doesNotContain("pending");
        });
        // With a slice less in use, it has room: the node holds it.
        Files.writeString(p, Files.readString(p).replace("mig-1g.5gb: '6'", "mig-1g.5gb: '5'"));
        JsonNode fits = JSON.readTree(CliRunner.run("consolidate", "--snapshot", p.toString(), "-o", "json").out());
        assertThat(fits.get("pendingUnplaced")).isEmpty();
        assertThat(fits.get("kept")).anySatisfy(k -> assertThat(k.get("reason").asText()).contains("pending"));
    }

    /** A node without hugepages cannot take the pod, so it is lost if its node goes down; the other node's pod is not. */
    @Test
    void analyzeCountsThePodLostWhereNoOtherNodeOffersTheResource() throws Exception {
        CliRunner r = CliRunner.run("analyze", "--snapshot", snapshot().toString(), "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode nodes = JSON.readTree(r.out()).get("nodes");
        assertThat(nodes).anySatisfy(n -> {
            assertThat(n.get("name").asText()).isEqualTo("with-hugepages");
            assertThat(n.get("unplaceableIfLost").asInt()).isEqualTo(1);
        });
        assertThat(nodes).anySatisfy(n -> {
            assertThat(n.get("name").asText()).isEqualTo("plain");
            assertThat(n.get("unplaceableIfLost").asInt()).isZero();
        });
    }

    /**
     * recommend packs such a pod as if every shape offered the resource, and says so, as for a manifest: as approximated,
     * not among the objects left out, since its pods are packed and counted (QA 62 item 2).
     */
    @Test
    void recommendSaysTheResourceIsNotModelled() throws Exception {
        CliRunner r = CliRunner.run("recommend", "--snapshot", snapshot().toString(), "--families", "m5", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode workload = JSON.readTree(r.out()).get("workload");
        assertThat(workload.get("approximated")).anySatisfy(i ->
                assertThat(i.asText()).contains("shop/dpdk").contains("hugepages-2Mi are not modelled"));
        assertThat(workload.get("ignored")).noneSatisfy(i -> assertThat(i.asText()).contains("not modelled"));
        CliRunner text = CliRunner.run("recommend", "--snapshot", snapshot().toString(), "--families", "m5");
        assertThat(text.out()).contains("approximated StatefulSet shop/dpdk").doesNotContain("ignored StatefulSet shop/dpdk");
    }

    /** A Deployment: its name, replicas and app label, more of its pod spec (indented, or ""), then extra requests and limits. */
    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: %s}
            spec:
              replicas: %d
              selector: {matchLabels: {app: %s}}
              template:
                metadata: {labels: {app: %3$s}}
                spec:
            %s      containers:
                  - {name: c, image: x, resources: {requests: {cpu: "2", memory: 8Gi%s}, limits: {memory: 8Gi%s}}}
            """;

    /**
     * QA 69a F4: pods asking for MIG slices (the NVIDIA device plugin's mixed strategy) or time-sliced replicas
     * ({@code nvidia.com/gpu.shared}) run only on nodes with NVIDIA GPUs so partitioned. Packed as if every node offered
     * them, 7 such pods were sized onto 3 m5a.2xlarge with no GPU type swept; now they are left out, with the reason, and
     * the other workloads are sized; hugepages stay an approximation.
     */
    @Test
    void podsAskingForSharesOfNvidiaGpusAreLeftOutWithTheReason() throws Exception {
        Path m = Files.createDirectories(dir.resolve("m"));
        Files.writeString(m.resolve("mig.yaml"), DEPLOYMENT.formatted("small-infer", 7, "si", "", ", nvidia.com/mig-1g.10gb: 1",
                ", nvidia.com/mig-1g.10gb: 1"));
        Files.writeString(m.resolve("shared.yaml"), DEPLOYMENT.formatted("sliced", 2, "sl", "", ", nvidia.com/gpu.shared: 1",
                ", nvidia.com/gpu.shared: 1"));
        Files.writeString(m.resolve("web.yaml"), DEPLOYMENT.formatted("web", 3, "w", "", ", hugepages-2Mi: 2Mi", ", hugepages-2Mi: 2Mi"));
        CliRunner r = CliRunner.run("recommend", "--pods", m.toString(), "--families", "m5", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("shapes").get(0).get("pods").asInt()).isEqualTo(3);
        JsonNode workload = root.get("workload");
        assertThat(workload.get("ignored")).anySatisfy(i -> assertThat(i.asText()).contains("Deployment small-infer")
                .contains("not packed: its pods request nvidia.com/mig-1g.10gb, a share of an NVIDIA GPU"));
        assertThat(workload.get("ignored")).anySatisfy(i -> assertThat(i.asText()).contains("Deployment sliced")
                .contains("request nvidia.com/gpu.shared"));
        assertThat(workload.get("approximated")).singleElement().satisfies(i -> assertThat(i.asText()).contains("Deployment web")
                .contains("hugepages-2Mi"));
        // A running cluster's pod on a MIG node likewise.
        Path p = dir.resolve("mig.yaml");
        Files.writeString(p, "apiVersion: v1\nkind: List\nitems:\n" + node("mig", ", nvidia.com/mig-1g.5gb: '7'") + node("plain", "")
                + pod("inference", "mig", ", nvidia.com/mig-1g.5gb: '6'") + pod("web", "plain", ""));
        CliRunner s = CliRunner.run("recommend", "--snapshot", p.toString(), "--families", "m5", "-o", "json");
        assertThat(s.exitCode()).as(s.err()).isZero();
        JsonNode snap = JSON.readTree(s.out());
        assertThat(snap.get("shapes").get(0).get("pods").asInt()).isEqualTo(1);
        assertThat(snap.get("workload").get("ignored")).anySatisfy(i -> assertThat(i.asText()).contains("shop/inference")
                .contains("not packed: its pods request nvidia.com/mig-1g.5gb"));
        assertThat(snap.get("workload").get("approximated")).isEmpty();
    }

    /**
     * Review 69 #8: the HPA of a workload left out for its GPU shares, and a workload co-located with its pods (required pod
     * affinity on the hostname), were told it is not among the inputs: "its target Deployment ml/infer is not among the
     * inputs", and web's pods unschedulable as "no pod of the workload matches its terms". The HPA's note says the target
     * is left out and why; web is left out too, beside the GPU pods its affinity needs, and api alone is sized.
     */
    @Test
    void theHpaAndCoLocatedPodsOfAWorkloadLeftOutForGpuSharesSayWhy() throws Exception {
        String affinity = "      affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: "
                + "[{topologyKey: kubernetes.io/hostname, labelSelector: {matchLabels: {app: infer}}}]}}\n";
        Path f = dir.resolve("mig-hpa.yaml");
        Files.writeString(f, DEPLOYMENT.formatted("infer", 7, "infer", "", ", nvidia.com/mig-1g.10gb: 1", ", nvidia.com/mig-1g.10gb: 1")
                + "---\n" + DEPLOYMENT.formatted("web", 2, "web", affinity, "", "") + "---\n" + DEPLOYMENT.formatted("api", 3, "api", "", "", "")
                + """
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: infer}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: infer}
                  minReplicas: 2
                  maxReplicas: 10
                ---
                apiVersion: autoscaling/v2
                kind: HorizontalPodAutoscaler
                metadata: {name: web}
                spec:
                  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
                  minReplicas: 2
                  maxReplicas: 4
                """);
        CliRunner r = CliRunner.run("recommend", "--pods", f.toString(), "--node", "cpu=8,memory=32Gi,price=0.5", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        JsonNode root = JSON.readTree(r.out());
        assertThat(root.get("workload").get("pods").asInt()).isEqualTo(3);
        assertThat(root.get("shapes").get(0).get("unschedulable")).isEmpty();
        assertThat(root.get("workload").get("ignored")).anySatisfy(i -> assertThat(i.asText()).contains("HorizontalPodAutoscaler infer")
                .contains("not applied: its target Deployment infer (" + f + ":1) is left out for the shares of NVIDIA GPUs its pods request"));
        assertThat(root.get("workload").get("ignored").toString()).doesNotContain("is not among the inputs");
        // The HPA of the workload left out beside them says why too (review 70 #7).
        assertThat(root.get("workload").get("ignored")).anySatisfy(i -> assertThat(i.asText()).contains("HorizontalPodAutoscaler web")
                .contains("not applied: its target Deployment web (" + f + ":").contains(") is left out: its required pod affinity"));
        assertThat(root.get("workload").get("ignored")).anySatisfy(i -> assertThat(i.asText()).contains("Deployment web")
                .contains("not packed: its required pod affinity (topology key kubernetes.io/hostname) is met only by pods of Deployment "
                        + "infer, left out for their shares of NVIDIA GPUs"));
    }
}

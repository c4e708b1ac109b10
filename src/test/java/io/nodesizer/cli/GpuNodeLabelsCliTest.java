package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * QA 38b finding 2: GPU pods pinned by NVIDIA GPU feature discovery's labels or a cloud's accelerator label were refused on
 * every catalog GPU type ("the node has no such label"), the commonest pin in real serving manifests.
 */
final class GpuNodeLabelsCliTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Path deployment(String selector) throws Exception {
        Path p = dir.resolve("serve.yaml");
        Files.writeString(p, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: serve, namespace: ml}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: serve}}
                  template:
                    metadata: {labels: {app: serve}}
                    spec:
                      nodeSelector: {%s}
                      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
                      containers:
                      - name: vllm
                        image: vllm/vllm-openai
                        resources:
                          requests: {cpu: '4', memory: 16Gi}
                          limits: {nvidia.com/gpu: 1}
                """.formatted(selector));
        return p;
    }

    private JsonNode pack(Path pods, String node) throws Exception {
        CliRunner r = CliRunner.run("pack", "--pods", pods.toString(), "--node", node, "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return JSON.readTree(r.out());
    }

    /** gpu.product names the board; its chip is the GPU model the shape's is matched against, as a trace's gpu_spec. */
    @Test
    void aGpuProductPinIsAPinToTheModel() throws Exception {
        Path pods = deployment("nvidia.com/gpu.product: NVIDIA-A100-SXM4-40GB");
        assertThat(pack(pods, "aws:p4d.24xlarge").get("nodes").asInt()).isEqualTo(1);
        JsonNode g5 = pack(pods, "aws:g5.12xlarge");
        assertThat(g5.get("nodes").asInt()).isZero();
        assertThat(g5.get("unschedulable").get(0).get("reason").asText()).contains("needs GPU model A100");
    }

    /**
     * QA 69a F2, F3: the pin is to the board GPU feature discovery names. An 80 GB A100 pin was met by p4d's 40 GB boards (ranked
     * first, "cheapest proven"), where only p4de carries it; an RTX PRO 6000 pin was read as "RTX" and refused on g7e, which has it.
     */
    @Test
    void aGpuProductPinIsAPinToTheBoard() throws Exception {
        Path a100x80 = deployment("nvidia.com/gpu.product: NVIDIA-A100-SXM4-80GB");
        JsonNode p4d = pack(a100x80, "aws:p4d.24xlarge");
        assertThat(p4d.get("nodes").asInt()).isZero();
        assertThat(p4d.get("unschedulable").get(0).get("reason").asText())
                .isEqualTo("needs GPU model A100-SXM4-80GB; p4d.24xlarge has A100-SXM4-40GB");
        JsonNode p4de = pack(a100x80, "aws:p4de.24xlarge");
        assertThat(p4de.get("nodes").asInt()).isEqualTo(1);
        // The shape's gpuModel is the board the matching uses, not the catalog's chip (review 69 #10: p4d and p4de both "a100").
        assertThat(p4de.get("shape").get("gpuModel").asText()).isEqualTo("A100-SXM4-80GB");
        assertThat(p4d.get("shape").get("gpuModel").asText()).isEqualTo("A100-SXM4-40GB");
        Path rtx = deployment("nvidia.com/gpu.product: NVIDIA-RTX-PRO-6000-Blackwell-Server-Edition");
        CliRunner r = CliRunner.run("pack", "--pods", rtx.toString(), "--node", "aws:g7e.2xlarge", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("nodes").asInt()).isEqualTo(2);
        assertThat(r.err()).doesNotContain("which no bundled catalog");
        assertThat(pack(rtx, "azure:Standard_NC36ds_xl_RTXPRO6000BSE_v6").get("nodes").asInt()).isEqualTo(2);
        assertThat(pack(rtx, "aws:g7.2xlarge").get("unschedulable").get(0).get("reason").asText())
                .isEqualTo("needs GPU model RTX-PRO-6000-BLACKWELL-SERVER-EDITION; g7.2xlarge has rtx-pro-4500");
    }

    /**
     * QA 69a F8: the warning about GPU models no bundled catalog offers leaves out those a shape of the run declares; it named
     * G2 with the very --node that offered it as its example.
     */
    @Test
    void aModelTheRunsShapeDeclaresIsNotWarnedAbout() throws Exception {
        Path trace = modelTrace("G3");
        CliRunner g2 = packOn(trace, "gpu-model=G2,");
        assertThat(g2.err()).contains("ask for GPU model G3, which no bundled catalog").doesNotContain("G2,").contains("gpu-model=G3)");
        CliRunner both = CliRunner.run("replay", "--trace", trace.toString(), "--node", "cpu=96,memory=384Gi,pods=110,gpu=8,gpu-model=G2,price=10",
                "--node", "cpu=96,memory=384Gi,pods=110,gpu=8,gpu-model=G3,price=10", "--duration", "1h", "-o", "json", "--quiet");
        assertThat(both.exitCode()).as(both.err()).isZero();
        assertThat(both.err()).doesNotContain("no bundled catalog");
    }

    /**
     * QA 75a item 5: a run whose one shape declares no GPU model takes every pod's model, so no warning; a run whose GPU shape
     * is T4 is warned about G2 alone: the pod that may run on G3 or T4 gets the T4 shape.
     */
    @Test
    void modelsEveryShapeOfTheRunTakesAreNotWarnedAbout() throws Exception {
        Path trace = modelTrace("G3|T4");
        assertThat(packOn(trace, "").err()).doesNotContain("no bundled catalog");
        assertThat(packOn(trace, "gpu-model=T4,").err()).contains("ask for GPU model G2, which no bundled catalog").doesNotContain("G3");
    }

    /** An openb trace of two one-GPU pods: g2 on model G2, g3 on {@code g3Models}. */
    private Path modelTrace(String g3Models) throws Exception {
        return Files.writeString(dir.resolve("models-" + g3Models.replace('|', '-') + ".csv"), """
                name,cpu_milli,memory_mib,num_gpu,gpu_milli,gpu_spec,qos,pod_phase,creation_time,deletion_time,scheduled_time
                g2,1000,1024,1,1000,G2,LS,Running,0,,0
                g3,1000,1024,1,1000,%s,LS,Running,0,,0
                """.formatted(g3Models));
    }

    /** pack of {@code trace} on an 8-GPU shape with {@code model} ("gpu-model=X," or ""), which succeeds. */
    private static CliRunner packOn(Path trace, String model) {
        CliRunner r = CliRunner.run("pack", "--pods", trace.toString(), "--node", "cpu=96,memory=384Gi,pods=110,gpu=8," + model + "price=10",
                "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return r;
    }

    /** QA 69a F2: Karpenter's GPU-memory label is one the catalog cannot give, not one the GPU type lacks; the reason says so. */
    @Test
    void karpentersGpuMemoryIsSaidToBeUnknownNotAbsent() throws Exception {
        JsonNode g4dn = pack(deployment("karpenter.k8s.aws/instance-gpu-memory: '16384'"), "aws:g4dn.xlarge");
        assertThat(g4dn.get("unschedulable").get(0).get("reason").asText()).isEqualTo("cannot run on g4dn.xlarge: its nodeSelector needs "
                + "karpenter.k8s.aws/instance-gpu-memory=16384; Karpenter sets it on this GPU type from EC2's GPU memory, which the "
                + "bundled catalog lacks, so it is not known here (karpenter.k8s.aws/instance-gpu-name selects the GPU model)");
        assertThat(pack(deployment("karpenter.k8s.aws/instance-gpu-name: t4"), "aws:g4dn.4xlarge").get("nodes").asInt()).isEqualTo(2);
    }

    @Test
    void gpuPresentAndTheCloudsAcceleratorLabelsHoldOnGpuShapes() throws Exception {
        assertThat(pack(deployment("nvidia.com/gpu.present: 'true'"), "aws:p4d.24xlarge").get("nodes").asInt()).isEqualTo(1);
        assertThat(pack(deployment("k8s.amazonaws.com/accelerator: nvidia-ampere-a100"), "aws:p4d.24xlarge").get("nodes").asInt())
                .isEqualTo(1);
        // Another label of NVIDIA's software is still not on a node shape: it may or may not be there.
        JsonNode other = pack(deployment("nvidia.com/mig.config: all-1g.5gb"), "aws:p4d.24xlarge");
        assertThat(other.get("nodes").asInt()).isZero();
    }

    /** QA 38b finding 10: a DaemonSet's line named its CPU and memory per node but not the GPU it takes. */
    @Test
    void aDaemonSetsLineNamesItsGpus() throws Exception {
        Path ds = dir.resolve("agent.yaml");
        Files.writeString(ds, """
                apiVersion: apps/v1
                kind: DaemonSet
                metadata: {name: gpu-agent, namespace: kube-system}
                spec:
                  selector: {matchLabels: {app: gpu-agent}}
                  template:
                    metadata: {labels: {app: gpu-agent}}
                    spec:
                      containers:
                      - {name: agent, image: agent, resources: {requests: {cpu: 100m, memory: 128Mi}, limits: {nvidia.com/gpu: 1}}}
                """);
        CliRunner r = CliRunner.run("pack", "--pods", deployment("nvidia.com/gpu.present: 'true'") + "," + ds, "--node",
                "aws:g5.12xlarge", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        assertThat(JSON.readTree(r.out()).get("workload").get("daemonSets").get(0).asText())
                .isEqualTo("kube-system/gpu-agent (0.1 CPU, 0.125 GiB, 1 GPU per node)");
    }

    /**
     * QA 38b finding 7: GKE taints GPU pools nvidia.com/gpu=present:NoSchedule and its ExtendedResourceToleration admission
     * plugin gives every pod requesting nvidia.com/gpu the toleration; manifests written for GKE carry none and were refused.
     */
    @Test
    void aGpuPodToleratesTheTaintNamedForItsResource() throws Exception {
        Path pod = dir.resolve("cuda.yaml");
        Files.writeString(pod, """
                apiVersion: v1
                kind: Pod
                metadata: {name: cuda-vectoradd}
                spec:
                  restartPolicy: OnFailure
                  containers:
                  - {name: cuda, image: nvcr.io/nvidia/k8s/cuda-sample:vectoradd-cuda11.7.1, resources: {limits: {nvidia.com/gpu: 1}}}
                """);
        JsonNode tainted = pack(pod, "cpu=8,memory=32Gi,gpu=1,taints=nvidia.com/gpu=present:NoSchedule");
        assertThat(tainted.get("nodes").asInt()).isEqualTo(1);
        // Another taint is still not tolerated.
        JsonNode other = pack(pod, "cpu=8,memory=32Gi,gpu=1,taints=dedicated=gpu:NoSchedule");
        assertThat(other.get("nodes").asInt()).isZero();
    }
}

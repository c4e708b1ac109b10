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

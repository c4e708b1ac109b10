package io.nodesizer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A LimitRange's defaults reach every resource nodesizer packs, as LimitRanger's {@code mergeContainerResources} loops over
 * all of them (QA 67a F1: an ephemeral-storage default was dropped, and 3 m5.xlarge were advised for pods that each need
 * 50 GiB of a 17 GiB disk); the defaults of resources it does not pack are named with the containers they reach.
 */
final class LimitRangeDefaultsCliTest {
    @TempDir
    Path dir;

    private static final String DEPLOYMENT = """
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: w, namespace: ml}
            spec:
              replicas: 3
              selector: {matchLabels: {app: w}}
              template:
                metadata: {labels: {app: w}}
                spec:
                  containers:
                  - {name: c, image: x, resources: {requests: {cpu: "1", memory: 1Gi}}}
            """;

    /** The JSON report of packing the Deployment under a LimitRange of {@code limits} onto {@code node} ({@code --disk 20Gi}). */
    private JsonNode pack(String limits, String node) throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: lr, namespace: ml}
                spec:
                  limits:
                  - type: Container
                """ + limits + DEPLOYMENT);
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", node, "--disk", "20Gi", "--overhead", "none", "-o", "json");
        assertThat(r.exitCode()).as(r.err()).isZero();
        return new ObjectMapper().readTree(r.out());
    }

    /**
     * Review 67: the API server defaults a LimitRange item's default from its max before it validates, so a GPU max of 4
     * beside a defaultRequest of 1 is refused as a LimitRange (default must equal defaultRequest for a resource that cannot
     * be overcommitted): exit 2 at the defaultRequest, not a Deployment refused for the limit it would have been given.
     */
    @Test
    void aGpuDefaultRequestUnequalToTheMaxItsDefaultComesFromIsRefused() throws Exception {
        Path m = dir.resolve("m.yaml");
        Files.writeString(m, """
                apiVersion: v1
                kind: LimitRange
                metadata: {name: lr, namespace: ml}
                spec:
                  limits:
                  - type: Container
                    max: {nvidia.com/gpu: 4}
                    defaultRequest: {nvidia.com/gpu: 1}
                """ + DEPLOYMENT);
        CliRunner r = CliRunner.run("pack", "--pods", m.toString(), "--node", "cpu=8,memory=32Gi,gpu=4", "--overhead", "none");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("m.yaml:8:").contains("The spec.limits[0].defaultRequest.nvidia.com/gpu must equal "
                + "spec.limits[0].max.nvidia.com/gpu (default.nvidia.com/gpu is left out, and the API server defaults it to the max)");
    }

    @Test
    void anEphemeralStorageDefaultRequestIsCounted() throws Exception {
        JsonNode r = pack("    defaultRequest: {ephemeral-storage: 50Gi}\n", "cpu=8,memory=32Gi,pods=110");
        assertThat(r.get("nodes").asInt()).isZero();
        assertThat(r.get("unschedulable")).hasSize(3);
        assertThat(r.get("unschedulable").get(0).get("reason").asText()).startsWith("needs 50 GiB ephemeral-storage");
        assertThat(r.get("workload").get("applied").toString()).contains("its default requests (50 GiB ephemeral-storage) went to 1 container");
    }

    @Test
    void aGpuDefaultMakesThePodsAskForOneNvidiaGpu() throws Exception {
        // The default limit alone: the request defaults to it (SetDefaults_LimitRangeItem), so each pod asks for one GPU.
        JsonNode r = pack("    default: {nvidia.com/gpu: 1}\n", "cpu=8,memory=32Gi,pods=110,gpu=1");
        assertThat(r.get("nodes").asInt()).isEqualTo(3);
        assertThat(r.get("workload").get("applied").toString()).contains("its default requests (1 nvidia.com/gpu) went to 1 container");
    }

    @Test
    void anEphemeralStorageMaxIsTheDefaultRequest() throws Exception {
        // max alone is the default limit, and so the default request too: 10Gi each, two to a 20Gi disk.
        assertThat(pack("    max: {ephemeral-storage: 10Gi}\n", "cpu=8,memory=32Gi,pods=110").get("nodes").asInt()).isEqualTo(2);
    }

    @Test
    void defaultsOfResourcesNotPackedAreNamedWithTheContainersTheyReach() throws Exception {
        JsonNode r = pack("    default: {hugepages-2Mi: 4Mi}\n", "cpu=8,memory=32Gi,pods=110");
        assertThat(r.get("nodes").asInt()).isEqualTo(1);
        assertThat(r.get("workload").get("applied").toString()).contains("its defaults of hugepages-2Mi 4Mi (would reach container c of Deployment ml/w) are not counted: "
                + "nodesizer does not pack that resource");
    }
}

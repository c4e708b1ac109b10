package io.nodesizer.input.manifest;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A snapshot's pods being resized in place count as kube-scheduler counts them ({@link
 * ResizeStatus}; {@code AggregateContainerRequests} with {@code UseStatusResources} in
 * k8s.io/component-helpers/resource/helpers.go): the most of spec, allocation and what runs, each
 * summed by the init-container rule; an infeasible resize without its spec.
 */
final class ResizeStatusTest {
    @TempDir
    Path dir;

    private static final String NODE = """
            apiVersion: v1
            kind: Node
            metadata: {name: n1}
            status: {allocatable: {cpu: '4', memory: 16Gi, pods: '110'}}
            """;

    private Resources request(String spec, String status) throws Exception {
        Path file = dir.resolve("cluster.yaml");
        Files.writeString(file, NODE + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  nodeName: n1\n"
                + spec.indent(2) + "status:\n  phase: Running\n" + status.indent(2));
        ClusterSnapshot s = SnapshotReader.read(List.of(file), List.of("cluster.yaml"));
        return s.pods().get(0).request();
    }

    @Test
    void aPodShrinkingHoldsItsOldSizeUntilTheKubeletAppliesTheNewOne() throws Exception {
        Resources r = request("containers: [{name: app, resources: {requests: {cpu: 500m, memory: 1Gi}}}]", """
                conditions: [{type: PodResizeInProgress, status: 'True'}]
                containerStatuses:
                - {name: app, allocatedResources: {cpu: '2', memory: 1Gi}, resources: {requests: {cpu: '2', memory: 1Gi}}}
                """);
        assertThat(r.cpuMillis()).isEqualTo(2000);
        assertThat(r.memoryBytes()).isEqualTo(1L << 30);
    }

    @Test
    void aPodGrowingCountsItsNewSizeAtOnce() throws Exception {
        // Deferred: the node has no room yet; the scheduler already counts the spec.
        Resources r = request("containers: [{name: app, resources: {requests: {cpu: '3', memory: 1Gi}}}]", """
                conditions: [{type: PodResizePending, status: 'True', reason: Deferred}]
                containerStatuses:
                - {name: app, allocatedResources: {cpu: '1', memory: 2Gi}, resources: {requests: {cpu: '1', memory: 2Gi}}}
                """);
        assertThat(r.cpuMillis()).isEqualTo(3000);
        assertThat(r.memoryBytes()).isEqualTo(2L << 30); // the memory it still holds
    }

    @Test
    void anInfeasibleResizeCountsWhatWasAllocatedAndRunsOnly() throws Exception {
        Resources r = request("""
                containers:
                - {name: app, resources: {requests: {cpu: '3', memory: 1Gi}}}
                - {name: helper, resources: {requests: {cpu: 200m}}}
                """, """
                conditions:
                - {type: Ready, status: 'True'}
                - {type: PodResizePending, status: 'True', reason: Infeasible, message: 'Node didn''t have enough capacity'}
                containerStatuses:
                - {name: app, allocatedResources: {cpu: '1', memory: 1Gi}, resources: {requests: {cpu: 900m, memory: 1Gi}}}
                """);
        // app: the most of 1 CPU allocated and 900m running; helper has no status, so nothing without the spec.
        assertThat(r.cpuMillis()).isEqualTo(1000);
        assertThat(r.memoryBytes()).isEqualTo(1L << 30);
        assertThat(r.pods()).isEqualTo(1);
    }

    @Test
    void anInitContainersPeakCountsTheSidecarsBeforeItAsTheyRun() throws Exception {
        // spec: sidecar 1 + app 500m = 1.5 CPU, or the init container's 2 CPU beside the sidecar started before it = 3 CPU.
        String spec = """
                initContainers:
                - {name: proxy, restartPolicy: Always, resources: {requests: {cpu: '1'}}}
                - {name: setup, resources: {requests: {cpu: '2'}}}
                containers: [{name: app, resources: {requests: {cpu: 500m}}}]
                """;
        Resources shrinking = request(spec, """
                initContainerStatuses:
                - {name: proxy, allocatedResources: {cpu: '1'}, resources: {requests: {cpu: '1'}}}
                - {name: setup}
                containerStatuses:
                - {name: app, allocatedResources: {cpu: 100m}, resources: {requests: {cpu: 100m}}}
                """);
        assertThat(shrinking.cpuMillis()).isEqualTo(3000);
        Resources sidecarGrew = request(spec, """
                initContainerStatuses:
                - {name: proxy, allocatedResources: {cpu: 1500m}, resources: {requests: {cpu: 1500m}}}
                """);
        assertThat(sidecarGrew.cpuMillis()).isEqualTo(3500); // the init container's peak beside the sidecar as allocated
    }

    @Test
    void theMostIsOfTheSumsNotOfEachContainer() throws Exception {
        // Two containers resized opposite ways: spec 500m + 100m, running 100m + 500m; each sum is 600m
        // (the most per container would say 1 CPU, which no state of the pod holds).
        Resources r = request("""
                containers:
                - {name: a, resources: {requests: {cpu: 500m}}}
                - {name: b, resources: {requests: {cpu: 100m}}}
                """, """
                containerStatuses:
                - {name: a, allocatedResources: {cpu: 100m}, resources: {requests: {cpu: 100m}}}
                - {name: b, allocatedResources: {cpu: 500m}, resources: {requests: {cpu: 500m}}}
                """);
        assertThat(r.cpuMillis()).isEqualTo(600);
    }

    @Test
    void aStatusThatReportsNoResourcesLeavesTheSpec() throws Exception {
        Resources r = request("""
                containers: [{name: app, resources: {requests: {cpu: 750m, memory: 512Mi, nvidia.com/gpu: 1}}}]
                overhead: {cpu: 250m}
                """, """
                containerStatuses: [{name: app, ready: true, restartCount: 0}]
                """);
        assertThat(r.cpuMillis()).isEqualTo(1000); // overhead on top, as ever
        assertThat(r.gpuMillis()).isEqualTo(1000);
        assertThat(r.memoryBytes()).isEqualTo(512L << 20);
    }

    @Test
    void theOverheadAndPodLevelRequestsStayOnTopOfTheStatus() throws Exception {
        Resources r = request("""
                containers: [{name: app, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                overhead: {cpu: 100m, memory: 64Mi}
                """, """
                containerStatuses:
                - {name: app, allocatedResources: {cpu: '2', memory: 1Gi}, resources: {requests: {cpu: '2', memory: 1Gi}}}
                """);
        assertThat(r.cpuMillis()).isEqualTo(2100);
        assertThat(r.memoryBytes()).isEqualTo((1L << 30) + (64L << 20));
        Resources podLevel = request("""
                resources: {requests: {cpu: '1', memory: 2Gi}}
                containers: [{name: app, resources: {requests: {cpu: 500m, memory: 1Gi}}}]
                """, """
                containerStatuses:
                - {name: app, allocatedResources: {cpu: '2', memory: 1Gi}, resources: {requests: {cpu: '2', memory: 1Gi}}}
                """);
        assertThat(podLevel.cpuMillis()).isEqualTo(1000); // the pod-level request replaces the containers' sum
        assertThat(podLevel.memoryBytes()).isEqualTo(2L << 30);
    }
}

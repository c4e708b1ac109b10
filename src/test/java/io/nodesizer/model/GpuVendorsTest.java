package io.nodesizer.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

final class GpuVendorsTest {

    @Test
    void aPodMayUseTheGpusOfItsVendorOrOfAShapeOfNoKnownVendor() {
        assertThat(GpuVendors.allows("", "amd")).isTrue();          // a plain GPU count
        assertThat(GpuVendors.allows("nvidia", "")).isTrue();       // inline and generic shapes
        assertThat(GpuVendors.allows("nvidia", "NVIDIA")).isTrue(); // as a catalog writes it
        assertThat(GpuVendors.allows("nvidia", "amd")).isFalse();
        assertThat(GpuVendors.allows("amd+nvidia", "nvidia")).isFalse(); // no node offers both plugins' GPUs
    }

    /** A snapshot's node may list two plugins' resources: it serves a pod each of whose vendors it has. */
    @Test
    void aNodeOfSeveralVendorsServesEachOfThem() {
        assertThat(GpuVendors.allows("nvidia", "amd+nvidia")).isTrue();
        assertThat(GpuVendors.allows("amd", "amd+nvidia")).isTrue();
        assertThat(GpuVendors.allows("amd+nvidia", "amd+nvidia")).isTrue();
        assertThat(GpuVendors.allows("intel", "amd+nvidia")).isFalse();
        assertThat(GpuVendors.allows("amd+intel", "amd+nvidia")).isFalse();
    }

    /** A snapshot node refuses another vendor's pod in the words a candidate shape does, after its labels and taints. */
    @Test
    void aSnapshotNodeRefusesAnotherVendorsPodWithTheShapesReason() {
        ClusterSnapshot.Node amd = new ClusterSnapshot.Node("amd-1", Map.of(), Resources.ZERO, Resources.ZERO, false,
                new SourceRef("s.yaml", 1), List.of(), null, "amd");
        assertThat(amd.refuses(pod("nvidia", Placement.ANY)))
                .isEqualTo("needs nvidia.com/gpu; amd-1 has AMD GPUs (amd.com/gpu, another vendor's device plugin)");
        assertThat(amd.refuses(pod("amd", Placement.ANY))).isNull();
        assertThat(amd.refuses(pod("", Placement.ANY))).isNull();
        Placement selected = Placement.ANY.withNodeSelectorAndTolerations(Map.of("pool", "gpu"), List.of());
        assertThat(amd.refuses(pod("nvidia", selected))).startsWith("its nodeSelector needs pool=gpu");
    }

    private static ClusterSnapshot.Pod pod(String vendor, Placement placement) {
        PodTemplate template = new PodTemplate(List.of(new PodTemplate.Container("app", PodTemplate.Role.APP,
                new Resources(1000, 1L << 30, 1, vendor.isEmpty() ? 0 : 1000, 0), Resources.ZERO, true, true)), Resources.ZERO, null, vendor);
        return new ClusterSnapshot.Pod("ml", "p", template.effectiveRequest(), null, "Pending", "ReplicaSet", "rs", new SourceRef("s.yaml", 9),
                template, null, placement);
    }

    /** The verifier re-checks the vendor of every placed GPU pod: AMD pods packed onto an NVIDIA shape are a bug it reports. */
    @Test
    void theVerifierRefusesGpuPodsPlacedOnAnotherVendorsShape() {
        Resources gpus = new Resources(16000, 64L << 30, 110, 4000, 0);
        NodeShape amd = new NodeShape("amd", "test", "test", "amd64", gpus, gpus, "none", 1.0, "", Map.of(), List.of(), "amd");
        NodeShape nvidia = new NodeShape("nvidia", "test", "test", "amd64", gpus, gpus, "none", 1.0, "", Map.of(), List.of(), "nvidia");
        Workload w = Workload.of(List.of(io.nodesizer.testkit.Fixtures.gpuGroup("render", 1, "amd", 2)));
        io.nodesizer.engine.PackingResult good = io.nodesizer.engine.PackingTestSupport.pack(w, amd, "ffd"); // verified
        assertThat(good.unschedulable()).isEmpty();
        io.nodesizer.engine.PackingProblem onNvidia = new io.nodesizer.engine.PackingProblem(good.problem().table(), nvidia, Resources.ZERO);
        io.nodesizer.engine.PackingResult forged = new io.nodesizer.engine.PackingResult(onNvidia, "forged", good.nodeCount(),
                good.assignment(), good.nodeLoad(), List.of(), good.lowerBound(), 0, good.gpuDevices());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> io.nodesizer.engine.PackingVerifier.verify(forged))
                .isInstanceOf(io.nodesizer.engine.VerificationException.class).hasMessageContaining("pod render-0 is placed, but needs "
                        + "amd.com/gpu; nvidia has NVIDIA GPUs (nvidia.com/gpu, another vendor's device plugin)");
    }
}

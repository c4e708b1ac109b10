package io.nodesizer.fleet;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static org.assertj.core.api.Assertions.assertThat;

final class FleetPackingTest {

    private static FleetPacking.FleetNode node(String name, long cpu, long mem, long gpu, String model) {
        return new FleetPacking.FleetNode(name, cpu / 1000 + "c" + (gpu > 0 ? "-" + gpu / 1000 + "gpu-" + model : ""),
                new Resources(cpu, mem, 110, gpu, 0), model, Resources.ZERO);
    }

    @Test
    void largestFirstOntoTheGivenNodesWithDevicesModelsAndReasons() {
        PodGroup t4Only = new PodGroup("t4-only", "openb", new Resources(1000, GIB, 1, 1000, 0), 1, true, null, new SourceRef("t", 5),
                List.of("T4"));
        Workload w = Workload.of(List.of(
                group("big", 6000, 8 * GIB, 1),                                   // only the 8-CPU node holds it
                group("web", 1000, GIB, 4),
                group("share", new Resources(500, GIB, 1, 600, 0), 3),            // 0.6-GPU shares: one per device
                t4Only,                                                            // no T4 in the fleet
                group("huge", 64000, GIB, 1)));                                   // no node is that large
        List<FleetPacking.FleetNode> fleet = List.of(node("a", 8000, 16 * GIB, 0, ""), node("b", 4000, 16 * GIB, 2000, "A10"));
        FleetPacking.Result r = FleetPacking.pack(DemandTable.of(w), fleet); // verifies loads and devices
        int[] a = r.assignment();
        assertThat(a[0]).isEqualTo(0);                       // big on a
        assertThat(r.placedPods()).isEqualTo(1 + 4 + 2);     // two shares fit b's two devices, the third does not
        assertThat(r.unplaced()).extracting(u -> u.group().name() + ":" + u.pods())
                .containsExactlyInAnyOrder("huge:1", "share:1", "t4-only:1");
        assertThat(r.unplaced()).filteredOn(u -> u.group().name().equals("huge")).singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo("fits no node of the fleet: needs 64 CPU, 1 GiB memory"));
        assertThat(r.unplaced()).filteredOn(u -> u.group().name().equals("t4-only")).singleElement()
                .satisfies(u -> assertThat(u.reason()).endsWith("on GPU model T4"));
        assertThat(r.unplaced()).filteredOn(u -> u.group().name().equals("share")).singleElement()
                .satisfies(u -> assertThat(u.reason()).isEqualTo("no room left: it fits an empty node of shape 4c-2gpu-A10, but every node that could hold it is full"));
        assertThat(r.byShape().get("4c-2gpu-A10")).containsExactly(1, 1);
    }

    @Test
    void daemonSetsTakeTheirShareOfEveryFleetNodeFirst(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        // Two 4-CPU nodes and a 1-CPU DaemonSet: pods of 4 CPU fit no node, as on fresh nodes of that shape.
        Path csv = dir.resolve("nodes.csv");
        Files.writeString(csv, "sn,cpu_milli,memory_mib,gpu,model\nn0,4000,16384,0,\nn1,4000,16384,0,\n");
        var ds = List.of(new io.nodesizer.model.DaemonSetSpec("agent", new Resources(1000, GIB, 1, 0, 0), java.util.Map.of(),
                new SourceRef("t", 1)));
        List<FleetPacking.FleetNode> nodes = FleetInput.read(csv.toString(), null, false, ds);
        assertThat(nodes.get(0).loaded().cpuMillis()).isEqualTo(1000);
        FleetPacking.Result r = FleetPacking.pack(DemandTable.of(Workload.of(List.of(group("app", 4000, GIB, 2)))), nodes);
        assertThat(r.placedPods()).isZero();
        // A snapshot keeps what runs (its DaemonSet pods included), so they are not added twice.
        assertThat(FleetInput.read("workloads/snapshot/cluster.json", null, false, ds).get(1).loaded().cpuMillis()).isEqualTo(2625);
        assertThat(FleetInput.read("workloads/snapshot/cluster.json", null, true, ds).get(1).loaded().cpuMillis()).isEqualTo(1000);
    }

    @Test
    void gpuProductLabelsNameTheChip() {
        assertThat(io.nodesizer.model.GpuModels.fromProductLabel("Tesla-T4")).isEqualTo("T4");
        assertThat(io.nodesizer.model.GpuModels.fromProductLabel("NVIDIA-A100-SXM4-40GB")).isEqualTo("A100");
        assertThat(io.nodesizer.model.GpuModels.fromProductLabel("NVIDIA-A10G")).isEqualTo("A10G");
        assertThat(io.nodesizer.model.GpuModels.fromProductLabel(null)).isEmpty();
        assertThat(io.nodesizer.model.GpuModels.allows(List.of("V100M16"),
                io.nodesizer.model.GpuModels.fromProductLabel("Tesla-V100-SXM2-16GB"))).isTrue();
    }

    @Test
    void theOpenbNodeListAndASnapshotWithItsRunningPodsAreFleets(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path csv = dir.resolve("nodes.csv");
        Files.writeString(csv, "sn,cpu_milli,memory_mib,gpu,model\nn0,96000,393216,8,G2\nn1,32000,131072,0,\n");
        List<FleetPacking.FleetNode> nodes = FleetInput.read(csv.toString(), null, false);
        assertThat(nodes).extracting(FleetPacking.FleetNode::shape).containsExactly("96c-384g-8gpu-G2", "32c-128g");
        assertThat(nodes.get(0).allocatable().pods()).isEqualTo(FleetInput.DEFAULT_MAX_PODS);
        assertThat(nodes.get(0).gpuModel()).isEqualTo("G2");
        List<FleetPacking.FleetNode> kept = FleetInput.read("workloads/snapshot/cluster.json", null, false);
        List<FleetPacking.FleetNode> empty = FleetInput.read("workloads/snapshot/cluster.json", null, true);
        assertThat(kept).hasSize(3);
        assertThat(kept.get(1).loaded().cpuMillis()).isEqualTo(2625); // what runs there stays
        assertThat(empty.get(1).loaded().cpuMillis()).isZero();
    }
}

package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.Cluster;
import io.nodesizer.replay.Pool;
import io.nodesizer.replay.PodStream;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The GPU devices of a what-if placement come back to the device they were taken from. CA's
 * snapshot can hold two copies of one pod on one node (the scale-up's placement of a held pod and
 * the planner's copy), so the devices are kept per copy: two copies of a 0.6-GPU share on a 2-GPU
 * node take one device each, and once both are taken back both devices are empty again, so two
 * whole GPUs fit there. Keyed by the pod alone, the second copy's device replaced the first's,
 * releasing the copies gave back that device once and left the other loaded, and the second whole
 * GPU found no device.
 */
class HeadroomDevicesTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void twoCopiesOfAGpuShareOnOneNodeGiveBothDevicesBack() {
        List<Pool> pools = List.of(Pool.of(0, Fixtures.priced("gpu", 8000, 32 * GIB, 2000, 2.0), Resources.ZERO));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(
                Fixtures.group("share", new Resources(1000, GIB, 1, 600, 0), 1),
                Fixtures.group("whole", new Resources(1000, GIB, 1, 1000, 0), 2)))), TimePoints.DEFAULT_ORIGIN, 600);
        // The pods arrive after the first loop, which only looks: nothing runs on the node then.
        b.add(0, 0, 300, PodStream.STAYS);
        b.add(1, 0, 300, PodStream.STAYS);
        b.add(1, 1, 300, PodStream.STAYS);
        LookOnce.run(b.build(), pools, 1, 10, cluster -> cluster.liveCount() == 1 && cluster.state(cluster.liveNode(0)) == Cluster.READY,
                cluster -> {
                    int node = cluster.liveNode(0);
                    try (Headroom room = new Headroom(cluster, false)) {
                        assertThat(room.place(0, -1)).as("first copy of the share").isEqualTo(node);
                        assertThat(room.place(0, -1)).as("second copy, on the other device").isEqualTo(node);
                        room.unplace(0, node);
                        room.unplace(0, node);
                        assertThat(room.place(1, -1)).as("a whole GPU").isEqualTo(node);
                        assertThat(room.place(2, -1)).as("a second whole GPU: both devices are empty again").isEqualTo(node);
                    }
                });
    }
}

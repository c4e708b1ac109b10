package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.strategy.KubeScheduler;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review 75 F2: since Kubernetes 1.33 NodeResourcesBalancedAllocation skips a best-effort pod (PreScore returns Skip when
 * its real cpu and memory requests are 0: balanced_allocation.go, resource_allocation.go isBestEffortPod), so the replay's
 * scheduler profiles place one by the other plugins alone.
 */
class BestEffortScoringReplayTest {
    private static final long MIB = 1L << 20;
    private static final String PIN = "test.nodesizer.io/node";

    /**
     * Two m5.large-sized nodes (1930m, 6741 MiB): a holds a 1300m/100Mi pod, b a 700m/3000Mi one. A pod without requests
     * scores LeastAllocated (its non-zero 100m/200Mi) 61 on a and 55 on b, so it goes to a; BalancedAllocation would have
     * added 67 and 95 (it went to b), as it still does for the same pod requesting 1m of cpu.
     */
    @Test
    void aBestEffortPodIsPlacedWithoutBalancedAllocation() {
        for (KubeScheduler.Scoring scoring : List.of(KubeScheduler.Scoring.DEFAULT_PROFILE, KubeScheduler.Scoring.LEAST_ALLOCATED)) {
            assertThat(placedOn(scoring, 0)).as(scoring.name()).isEqualTo(0);
        }
        assertThat(placedOn(KubeScheduler.Scoring.DEFAULT_PROFILE, 1)).as("1m of cpu: balanced scores").isEqualTo(1);
    }

    /** The node (0: a, 1: b) the replay binds the pod requesting {@code cpuMillis} and no memory to, beside a's and b's pods. */
    private static int placedOn(KubeScheduler.Scoring scoring, long cpuMillis) {
        List<Pool> pools = List.of(pool(0, "a"), pool(1, "b"));
        List<PodGroup> groups = List.of(group("cpuheavy", 1300, 100 * MIB, "a"), group("balanced", 700, 3000 * MIB, "b"),
                group("besteffort", cpuMillis, 0, null));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 200);
        b.add(0, 0, 1, PodStream.STAYS);
        b.add(1, 0, 1, PodStream.STAYS);
        int probe = b.add(2, 0, 100, PodStream.STAYS);
        TwoNodes nodes = new TwoNodes();
        Replay.Settings defaults = Replay.Settings.defaults(ProvisionDelay.fixed(60), 1);
        Replay.run(b.build(), pools, nodes, new Replay.Settings(defaults.delay(), defaults.drainDelay(), 1, scoring, 0, false, true, -1, 1));
        int[][] scratch = {new int[8]};
        for (int i = 0; i < 2; i++) {
            int k = nodes.cluster.podsOnNode(nodes.node[i], scratch);
            for (int j = 0; j < k; j++) {
                if (scratch[0][j] == probe) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static Pool pool(int index, String name) {
        return Pool.of(index, Fixtures.shape(name, 1930, 6741 * MIB, 29, 0.1).withLabelsAndTaints(Map.of(PIN, name), List.of()),
                Resources.ZERO);
    }

    private static PodGroup group(String name, long cpuMillis, long memoryBytes, String node) {
        Placement p = node == null ? Placement.ANY : Placement.ANY.withNodeSelectorAndTolerations(Map.of(PIN, node), List.of());
        return new PodGroup(name, "test", new Resources(cpuMillis, memoryBytes, 1, 0, 0), 1, false, null, new SourceRef("t", 1), List.of(),
                null, p);
    }

    /** A fixed cluster (no autoscaling) of one node of each pool, requested at the start (a warm start: ready at once). */
    private static final class TwoNodes extends ForwardingAutoscaler {
        final int[] node = new int[2];
        Cluster cluster;

        TwoNodes() {
            super(new io.nodesizer.replay.autoscale.FixedCount(0));
        }

        @Override
        public void start(Cluster cluster) {
            this.cluster = cluster;
            node[0] = cluster.requestNode(0);
            node[1] = cluster.requestNode(1);
        }
    }
}

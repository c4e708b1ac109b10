package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A drain with a rank order (Karpenter's queue) puts the pods of all the nodes it drains at once back to the scheduler in
 * that one order, whatever node each came from (review 57: a multi-node command drained node by node, so a large pod of
 * the second node came after every small pod of the first); without one (CA's), node by node as the nodes list them.
 */
final class RankedDrainsTest {
    private static final Pool NODE = Pool.of(0, Fixtures.shape("n", 8000, 32 * GIB, 110, 1.0), Resources.ZERO);
    private static final long AT = 100;

    private static PodGroup group(String name, long cpu) {
        return new PodGroup(name, "test", new Resources(cpu, GIB, 1, 0, 0), 1, false, null, new SourceRef("t", 1));
    }

    /** Group 0 small (1 CPU), group 1 large (3 CPU); two pods of each, one of each on each of two nodes (most-allocated). */
    private static PodStream stream() {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(group("small", 1000), group("large", 3000)))),
                TimePoints.DEFAULT_ORIGIN, 600);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(1, 0, 0, PodStream.STAYS);
        b.add(0, 1, 0, PodStream.STAYS);
        b.add(1, 1, 0, PodStream.STAYS);
        return b.build();
    }

    /** Two nodes from the start; at {@link #AT} both are drained together, the pending queue's order recorded right after. */
    private static final class DrainBoth extends ForwardingAutoscaler {
        private final int[] rank;
        final List<Integer> groupsQueued = new ArrayList<>();

        DrainBoth(int[] rank) {
            super(new FixedCount(2));
            this.rank = rank;
        }

        @Override
        public void tick(Cluster cluster) {
            if (cluster.now() != AT) {
                return;
            }
            int[] both = {cluster.liveNode(0), cluster.liveNode(1)};
            if (rank == null) {
                cluster.drain(both[0], EvictionRetry.clusterAutoscaler(120));
                cluster.drain(both[1], EvictionRetry.clusterAutoscaler(120));
            } else {
                cluster.drainAll(both, EvictionRetry.karpenter(EvictionRetry.NEVER), rank);
            }
            int[][] out = {new int[8]};
            int n = cluster.pendingPods(out);
            for (int i = 0; i < n; i++) {
                groupsQueued.add(cluster.offset(out[0][i]) / DemandTable.D);
            }
        }

        @Override
        public long nextTick(Cluster cluster, long lastTick, boolean changed) {
            return lastTick < AT ? AT : Long.MAX_VALUE;
        }
    }

    @Test
    void theNodesOfOneRankedDrainQueueTheirPodsInOneOrder() {
        DrainBoth ranked = new DrainBoth(new int[] {1, 0}); // the large group first, as Karpenter's queue ranks it
        Replay.run(stream(), List.of(NODE), ranked, Replay.Settings.defaults(ProvisionDelay.fixed(0), 1));
        assertThat(ranked.groupsQueued).containsExactly(1, 1, 0, 0);
        DrainBoth plain = new DrainBoth(null);
        Replay.run(stream(), List.of(NODE), plain, Replay.Settings.defaults(ProvisionDelay.fixed(0), 1));
        assertThat(plain.groupsQueued).hasSize(4).isNotEqualTo(List.of(1, 1, 0, 0));
    }
}

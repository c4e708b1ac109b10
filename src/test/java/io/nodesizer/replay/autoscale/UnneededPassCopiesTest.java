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

import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CA's unneeded pass moves a candidate's snapshot copies with its pods, however many: eight copies on one node (more
 * than the pass's first scratch for their offsets held; review 45 F3, where the pass was handed the old, shorter array)
 * go to the other node when they fit there, and forty do not.
 */
class UnneededPassCopiesTest {
    private static final long GIB = 1024L * 1024 * 1024;

    @Test
    void aCandidatesManyCopiesMoveWithItsPods() {
        List<Pool> pools = List.of(Pool.of(0, Fixtures.priced("big", 16000, 64 * GIB, 0, 1.0), Resources.ZERO));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(
                Fixtures.group("a", 1000, GIB, 2), Fixtures.group("copy", 500, GIB / 4, 1)))), TimePoints.DEFAULT_ORIGIN, 600);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(0, 1, 0, PodStream.STAYS);
        b.add(1, 0, 500, PodStream.STAYS); // after the check: its copies are the snapshot's alone
        LookOnce.run(b.build(), pools, 2, 60, cluster -> cluster.liveCount() == 2 && cluster.state(cluster.liveNode(0)) == Cluster.READY
                && cluster.state(cluster.liveNode(1)) == Cluster.READY
                && cluster.podsOn(cluster.liveNode(0)) + cluster.podsOn(cluster.liveNode(1)) == 2, cluster -> {
            // the node with more of the two pods: 1 or 2 CPU of them, and 15 or 16 free on the other
            int candidate = cluster.podsOn(cluster.liveNode(0)) >= 1 ? cluster.liveNode(0) : cluster.liveNode(1);
            assertThat(cluster.demand()[cluster.offset(2)]).as("pod 2 is a copy's").isEqualTo(500);
            assertThat(pass(cluster, candidate, 8)).as("1-2 CPU and 8 x 0.5 onto 15-16 free").isTrue();
            assertThat(pass(cluster, candidate, 40)).as("1-2 CPU and 40 x 0.5: 21-22 CPU").isFalse();
        });
    }

    /** Whether the pass finds {@code candidate} unneeded with {@code copies} copies of pod 2 on it. */
    private static boolean pass(Cluster cluster, int candidate, int copies) {
        SnapshotPods snapshot = new SnapshotPods();
        for (int i = 0; i < copies; i++) {
            snapshot.add(2, candidate);
        }
        BitSet found = new BitSet();
        BitSet failed = new BitSet();
        new UnneededPass(cluster, new RemovalHints()).run(cluster, new int[] {candidate}, 1, 10, new int[][] {new int[4]},
                new BitSet(), found, failed, null, snapshot);
        assertThat(found.get(candidate)).isNotEqualTo(failed.get(candidate));
        return found.get(candidate);
    }
}

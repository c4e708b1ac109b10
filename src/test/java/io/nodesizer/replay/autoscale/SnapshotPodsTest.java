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

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The pods Cluster Autoscaler's snapshot holds where the cluster runs none: per node, and in the node's utilisation. */
class SnapshotPodsTest {
    private static final long GIB = 1024L * 1024 * 1024;

    /** Per node, in the order added, across clears: what a scan of every entry gave, without the scan. */
    @Test
    void eachNodesPodsAreThoseAddedThereInOrder() {
        SnapshotPods s = new SnapshotPods();
        SplittableRandom r = new SplittableRandom(7);
        int[][] out = {new int[1]};
        for (int round = 0; round < 20; round++) {
            s.clear();
            List<List<Integer>> expected = new ArrayList<>();
            for (int n = 0; n < 40; n++) {
                expected.add(new ArrayList<>());
            }
            int adds = r.nextInt(60);
            for (int i = 0; i < adds; i++) {
                int node = r.nextInt(round % 2 == 0 ? 5 : 40);
                s.add(i, node);
                expected.get(node).add(i);
            }
            assertThat(s.count()).isEqualTo(adds);
            for (int n = 0; n < 40; n++) {
                int k = s.podsOn(n, out);
                List<Integer> got = new ArrayList<>();
                for (int i = 0; i < k; i++) {
                    got.add(out[0][i]);
                }
                assertThat(got).as("round " + round + " node " + n).isEqualTo(expected.get(n));
                assertThat(s.on(n)).isEqualTo(!expected.get(n).isEmpty());
            }
        }
        assertThat(s.on(1000)).isFalse();
    }

    /**
     * With expendable pods in the run, CA's utilisation leaves them out but counts the snapshot's pods: an 8-CPU node
     * running 1 CPU of a normal pod and 2 of an expendable one is at 1/8 (a scale-down candidate); a 4-CPU copy the
     * snapshot put there lifts it to 5/8, above the threshold of 0.5 (before, that path did not count the copy).
     */
    @Test
    void theExpendablePathCountsTheSnapshotsPods() {
        List<Pool> pools = List.of(Pool.of(0, Fixtures.priced("cpu", 8000, 32 * GIB, 0, 1.0), Resources.ZERO));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(
                Fixtures.group("app", 1000, GIB, 1),
                Fixtures.group("batch", 2000, GIB, 1).withPriority(-100),
                Fixtures.group("held", 4000, GIB, 1)))), TimePoints.DEFAULT_ORIGIN, 600);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(1, 0, 0, PodStream.STAYS);
        b.add(2, 0, 500, PodStream.STAYS); // arrives after the check: only its copy is on the node then
        LookOnce.run(b.build(), pools, 1, 60, cluster -> cluster.liveCount() == 1 && cluster.podsOn(cluster.liveNode(0)) == 2, cluster -> {
            int node = cluster.liveNode(0);
            int[][] under = {new int[1]};
            int[][] scratch = {new int[1]};
            SnapshotPods none = new SnapshotPods();
            assertThat(ExpendableLoad.utilisation(cluster, node, -10, scratch, none)).isEqualTo(1 / 8.0);
            assertThat(ExpendableLoad.underUtilised(cluster, 0.5, 0.5, -10, under, scratch, none)).isEqualTo(1);
            SnapshotPods copy = new SnapshotPods();
            int held = 2; // the stream's third pod
            assertThat(cluster.demand()[cluster.offset(held) + io.nodesizer.model.Resource.CPU.ordinal()]).isEqualTo(4000);
            copy.add(held, node);
            assertThat(ExpendableLoad.utilisation(cluster, node, -10, scratch, copy)).isEqualTo(5 / 8.0);
            assertThat(ExpendableLoad.underUtilised(cluster, 0.5, 0.5, -10, under, scratch, copy)).isZero();
            assertThat(copy.underThreshold(cluster, node, 0.5, 0.5)).as("without expendable pods left out: 7/8").isFalse();
        });
    }
}

package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Karpenter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The structures the cluster keeps up to date for its autoscalers equal a recomputation from
 * scratch at every autoscaler loop of random replays: the what-if capacity (first fit in node
 * order, through random what-if moves and closes, and as it was again after them) and the ready
 * nodes under a utilisation threshold.
 */
class WhatIfCapacityTest {
    private static final int D = DemandTable.D;
    private static final List<Pool> POOLS = List.of(
            ReplayFixtures.pool(0, "small", 2000, 8 * ReplayFixtures.GIB, 0.10),
            ReplayFixtures.pool(1, "large", 8000, 32 * ReplayFixtures.GIB, 0.40));

    /** Runs the model's loop after checking the cluster's incremental structures against a recount. */
    private static final class Checking extends ForwardingAutoscaler {
        private final SplittableRandom random;
        private final double threshold;
        int loops;

        Checking(Autoscaler inner, long seed, double threshold) {
            super(inner);
            this.random = new SplittableRandom(seed);
            this.threshold = threshold;
        }

        @Override
        public void tick(Cluster cluster) {
            loops++;
            cluster.whatIf().dropAbove(0); // removed nodes' positions dropped as soon as they outnumber the live nodes
            checkUnderUtilised(cluster, threshold);
            checkWhatIf(cluster, random);
            inner.tick(cluster);
        }
    }

    static void checkUnderUtilised(Cluster cluster, double threshold) {
        List<Integer> expected = new ArrayList<>();
        for (int li = 0; li < cluster.liveCount(); li++) {
            int node = cluster.liveNode(li);
            if (cluster.state(node) == Cluster.READY && cluster.utilisation(node) < threshold) {
                expected.add(node);
            }
        }
        List<Integer> actual = new ArrayList<>();
        for (int node = cluster.nextUnderUtilised(0, threshold, threshold); node >= 0; node = cluster.nextUnderUtilised(node + 1, threshold, threshold)) {
            actual.add(node);
        }
        assertThat(actual).as("under %s at %d", threshold, cluster.now()).isEqualTo(expected);
    }

    /** Random what-if moves and closes on the capacity and on a plain copy; first fit must agree throughout, and after the end. */
    static void checkWhatIf(Cluster cluster, SplittableRandom random) {
        boolean upcoming = random.nextBoolean();
        long[] model = FreeCopy.of(cluster, upcoming);
        long[] demand = cluster.demand();
        WhatIfCapacity capacity = cluster.whatIf();
        capacity.begin(upcoming);
        int[] received = new int[cluster.nodeCount()];
        List<int[]> moves = new ArrayList<>();
        for (int step = 0; step < 20; step++) {
            int pod = random.nextInt(cluster.stream().size());
            int o = cluster.offset(pod);
            int from = random.nextInt(cluster.nodeCount() + 1);
            int expected = FreeCopy.firstFit(model, demand, o, from, -1);
            assertThat(capacity.first(from, demand, o)).as("first fit from %d at %d", from, cluster.now()).isEqualTo(expected);
            assertThat(capacity.maximaHold()).as("the index's maxima cover their subtrees in the what-if at %d", cluster.now()).isTrue();
            int action = random.nextInt(4);
            if (action <= 1 && expected >= 0) {
                capacity.move(expected, demand, o, 1);
                FreeCopy.take(model, expected, demand, o, 1);
                received[expected]++;
                moves.add(new int[]{expected, o});
            } else if (action == 2 && !moves.isEmpty()) {
                int[] m = moves.remove(random.nextInt(moves.size()));
                if (model[m[0] * D] >= 0) {
                    capacity.move(m[0], demand, m[1], -1);
                    FreeCopy.take(model, m[0], demand, m[1], -1);
                    received[m[0]]--;
                }
            } else if (action == 3 && expected >= 0) {
                capacity.close(expected);
                Arrays.fill(model, expected * D, expected * D + D, -1);
            }
        }
        for (int node = 0; node < received.length; node++) {
            assertThat(capacity.received(node)).isEqualTo(received[node]);
        }
        assertThatThrownBy(() -> capacity.begin(false)).isInstanceOf(IllegalStateException.class);
        capacity.end();
        assertThat(capacity.maximaHold()).as("the index's maxima exact again after the what-if at %d", cluster.now()).isTrue();
        assertThat(capacity.bitsExact()).as("the index's row bits exact again after the what-if at %d", cluster.now()).isTrue();
        long[] ready = FreeCopy.of(cluster, false);
        // Every leaf is back as it was before the what-if, however often its node changed in it.
        for (int node = 0; node < cluster.nodeCount(); node++) {
            for (int r = 0; r < D; r++) {
                long expectedLeaf = ready[node * D] < 0 ? -1 : ready[node * D + r];
                assertThat(capacity.leaf(node, r)).as("leaf %d/%d after the what-if at %d", node, r, cluster.now()).isEqualTo(expectedLeaf);
            }
        }
        for (int q = 0; q < 10; q++) {
            int o = cluster.offset(random.nextInt(cluster.stream().size()));
            assertThat(capacity.first(0, demand, o)).as("first fit after the what-if").isEqualTo(FreeCopy.firstFit(ready, demand, o, 0, -1));
        }
        for (int node = 0; node < received.length; node++) {
            assertThat(capacity.received(node)).isZero();
        }
    }

    @Test
    void incrementalStructuresEqualARecountAtEveryLoop() {
        long loops = 0;
        for (long seed = 1; seed <= 12; seed++) {
            PodStream s = ReplayPropertyTest.random(seed, 200, 8 * 3600);
            loops += checkedLoops(seed, s);
        }
        assertThat(loops).as("autoscaler loops checked").isGreaterThan(1000);
    }

    /**
     * As above with a few requests (at most {@link ReadyIndex#MAX_ROWS} groups): first fit then scans
     * each request's bit set, whose bits a what-if move leaves stale ({@link ReadyIndex#lower}); a
     * pod taken back must set them again where its node fits once more.
     */
    @Test
    void incrementalStructuresEqualARecountAtEveryLoopWithFewRequests() {
        long loops = 0;
        for (long seed = 1; seed <= 12; seed++) {
            SplittableRandom r = new SplittableRandom(seed);
            List<io.nodesizer.model.PodGroup> groups = new ArrayList<>();
            for (int g = 0; g < 2 + r.nextInt(10); g++) {
                groups.add(io.nodesizer.testkit.Fixtures.group("g" + g, r.nextLong(100, 3000), r.nextLong(1, 12) * ReplayFixtures.GIB / 2, 1));
            }
            PodStream s = ReplayFixtures.randomArrivals(groups, r, 300, 8 * 3600);
            loops += checkedLoops(seed, s);
        }
        assertThat(loops).as("autoscaler loops checked").isGreaterThan(1000);
    }

    /** Replays {@code s} under CA (Karpenter for every third seed), checking at every loop; returns the loops. */
    private static int checkedLoops(long seed, PodStream s) {
        double threshold = 0.2 + 0.1 * (seed % 6);
        Autoscaler inner = seed % 3 == 0 ? new Karpenter(Karpenter.Settings.defaults(Integer.MAX_VALUE))
                : new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 300, threshold, 300,
                io.nodesizer.replay.autoscale.Expander.RANDOM, 0, 1000, 10), seed);
        Checking checking = new Checking(inner, seed, threshold);
        Replay.Settings settings = new Replay.Settings(new ProvisionDelay(30, 200), 30, seed,
                io.nodesizer.engine.strategy.KubeScheduler.Scoring.MOST_ALLOCATED, 600, false, seed % 2 == 0, -1, 1);
        Replay.run(s, seed % 2 == 0 ? POOLS : POOLS.subList(0, 1), checking, settings);
        return checking.loops;
    }
}

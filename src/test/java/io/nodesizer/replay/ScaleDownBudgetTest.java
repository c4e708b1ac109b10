package io.nodesizer.replay;

import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import org.junit.jupiter.api.Test;

import java.util.BitSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CA's scale-down budgets count its deletions still in progress (core/scaledown/budgets,
 * {@code CropNodes}): at most {@code --max-scale-down-parallelism} nodes being deleted at once, and
 * of them at most {@code --max-drain-parallelism} that had pods to drain. Watched from outside: after
 * every loop, the nodes the loop started draining (ready before it, draining after) are sorted by
 * whether they had pods, and those still draining are counted.
 */
class ScaleDownBudgetTest {
    private static final List<Pool> POOLS = List.of(ReplayFixtures.pool(0, "large", 8000, 32 * ReplayFixtures.GIB, 0.40));

    /** Delegates to CA and keeps the most drains and deletions in progress seen after a loop. */
    private static final class Watch extends ForwardingAutoscaler {
        final BitSet deleting = new BitSet();
        final BitSet drained = new BitSet();
        int mostDrains;
        int mostDeletions;

        Watch(Autoscaler ca) {
            super(ca);
        }

        @Override
        public void tick(Cluster cluster) {
            BitSet ready = new BitSet();
            BitSet withPods = new BitSet();
            for (int i = 0; i < cluster.liveCount(); i++) {
                int n = cluster.liveNode(i);
                if (cluster.state(n) == Cluster.READY) {
                    ready.set(n);
                    if (cluster.podsOn(n) > 0) {
                        withPods.set(n);
                    }
                }
            }
            inner.tick(cluster);
            for (int n = ready.nextSetBit(0); n >= 0; n = ready.nextSetBit(n + 1)) {
                if (cluster.state(n) == Cluster.DRAINING) {
                    deleting.set(n);
                    if (withPods.get(n)) {
                        drained.set(n);
                    }
                }
            }
            int deletions = 0;
            int drains = 0;
            for (int n = deleting.nextSetBit(0); n >= 0; n = deleting.nextSetBit(n + 1)) {
                if (cluster.state(n) == Cluster.DRAINING) {
                    deletions++;
                    drains += drained.get(n) ? 1 : 0;
                }
            }
            mostDrains = Math.max(mostDrains, drains);
            mostDeletions = Math.max(mostDeletions, deletions);
        }
    }

    private static Watch replay(long seed, int parallelism, int drains) {
        PodStream s = HeadroomFitStartTest.stream(seed, 800, 12 * 3600);
        Watch w = new Watch(new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 120, 0.5, 0, Expander.RANDOM, 0, 1000,
                parallelism, drains, 300), seed));
        // A drain takes 60 s: six loops, in which the next due nodes wait for the budget.
        Replay.Settings settings = new Replay.Settings(new ProvisionDelay(30, 200), 60, seed,
                io.nodesizer.engine.strategy.KubeScheduler.Scoring.MOST_ALLOCATED, 600, false, false, -1, 1);
        ReplayResult r = Replay.run(s, POOLS, w, settings);
        assertThat(r.scaleDowns()).as("seed %d scales down", seed).isPositive();
        return w;
    }

    @Test
    void drainsAndDeletionsInProgressStayWithinTheBudgets() {
        int widest = 0;
        for (long seed = 1; seed <= 6; seed++) {
            Watch byDefault = replay(seed, 10, 1);
            assertThat(byDefault.mostDrains).as("seed %d: drains at once", seed).isLessThanOrEqualTo(1);
            assertThat(byDefault.mostDeletions).as("seed %d: deletions at once", seed).isLessThanOrEqualTo(10);
            Watch one = replay(seed, 1, 1);
            assertThat(one.mostDeletions).as("seed %d: deletions at once, parallelism 1", seed).isLessThanOrEqualTo(1);
            // Without the drain budget the same loops drain more than one node at a time: the scenario asks for it.
            widest = Math.max(widest, replay(seed, 10, 10).mostDrains);
        }
        assertThat(widest).isGreaterThan(1);
    }
}

package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.DisruptionBudget;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.Autoscaler;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Drains through the eviction API: a pod whose PodDisruptionBudget allows no eviction now stays on the cordoned node
 * and is tried again ({@link EvictionRetry}); Cluster Autoscaler gives the drain up at {@code --max-pod-eviction-time}
 * (the node uncordoned with the pods it kept), Karpenter waits, or deletes the pods left at its
 * {@code terminationGracePeriod}. Four 1-CPU web pods under {@code maxUnavailable: 1} start on one 4-CPU node (the
 * replay's default scoring packs them), which a scripted autoscaler drains at second 100.
 */
final class BudgetedDrainsTest {
    private static final Pool NODE = Pool.of(0, Fixtures.shape("n", 4000, 16 * GIB, 110, 1.0), Resources.ZERO);
    private static final long AT = 100;

    private static DisruptionBudget budget(String name, String max) {
        return Fixtures.budget(name, Map.of("app", "web"), null, max);
    }

    private static PodGroup web(List<DisruptionBudget> budgets) {
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", "web"), List.of(), List.of(), List.of());
        return Fixtures.budgeted(new PodGroup("web", "test", new Resources(1000, GIB, 1, 0, 0), 1, false, null, new SourceRef("t", 1),
                List.of(), null, p, 0), budgets);
    }

    /** Four web pods from second 0, each leaving at its {@code depart} (PodStream.STAYS: never). */
    private static PodStream stream(List<DisruptionBudget> budgets, long... depart) {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(web(budgets)))), TimePoints.DEFAULT_ORIGIN, 600);
        for (int i = 0; i < 4; i++) {
            b.add(0, i, 0, depart.length == 0 ? PodStream.STAYS : depart[i]);
        }
        return b.build();
    }

    /** {@code nodes} ready nodes from the start ({@link FixedCount}); at {@link #AT} the one running the most pods is drained with {@code retry}. */
    private static final class DrainAt extends ForwardingAutoscaler {
        private final EvictionRetry retry;

        DrainAt(int nodes, EvictionRetry retry) {
            super(new FixedCount(nodes));
            this.retry = retry;
        }

        @Override
        public void tick(Cluster cluster) {
            if (cluster.now() != AT) {
                return;
            }
            int busiest = -1;
            for (int i = 0; i < cluster.liveCount(); i++) {
                int n = cluster.liveNode(i);
                if (busiest < 0 || cluster.podsOn(n) > cluster.podsOn(busiest)) {
                    busiest = n;
                }
            }
            assertThat(cluster.podsOn(busiest)).isEqualTo(4);
            cluster.drain(busiest, retry);
        }

        @Override
        public long nextTick(Cluster cluster, long lastTick, boolean changed) {
            return lastTick < AT ? AT : Long.MAX_VALUE;
        }
    }

    private static ReplayResult run(PodStream stream, Autoscaler a) {
        return Replay.run(stream, List.of(NODE), a, Replay.Settings.defaults(ProvisionDelay.fixed(0), 1));
    }

    /**
     * With room on a second node, each evicted pod's replacement runs at once, which gives the budget its one eviction
     * back: Cluster Autoscaler's drain takes one pod every 10 s (refused 3, 2, then 1 time), done at 130, the node gone
     * the drain delay (30 s) later. Without a budget all four go at 100.
     */
    @Test
    void aDrainTakesOnePodPerRetryWhereTheBudgetAllowsOne() {
        ReplayResult held = run(stream(List.of(budget("web-pdb", "1"))), new DrainAt(2, EvictionRetry.clusterAutoscaler(120)));
        assertThat(held.evictions()).isEqualTo(4);
        assertThat(held.scaleDowns()).isEqualTo(1);
        assertThat(held.budgetedDrains()).isEqualTo(new ReplayResult.BudgetedDrains(1, 0, 0, 0, 30, Map.of("shop/web-pdb", 6L)));
        assertThat(held.pendingAtEnd()).isZero();
        // Node-hours: the second node all 600 s, the drained one until 130 + 30 s.
        assertThat(held.nodeHours()).isCloseTo((600 + 160) / 3600.0, org.assertj.core.data.Offset.offset(1e-9));

        ReplayResult free = run(stream(List.of()), new DrainAt(2, EvictionRetry.clusterAutoscaler(120)));
        assertThat(free.evictions()).isEqualTo(4);
        assertThat(free.budgetedDrains()).isEqualTo(ReplayResult.BudgetedDrains.NONE);
        assertThat(free.nodeHours()).isCloseTo((600 + 130) / 3600.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * With no other node the first evicted pod has nowhere to run, so the budget stays at 0: Cluster Autoscaler tries the
     * other three every 10 s (3 refusals at 100, then at 110 … 210) and gives up at 220, the node uncordoned with its
     * three pods; the evicted one runs on it again. No scale-down.
     */
    @Test
    void clusterAutoscalerGivesTheDrainUpAtTheMaxPodEvictionTime() {
        ReplayResult r = run(stream(List.of(budget("web-pdb", "1"))), new DrainAt(1, EvictionRetry.clusterAutoscaler(120)));
        assertThat(r.budgetedDrains()).isEqualTo(new ReplayResult.BudgetedDrains(1, 1, 0, 0, 120, Map.of("shop/web-pdb", 36L)));
        assertThat(r.scaleDowns()).isZero();
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.pendingAtEnd()).isZero();
        assertThat(r.pendingMaxSeconds()).isEqualTo(120);
        assertThat(r.nodeHours()).isCloseTo(600 / 3600.0, org.assertj.core.data.Offset.offset(1e-9));

        // A shorter --max-pod-eviction-time gives up sooner.
        ReplayResult soon = run(stream(List.of(budget("web-pdb", "1"))), new DrainAt(1, EvictionRetry.clusterAutoscaler(30)));
        assertThat(soon.budgetedDrains().givenUp()).isEqualTo(1);
        assertThat(soon.budgetedDrains().heldSeconds()).isEqualTo(30);
        assertThat(soon.pendingMaxSeconds()).isEqualTo(30);
    }

    /**
     * Cluster Autoscaler checks its deadline before each retry, not between: with {@code --max-pod-eviction-time 15s} it
     * tries at 100 and 110 and gives up at 120, the first retry at or after 115.
     */
    @Test
    void clusterAutoscalerGivesUpAtItsFirstRetryAfterTheDeadline() {
        ReplayResult r = run(stream(List.of(budget("web-pdb", "1"))), new DrainAt(1, EvictionRetry.clusterAutoscaler(15)));
        assertThat(r.budgetedDrains()).isEqualTo(new ReplayResult.BudgetedDrains(1, 1, 0, 0, 20, Map.of("shop/web-pdb", 6L)));
        assertThat(EvictionRetry.clusterAutoscaler(15).firstTryAtOrAfter(100, 0, 115)).isEqualTo(120);
        assertThat(EvictionRetry.clusterAutoscaler(0).firstTryAtOrAfter(100, 0, 100)).isEqualTo(110);
        assertThat(EvictionRetry.karpenter(EvictionRetry.NEVER).firstTryAtOrAfter(0, 0, 30)).isEqualTo(37); // 1,1,1,1,2,4,7,10,10
    }

    /**
     * A pod two budgets cover is never evicted (the eviction subresource refuses it, "more than one
     * PodDisruptionBudget"), however much room there is: the drain is given up with every pod still on the node.
     */
    @Test
    void aPodTwoBudgetsCoverIsNeverEvicted() {
        ReplayResult r = run(stream(List.of(budget("a", "1"), budget("b", "1"))), new DrainAt(2, EvictionRetry.clusterAutoscaler(120)));
        assertThat(r.evictions()).isZero();
        assertThat(r.scaleDowns()).isZero();
        assertThat(r.budgetedDrains().givenUp()).isEqualTo(1);
        // refused at 100, then no try until the one that gives up at 220: they could not succeed
        assertThat(r.budgetedDrains().refusals()).isEqualTo(Map.of("(more than one budget)", 4L));
        assertThat(r.budgetedDrains().heldSeconds()).isEqualTo(120);
    }

    /**
     * Karpenter waits as long as it takes by default (the pods stay, the node stays billed and cordoned to the end), and
     * with a terminationGracePeriod of 60 s deletes the three pods left at 130, their own grace period (the drain delay,
     * 30 s) before it, so that the node goes at 160, 60 s after the drain began. Its retries follow the eviction queue's
     * backoff: 101, 102, 103, 104, 106, 110, 117, 127, then 130 (3 refusals each, and 3 at 100).
     */
    @Test
    void karpenterWaitsOrDeletesThePodsLeftAtItsTerminationGracePeriod() {
        ReplayResult waits = run(stream(List.of(budget("web-pdb", "1"))), new DrainAt(1, EvictionRetry.karpenter(EvictionRetry.NEVER)));
        assertThat(waits.evictions()).isEqualTo(1);
        assertThat(waits.budgetedDrains().held()).isEqualTo(1);
        assertThat(waits.budgetedDrains().givenUp()).isZero();
        // still waiting at the end (600): its 500 s counted, its node not removed
        assertThat(waits.budgetedDrains().atEnd()).isEqualTo(1);
        assertThat(waits.budgetedDrains().heldSeconds()).isEqualTo(500);
        assertThat(waits.scaleDowns()).isZero();
        assertThat(waits.pendingAtEnd()).isEqualTo(1);
        // the pods left on the cordoned node leave the requested totals with it: 4 of 4 CPUs until 100, then no ready node
        assertThat(waits.cpuUtilisation()).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(waits.nodeHours()).isCloseTo(600 / 3600.0, org.assertj.core.data.Offset.offset(1e-9));

        ReplayResult forced = run(stream(List.of(budget("web-pdb", "1"))), new DrainAt(1, EvictionRetry.karpenter(60)));
        assertThat(forced.budgetedDrains()).isEqualTo(new ReplayResult.BudgetedDrains(1, 0, 1, 0, 30, Map.of("shop/web-pdb", 27L)));
        assertThat(forced.evictions()).isEqualTo(4);
        assertThat(forced.pendingAtEnd()).isEqualTo(4);
        assertThat(forced.nodeHours()).isCloseTo(160 / 3600.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * A terminationGracePeriod shorter than the pods' own grace period (the drain delay, 30 s): Karpenter deletes the node
     * at it, whether its pods were held (deleted at once) or all evicted at the drain's start (review 46 F2: the second
     * went 20 s later, at 130).
     */
    @Test
    void aNodeGoesAtAGracePeriodShorterThanItsPods() {
        ReplayResult free = run(stream(List.of()), new DrainAt(1, EvictionRetry.karpenter(10)));
        ReplayResult held = run(stream(List.of(budget("web-pdb", "1"))), new DrainAt(1, EvictionRetry.karpenter(10)));
        assertThat(free.budgetedDrains().held()).isZero();
        assertThat(held.budgetedDrains().forced()).isEqualTo(1);
        assertThat(free.nodeHours()).isCloseTo(110 / 3600.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(held.nodeHours()).isCloseTo(110 / 3600.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    /** The pods leave on their own at 105, those the budget kept too: the drain is over then, the node gone 30 s later. */
    @Test
    void heldPodsLeavingOnTheirOwnEndTheDrain() {
        ReplayResult r = run(stream(List.of(budget("web-pdb", "1")), 105, 105, 105, 105),
                new DrainAt(1, EvictionRetry.clusterAutoscaler(120)));
        assertThat(r.budgetedDrains()).isEqualTo(new ReplayResult.BudgetedDrains(1, 0, 0, 0, 5, Map.of("shop/web-pdb", 3L)));
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.nodeHours()).isCloseTo(135 / 3600.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    /**
     * Karpenter's drains hold pods annotated do-not-disrupt as they hold those a budget refuses, until the
     * terminationGracePeriod (an expired node's, say); Cluster Autoscaler does not read the annotation.
     */
    @Test
    void karpenterHoldsDoNotDisruptPodsUntilItsTerminationGracePeriod() {
        PodGroup dnd = web(List.of()).withEviction(new io.nodesizer.model.PodTemplate.Eviction(null, null, true, List.of()));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(dnd))), TimePoints.DEFAULT_ORIGIN, 600);
        for (int i = 0; i < 4; i++) {
            b.add(0, i, 0, PodStream.STAYS);
        }
        PodStream s = b.build();
        ReplayResult forced = run(s, new DrainAt(2, EvictionRetry.karpenter(60)));
        assertThat(forced.budgetedDrains().held()).isEqualTo(1);
        assertThat(forced.budgetedDrains().forced()).isEqualTo(1);
        // held until 130, when the pods are deleted so that their grace period ends with the node's at 160
        assertThat(forced.budgetedDrains().heldSeconds()).isEqualTo(30);
        assertThat(forced.budgetedDrains().refusals()).containsOnlyKeys("(karpenter.sh/do-not-disrupt)");
        assertThat(forced.evictions()).isEqualTo(4);
        assertThat(forced.nodeHours()).isCloseTo((600 + 160) / 3600.0, org.assertj.core.data.Offset.offset(1e-9));

        ReplayResult ca = run(s, new DrainAt(2, EvictionRetry.clusterAutoscaler(120)));
        assertThat(ca.budgetedDrains()).isEqualTo(ReplayResult.BudgetedDrains.NONE);
        assertThat(ca.evictions()).isEqualTo(4);
    }

    @Test
    void theBackoffDoublesInWholeSeconds() {
        EvictionRetry k = EvictionRetry.karpenter(EvictionRetry.NEVER);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            delays.add(k.delayAfter(i));
        }
        assertThat(delays).containsExactly(1L, 1L, 1L, 1L, 2L, 4L, 7L, 10L, 10L);
        assertThat(EvictionRetry.clusterAutoscaler(120).delayAfter(0)).isEqualTo(10);
        assertThat(EvictionRetry.clusterAutoscaler(120).delayAfter(20)).isEqualTo(10);
    }
}

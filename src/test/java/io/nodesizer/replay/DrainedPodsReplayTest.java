package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.DisruptionBudget;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.SourceRef;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import io.nodesizer.replay.autoscale.Karpenter;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The pods still on a node Cluster Autoscaler is draining (their evictions refused) are pods to place for CA: its pod
 * list processors add them to the unschedulable pods before filtering out those the nodes can take (a copy that finds no
 * room gets a scale-up), that filter leaves its placements in the snapshot, and the scale-down planner injects a second
 * copy of each ({@code injectOngoingActuation}); when a copy finds no node the planner's update fails, CA forgets its
 * unneeded nodes and deletes none in that loop ({@code budgetedDrains.scaleDownResets}). Karpenter's provisioner
 * schedules such pods too, and keeps the nodes it puts them on.
 */
final class DrainedPodsReplayTest {
    private static final List<Pool> FOUR_CPU = List.of(ReplayFixtures.pool(0, "four", 4000, 16 * GIB, 0.2));

    /** A group of 1 pod of {@code cpu} millicores and 1 GiB labelled app={@code name}, covered by {@code budgets}. */
    private static PodGroup labelled(String name, long cpu, List<DisruptionBudget> budgets) {
        Placement p = new Placement(Map.of(), null, List.of(), "shop", Map.of("app", name), List.of(), List.of(), List.of());
        return Fixtures.budgeted(new PodGroup(name, "test", new Resources(cpu, GIB, 1, 0, 0), 1, false, null, new SourceRef("t", 1),
                List.of(), null, p, 0), budgets);
    }

    /** Two budgets over one pod: CA's simulation asks each alone (one eviction allowed), the eviction API refuses it. */
    private static List<DisruptionBudget> twoBudgets(String app) {
        return List.of(Fixtures.budget(app + "-a", Map.of("app", app), null, "1"), Fixtures.budget(app + "-b", Map.of("app", app), null, "1"));
    }

    /**
     * Node A (requested at 10) runs base (1.3 CPU, 9 GiB: 56 % of its memory) and, till 400, brief (1.3 CPU). Blocker
     * (2.5 CPU) and web (1.5 CPU, two budgets) arrive at 200 and get node B (requested at 210). Blocker leaves at 500:
     * B runs web alone (37.5 %), which fits on A, so B is unneeded from 500 and drained at 560 (1 min unneeded time).
     * The eviction API refuses web, so the drain holds it until CA gives up at 680 (2 min). Meanwhile CA places web
     * twice on its snapshot: the scale-up's copy fits on A (2.8 CPU), the planner's does not, so the loops at 570, 580
     * and 590 reset. At 600 a 1.5-CPU pod ({@code late}) takes A's room: the first copy no longer fits either, and CA
     * scales up for web: node C, ready at 660, where both copies then sit (75 %: not a candidate) until the drain is
     * given up; empty from 680, C is deleted at 740 and gone at 770. Without the late pod the first copy always fits:
     * no node is added, every loop of the hold resets.
     */
    private static ReplayResult run(boolean late) {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(
                Fixtures.group("base", 1300, 9 * GIB, 1), Fixtures.group("brief", 1300, GIB, 1), Fixtures.group("blocker", 2500, GIB, 1),
                labelled("web", 1500, twoBudgets("web")), Fixtures.group("late", 1500, GIB, 1)))), TimePoints.DEFAULT_ORIGIN, 3600);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(1, 0, 0, 400);
        b.add(2, 0, 200, 500);
        b.add(3, 0, 200, PodStream.STAYS);
        if (late) {
            b.add(4, 0, 600, PodStream.STAYS);
        }
        ClusterAutoscaler ca = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 60, 0.5, 0, Expander.RANDOM, 0, 100, 10, 1, 300), 1);
        return ReplayFixtures.run(b.build(), FOUR_CPU, ca, 60);
    }

    /**
     * A node that holds only the snapshot's copies of a held pod is one to drain for CA, not an empty one: its removal
     * simulation lists the copies among its PodsToReschedule (planner.go {@code NodesToDelete}), so it waits for the drain
     * parallelism. Node A (requested at 10) runs base and stay2 (0.7 CPU left); blocker and web (0.9 CPU, two budgets)
     * get B (210), big gets E (310), f (2 CPU, 9 GiB: not a candidate) gets F (360). Blocker leaves at 500 and B is
     * drained at 560, web held there until the drain is given up at 680 (and again every 3 minutes after). Big leaves E
     * at 540; from 560 both copies of web sit on E (first fit: A has no room), 45 %, and would move to F, so E stays
     * unneeded and is due at 600, but B's drain takes the one drain slot ({@code --max-drain-parallelism 1}): E goes
     * only when the drain is given up at 680 and the copies with it, as an empty node, gone at 710. Counted empty, it
     * went at 600 (gone at 630).
     */
    @Test
    void aNodeHoldingOnlyTheSnapshotsCopiesIsDeletedAsOneToDrain() {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(
                Fixtures.group("base", 1300, 9 * GIB, 1), Fixtures.group("stay2", 2000, GIB, 1), Fixtures.group("blocker", 2500, GIB, 1),
                labelled("web", 900, twoBudgets("web")), Fixtures.group("big", 3000, GIB, 1), Fixtures.group("f", 2000, 9 * GIB, 1)))),
                TimePoints.DEFAULT_ORIGIN, 3600);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(1, 0, 0, PodStream.STAYS);
        b.add(2, 0, 200, 500);
        b.add(3, 0, 200, PodStream.STAYS);
        b.add(4, 0, 300, 540);
        b.add(5, 0, 350, PodStream.STAYS);
        ClusterAutoscaler ca = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 60, 0.5, 0, Expander.RANDOM, 0, 100, 10, 1, 300), 1);
        ReplayResult r = ReplayFixtures.run(b.build(), FOUR_CPU, ca, 60);
        assertThat(r.scaleUps()).isEqualTo(4);
        assertThat(r.scaleDowns()).as("E").isEqualTo(1);
        assertThat(r.budgetedDrains().givenUp()).as("B's drains").isEqualTo(17);
        assertThat(r.nodeHours() * 3600).isCloseTo((3600 - 10) + (3600 - 210) + (3600 - 360) + (710 - 310), within(1e-6));
    }

    @Test
    void aHeldPodThatTheClusterNoLongerHoldsGetsANewNode() {
        ReplayResult r = run(true);
        assertThat(r.scaleUps()).isEqualTo(3);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.budgetedDrains()).isEqualTo(new ReplayResult.BudgetedDrains(1, 1, 0, 0, 120, Map.of("(more than one budget)", 1L), 4));
        // A from 10, B from 210 to the end; C from 600 to 770.
        assertThat(r.nodeHours() * 3600).isCloseTo((3600 - 10) + (3600 - 210) + (770 - 600), within(1e-6));
        assertThat(r.pendingAtEnd()).isZero();
    }

    @Test
    void aPlannerCopyThatFindsNoNodeResetsEveryLoopOfTheHold() {
        // B is drained, held 2 minutes, given up, unneeded again a minute later, and so on: 17 drains from 560 on, each
        // with the 11 loops of its hold (drain + 10 … drain + 110) reset, and no node added.
        ReplayResult r = run(false);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.scaleDowns()).isZero();
        assertThat(r.budgetedDrains()).isEqualTo(new ReplayResult.BudgetedDrains(17, 17, 0, 0, 17 * 120, Map.of("(more than one budget)", 17L),
                17 * 11));
        assertThat(r.nodeHours() * 3600).isCloseTo((3600 - 10) + (3600 - 210), within(1e-6));
    }

    /**
     * Karpenter's provisioner schedules the pods still on nodes being deleted with the pending ones, and the nodes its
     * simulation puts them on are nominated, no disruption candidates. Web (3 CPU, two budgets: every eviction refused)
     * arrives at 0 and gets node A; A expires at 3600 (expireAfter 1h) and its drain holds web until it is deleted at
     * 4170, early enough for its own grace period (30 s) to end with A at the terminationGracePeriod (10 min). From the
     * expiry web is provisioned for: node B, requested at once, ready a minute later and empty until 4170, stays nominated for web (not deleted as empty); web then starts
     * on it without waiting. The disruption budget (100 % of the nodes) would let B go as soon as it is empty: only the
     * nomination keeps it (without it B is deleted and relaunched over and over).
     */
    @Test
    void karpenterProvisionsForThePodsHeldOnANodeItDeletesAndKeepsTheNodeForThem() {
        ReplayResult r = karpenterExpiry();
        assertThat(r.scaleUps()).as("A, then B for the held pod").isEqualTo(2);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.budgetedDrains().forced()).isEqualTo(1);
        assertThat(r.budgetedDrains().heldSeconds()).isEqualTo(570);
        assertThat(r.evictions()).isEqualTo(1);
        // web waited only for its first node, A (requested at 1, ready at 61)
        assertThat(r.pendingPodSeconds()).isEqualTo(61.0);
        // A from 1 (the batch's idle second) to 4200, 10 minutes after its drain began at 3600; B from 3601
        assertThat(r.nodeHours() * 3600).isCloseTo((4200 - 1) + (7200 - 3601), within(1e-6));
    }

    private static ReplayResult karpenterExpiry() {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(List.of(labelled("web", 3000, twoBudgets("web"))))),
                TimePoints.DEFAULT_ORIGIN, 7200);
        b.add(0, 0, 0, PodStream.STAYS);
        Karpenter k = new Karpenter(new Karpenter.Settings(Karpenter.Settings.BATCH_IDLE, Karpenter.Settings.BATCH_MAX,
                Karpenter.Consolidation.WHEN_EMPTY_OR_UNDERUTILIZED, 0, Karpenter.Settings.POLL_PERIOD, Integer.MAX_VALUE,
                new Karpenter.Budget(100, true), 3600, 600));
        return ReplayFixtures.run(b.build(), FOUR_CPU, k, 60);
    }

    /**
     * Random plain replays where some workloads' pods are covered by two budgets (CA drains their nodes and the eviction
     * API refuses them, so drains hold for 2 minutes) and others by {@code maxUnavailable: 1}: with the replay's
     * self-checks on, every unneeded pass is also run on {@code Headroom} and must find the same nodes with the snapshot's
     * copies placed alike; the runs verify their nodes and pods at the end, and come out the same with the checks off.
     */
    @Test
    void withHeldDrainsThePassOnTheAmountsAloneFindsWhatHeadroomFinds() {
        long resets = 0;
        long held = 0;
        for (long seed = 1; seed <= 8; seed++) {
            ReplayResult unchecked = replay(seed);
            long s = seed;
            ReplayResult checked = ReplayFixtures.checked(() -> replay(s));
            assertThat(checked.nodeHours()).isEqualTo(unchecked.nodeHours());
            assertThat(checked.scaleUps()).isEqualTo(unchecked.scaleUps());
            assertThat(checked.budgetedDrains()).isEqualTo(unchecked.budgetedDrains());
            resets += checked.budgetedDrains().scaleDownResets();
            held += checked.budgetedDrains().held();
        }
        assertThat(held).as("drains held").isPositive();
        assertThat(resets).as("scale-down resets").isPositive();
    }

    private static ReplayResult replay(long seed) {
        java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
        List<PodGroup> groups = new ArrayList<>();
        for (int g = 0; g < 5; g++) {
            String app = "w" + g;
            List<DisruptionBudget> budgets = g % 3 == 0 ? twoBudgets(app)
                    : g % 3 == 1 ? List.of(Fixtures.budget(app, Map.of("app", app), null, "1")) : List.of();
            groups.add(labelled(app, r.nextLong(200, 1800), budgets));
        }
        PodStream s = ReplayFixtures.randomArrivals(groups, r, 400, 8 * 3600);
        ClusterAutoscaler ca = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 120, 0.5, 120, Expander.RANDOM, 0, 1000, 10), seed);
        return Replay.run(s, FOUR_CPU, ca, Replay.Settings.defaults(ProvisionDelay.fixed(60), seed));
    }
}

package io.nodesizer.replay;

import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.nodesizer.replay.ReplayFixtures.GIB;
import static io.nodesizer.replay.ReplayFixtures.P;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Each Cluster Autoscaler rule on scenarios small enough to compute by hand. */
class ClusterAutoscalerTest {
    private static final List<Pool> FOUR_CPU = List.of(ReplayFixtures.pool(0, "four", 4000, 16 * GIB, 0.2));

    private static ClusterAutoscaler ca(long unneeded, long delayAfterAdd) {
        return new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, unneeded, 0.5, delayAfterAdd, Expander.RANDOM, 0, 100, 10), 1);
    }

    /** As {@link #ca}, with {@code --unremovable-node-recheck-timeout} at {@code recheck} seconds. */
    private static ClusterAutoscaler ca(long unneeded, long delayAfterAdd, long recheck) {
        return new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, unneeded, 0.5, delayAfterAdd, Expander.RANDOM, 0, 100, 10, 1, recheck), 1);
    }

    @Test
    void scaleUpRequestsWhatTheEstimatorPacksAndPodsWaitForTheProvisioningDelay() {
        // Ten 1-CPU pods at t=0 on 4-CPU nodes: the estimator packs 4+4+2, so 3 nodes. The loop at 0
        // waits for more pods (the pods are 0 s old); the one at 10 requests them, ready at 70 s.
        PodStream s = ReplayFixtures.stream(3600, ReplayFixtures.same(10, 1000, GIB, 0, PodStream.STAYS));
        ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, ca(600, 600), 60);
        assertThat(r.scaleUps()).isEqualTo(3);
        assertThat(r.peakNodes()).isEqualTo(3);
        assertThat(r.pendingMaxSeconds()).isEqualTo(70);
        assertThat(r.pendingP95Seconds()).isEqualTo(70);
        assertThat(r.pendingPodSeconds()).isEqualTo(700);
        assertThat(r.pendingProvisioningSeconds()).isEqualTo(600);
        assertThat(r.pendingNoCapacitySeconds()).isEqualTo(100);
        assertThat(r.nodeHours() * 3600).isCloseTo(3 * 3590, within(1e-6));
        assertThat(r.costTotal()).isCloseTo(0.2 * 3 * 3590 / 3600, within(1e-9));
    }

    @Test
    void aLoopWaitsWhileThePodsThatNeedANodeAreUnder2sOldOrUnder30sWithGpus() {
        // CA scales up only once the oldest pod that needs a node is 2 s old (30 s when some request
        // GPUs: the oldest of those). A pod at 8 is 2 s old at the loop at 10: a node then, ready
        // at 70. A pod at 9 is 1 s old: the loop at 10 waits, the one at 20 asks, ready at 80.
        assertThat(ReplayFixtures.run(ReplayFixtures.stream(600, List.of(new P(1000, GIB, 8, PodStream.STAYS))), FOUR_CPU, ca(600, 600), 60)
                .pendingMaxSeconds()).isEqualTo(62);
        assertThat(ReplayFixtures.run(ReplayFixtures.stream(600, List.of(new P(1000, GIB, 9, PodStream.STAYS))), FOUR_CPU, ca(600, 600), 60)
                .pendingMaxSeconds()).isEqualTo(71);
        // A GPU pod at 5 and a plain one at 15 that a GPU node takes too: the loops at 10, 20 and
        // 30 wait (the GPU pod is under 30 s old), the one at 40 asks for one node for both.
        List<Pool> gpu = List.of(Pool.of(0, io.nodesizer.testkit.Fixtures.priced("gpu", 8000, 32 * GIB, 1000, 2.0),
                io.nodesizer.model.Resources.ZERO));
        PodStream.Builder b = new PodStream.Builder(io.nodesizer.engine.DemandTable.of(io.nodesizer.model.Workload.of(List.of(
                io.nodesizer.testkit.Fixtures.group("trainer", new io.nodesizer.model.Resources(4000, 8 * GIB, 1, 1000, 0), 1),
                io.nodesizer.testkit.Fixtures.group("web", 1000, GIB, 1)))), io.nodesizer.replay.demand.TimePoints.DEFAULT_ORIGIN, 600);
        b.add(0, 0, 5, PodStream.STAYS);
        b.add(1, 0, 15, PodStream.STAYS);
        ReplayResult r = ReplayFixtures.run(b.build(), gpu, ca(600, 600), 60);
        assertThat(r.scaleUps()).isEqualTo(1);
        assertThat(r.pendingMaxSeconds()).isEqualTo(100 - 5);
        assertThat(r.pendingPodSeconds()).isEqualTo((100 - 5) + (100 - 15));
    }

    @Test
    void aLoopThatWaitsForNewPodsDeletesNoNode() {
        // A 1-CPU pod at 0 (4-CPU node requested at 10, ready at 70) leaves at 100: its node is
        // unneeded from then and due at 160 (1 min, no delay after add, rechecked every loop). An
        // 8-CPU pod, which only a 16-CPU node fits, arrives at 159: the loop at 160 waits for more
        // pods and so deletes nothing; the one at 170 asks for the big node and drains the small
        // one, gone at 200. Without it: drained at 160, gone at 190.
        List<Pool> pools = List.of(ReplayFixtures.pool(0, "four", 4000, 16 * GIB, 0.2), ReplayFixtures.pool(1, "sixteen", 16000, 64 * GIB, 0.8));
        ClusterAutoscaler.Settings settings = new ClusterAutoscaler.Settings(10, 60, 0.5, 0, Expander.LEAST_WASTE, 0, 100, 10, 1, 0);
        ReplayResult alone = ReplayFixtures.run(ReplayFixtures.stream(600, List.of(new P(1000, GIB, 0, 100))), pools,
                new ClusterAutoscaler(settings, 1), 60);
        assertThat(alone.nodeHours() * 3600).isCloseTo(190 - 10, within(1e-6));
        ReplayResult waited = ReplayFixtures.run(ReplayFixtures.stream(600, List.of(new P(1000, GIB, 0, 100), new P(8000, GIB, 159, PodStream.STAYS))),
                pools, new ClusterAutoscaler(settings, 1), 60);
        assertThat(waited.scaleUps()).isEqualTo(2);
        assertThat(waited.scaleDowns()).isEqualTo(1);
        assertThat(waited.nodeHours() * 3600).isCloseTo((200 - 10) + (600 - 170), within(1e-6));
    }

    @Test
    void podsYoungerThanTheNewPodScaleUpDelayAreLeftOutWithoutHoldingScaleDownBack() {
        // --new-pod-scale-up-delay: a pod at 0 is considered from the first loop at or after the
        // delay (55 or 60 s: the loop at 60; 65 s: the one at 70), its node ready 60 s later.
        for (long[] delayAndWait : new long[][]{{0, 70}, {55, 120}, {60, 120}, {65, 130}}) {
            ClusterAutoscaler delayed = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10, 1,
                    300, delayAndWait[0], 0), 1);
            ReplayResult r = ReplayFixtures.run(ReplayFixtures.stream(600, List.of(new P(1000, GIB, 0, PodStream.STAYS))), FOUR_CPU, delayed, 60);
            assertThat(r.pendingMaxSeconds()).as("delay %d", delayAndWait[0]).isEqualTo(delayAndWait[1]);
        }
        // Unlike a very new pod, a young one does not stop scale-down: as in
        // aLoopThatWaitsForNewPodsDeletesNoNode, with a 30 s delay the loop at 160 drains the
        // small node (gone at 190) and the big pod, of age at 189, gets its node at 190.
        List<Pool> pools = List.of(ReplayFixtures.pool(0, "four", 4000, 16 * GIB, 0.2), ReplayFixtures.pool(1, "sixteen", 16000, 64 * GIB, 0.8));
        ClusterAutoscaler ca = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 60, 0.5, 0, Expander.LEAST_WASTE, 0, 100, 10, 1, 0, 30, 0), 1);
        ReplayResult r = ReplayFixtures.run(ReplayFixtures.stream(600, List.of(new P(1000, GIB, 0, 100), new P(8000, GIB, 159, PodStream.STAYS))),
                pools, ca, 60);
        assertThat(r.scaleDowns()).isEqualTo(1);
        // The small node from 30 (its pod comes of age then) to 190; the big one from 190.
        assertThat(r.nodeHours() * 3600).isCloseTo((190 - 30) + (600 - 190), within(1e-6));
    }

    @Test
    void theDelayAfterDeleteHoldsTheNextDeletionBack() {
        // Two nodes (requested at 10) with a 3-CPU pod each; one pod leaves at 1000, the other at
        // 1020: unneeded from then, due at 1060 and 1080 (1 min). The first is drained at 1060, gone
        // at 1090. With --scale-down-delay-after-delete 60s the second waits until 1120 (gone at
        // 1150); without, it goes at 1080 (gone at 1110).
        PodStream s = ReplayFixtures.stream(2000, List.of(new P(3000, GIB, 0, 1000), new P(3000, GIB, 0, 1020)));
        long[][] delayAndGone = {{0, 1110}, {60, 1150}};
        for (long[] dg : delayAndGone) {
            ClusterAutoscaler ca = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 60, 0.5, 0, Expander.RANDOM, 0, 100, 10, 1, 0, 0, dg[0]), 1);
            ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, ca, 60);
            assertThat(r.scaleDowns()).isEqualTo(2);
            assertThat(r.nodeHours() * 3600).as("delay %d", dg[0]).isCloseTo((1090 - 10) + (dg[1] - 10), within(1e-6));
        }
    }

    @Test
    void podsArrivingBetweenTicksWaitForTheNextScan() {
        // A pod at t=5 is seen by the tick at 10 and its node is ready at 10 + 60.
        PodStream s = ReplayFixtures.stream(600, List.of(new P(1000, GIB, 5, PodStream.STAYS)));
        ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, ca(600, 600), 60);
        assertThat(r.pendingMaxSeconds()).isEqualTo(65);
        assertThat(r.pendingNoCapacitySeconds()).isEqualTo(5);
        assertThat(r.pendingProvisioningSeconds()).isEqualTo(60);
    }

    @Test
    void upcomingNodesAreNotRequestedTwice() {
        // 4 pods at 0 (one node requested), 2 more at 20 while it provisions: they cannot fit it, one more node.
        List<P> pods = new ArrayList<>(ReplayFixtures.same(3, 1000, GIB, 0, PodStream.STAYS));
        pods.addAll(ReplayFixtures.same(1, 1000, GIB, 20, PodStream.STAYS));
        pods.addAll(ReplayFixtures.same(2, 1000, GIB, 30, PodStream.STAYS));
        PodStream s = ReplayFixtures.stream(600, pods);
        ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, ca(600, 600), 120);
        // The pod at 20 fits the upcoming node's free CPU: no scale-up; the two at 30 do not: one more node.
        assertThat(r.scaleUps()).isEqualTo(2);
    }

    @Test
    void emptyNodeIsRemovedAfterTheUnneededTimeOnceItsRecheckComes() {
        // One node (requested at 10, the loop at 0 waiting for more pods; ready at 70) at 25 % CPU,
        // so a candidate, whose only pod has nowhere else to go until it leaves at 2000. Its removal
        // fails at 70 and CA leaves it out of the pass for the recheck time-out (5 min), tries again
        // at 370, 670, ... 1870 (failing each time), so the tick at 2000 skips it though it is empty:
        // unneeded from 2170, drained by the tick at 2770, gone 30 s later.
        PodStream s = ReplayFixtures.stream(4000, List.of(new P(1000, GIB, 0, 2000)));
        ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, ca(600, 600), 60);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.nodeHours() * 3600).isCloseTo(2800 - 10, within(1e-6));
        // Rechecked every loop: the tick at 2000 marks it unneeded, the tick at 2600 drains it.
        ReplayResult everyLoop = ReplayFixtures.run(s, FOUR_CPU, ca(600, 600, 0), 60);
        assertThat(everyLoop.nodeHours() * 3600).isCloseTo(2630 - 10, within(1e-6));
        // A time-out that ends between loops: the first loop at or after its end simulates the node
        // (55 s after 70, 130, ...: the loops at 130, 190, ... 1990, 2050), unneeded from 2050, gone at 2680.
        ReplayResult offGrid = ReplayFixtures.run(s, FOUR_CPU, ca(600, 600, 55), 60);
        assertThat(offGrid.nodeHours() * 3600).isCloseTo(2680 - 10, within(1e-6));
    }

    @Test
    void aLoopThatScalesUpAlsoScalesDown() {
        // A 1-CPU pod at 0 on the 4-CPU pool (least waste; requested at 10, ready at 70) leaves at
        // 80: its node is unneeded from the tick at 80 and due at 140. An 8-CPU pod at 135 fits only
        // the 16-CPU pool: the tick at 140 scales that up and, as CA's loop does since 1.34, goes on
        // to scale-down (no delay after add): it drains the empty node, gone at 170 (before 1.34, at
        // 180: the next loop's). 160 s of it plus 140..600 of the big node.
        // (Its removal failed at 70, its pod having nowhere else to go: rechecked every loop here,
        // where CA's default time-out would leave it out of the pass until 370.)
        List<Pool> pools = List.of(ReplayFixtures.pool(0, "four", 4000, 16 * GIB, 0.2), ReplayFixtures.pool(1, "sixteen", 16000, 64 * GIB, 0.8));
        PodStream s = ReplayFixtures.stream(600, List.of(new P(1000, GIB, 0, 80), new P(8000, GIB, 135, PodStream.STAYS)));
        ClusterAutoscaler ca = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 60, 0.5, 0, Expander.LEAST_WASTE, 0, 100, 10, 1, 0), 1);
        ReplayResult r = ReplayFixtures.run(s, pools, ca, 60);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.nodeHours() * 3600).isCloseTo(160 + 460, within(1e-6));
    }

    @Test
    void noScaleDownBeforeTheDelayAfterAdd() {
        // The node is requested at 10 (ready at 70); the pod leaves at 80: unneeded from the tick at
        // 80, eligible at 140, but the scale-up at 10 blocks scale-down until 610. (Rechecked every
        // loop: see below for CA's default.)
        PodStream s = ReplayFixtures.stream(2000, List.of(new P(1000, GIB, 0, 80)));
        ReplayResult blocked = ReplayFixtures.run(s, FOUR_CPU, ca(60, 600, 0), 60);
        assertThat(blocked.nodeHours() * 3600).isCloseTo(610 + 30 - 10, within(1e-6));
        ReplayResult free = ReplayFixtures.run(s, FOUR_CPU, ca(60, 0, 0), 60);
        assertThat(free.nodeHours() * 3600).isCloseTo(140 + 30 - 10, within(1e-6));
        // With CA's default recheck time-out the removal that failed at 70 (the pod had nowhere to
        // go) leaves the node out until 370: unneeded from then, due at 430, still blocked until
        // 610 in the first case; drained at 430 in the second.
        assertThat(ReplayFixtures.run(s, FOUR_CPU, ca(60, 600), 60).nodeHours() * 3600).isCloseTo(610 + 30 - 10, within(1e-6));
        assertThat(ReplayFixtures.run(s, FOUR_CPU, ca(60, 0), 60).nodeHours() * 3600).isCloseTo(430 + 30 - 10, within(1e-6));
    }

    @Test
    void anEmptyNodeIsSimulatedFirstAndGoesRatherThanTakingAnotherNodesPods() {
        // A 1-CPU pod and a 3.5-CPU one at 0 need two nodes (requested at 10, ready at 70); the big
        // one leaves at 100. From then one node is empty and the other, at 25 %, could move its pod
        // onto it. CA simulates empty candidates first: the empty node is unneeded from 100 (the
        // other's removal failed at 70, rechecked at 370 with the empty node already closed, and
        // fails again), deleted at 700, gone at 730, and no pod is evicted. In node order, with the small pod
        // on the first node, that node would have sent its pod to the empty one at 370 and gone instead.
        PodStream s = ReplayFixtures.stream(2000, List.of(new P(1000, GIB, 0, PodStream.STAYS), new P(3500, GIB, 0, 100)));
        for (long seed = 1; seed <= 4; seed++) {
            ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, new ClusterAutoscaler(
                    new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10), seed), 60);
            assertThat(r.scaleDowns()).as("seed %d", seed).isEqualTo(1);
            assertThat(r.evictions()).as("seed %d", seed).isZero();
            assertThat(r.nodeHours() * 3600).as("seed %d", seed).isCloseTo(2000 + 730 - 2 * 10, within(1e-6));
        }
    }

    @Test
    void aPassStopsAtTheUnneededLimitSoTheCandidatesAfterItAreNotFoundUnremovable() {
        // max-scale-down-parallelism 1: a pass stops once it has found the last pass's count + 2.
        // Three full 4-CPU nodes from 10 (P1, P2 alone; B and C together; the loop at 0 waits for
        // more pods) and X, from 110 (likewise), with Xp and Xq (75 %). At 1065 P1, P2 and Xq leave: two empty nodes and X at 25 %. The loop at
        // 1070 finds the two empty ones (simulated first) and stops there, so X, whose pod would
        // find no room yet (C leaves at 1075), is not left out for the 5-min recheck time-out. The
        // loop at 1080 (limit 4) finds X too, its pod going where C was. One deletion at a time,
        // 30 s each, empty nodes first: E1 at 1130 (gone 1160), E2 at 1160 (1190), X at 1190 (1220).
        // Had the 1070 pass simulated X, it would be rechecked only at 1370 and gone at 1460.
        PodStream s = ReplayFixtures.stream(2000, List.of(
                new P(4000, 4 * GIB, 0, 1065), new P(4000, 4 * GIB, 0, 1065),
                new P(2500, 10 * GIB, 0, PodStream.STAYS), new P(1500, 6 * GIB, 0, 1075),
                new P(1000, 5 * GIB, 100, PodStream.STAYS), new P(2000, 2 * GIB, 100, 1065)));
        ClusterAutoscaler ca = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 60, 0.5, 0, Expander.RANDOM, 0, 100, 1), 1);
        ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, ca, 60);
        assertThat(r.scaleUps()).isEqualTo(4);
        assertThat(r.scaleDowns()).isEqualTo(3);
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.nodeHours() * 3600).isCloseTo((1160 - 10) + (1190 - 10) + (2000 - 10) + (1220 - 110), within(1e-6));
    }

    @Test
    void busyNodeIsKeptWhenItsPodsCannotMove() {
        // One node (requested at 10) at 25 % CPU: under the threshold, but there is nowhere to move its pod.
        PodStream s = ReplayFixtures.stream(4000, List.of(new P(1000, GIB, 0, PodStream.STAYS)));
        ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, ca(600, 600), 60);
        assertThat(r.scaleDowns()).isZero();
        assertThat(r.nodeHours() * 3600).isCloseTo(4000 - 10, within(1e-6));
    }

    @Test
    void underusedNodeIsDrainedAndItsPodsMove() {
        // Eight 1-CPU pods fill two nodes; six leave at 1000. Two pods stay: on one node (the other is
        // empty and removed) or one on each (both under 50 %, one drained, its pod moved). Either way
        // exactly one node is removed and one is left.
        PodStream s = ReplayFixtures.stream(5000,
                concat(ReplayFixtures.same(2, 1000, GIB, 0, PodStream.STAYS), ReplayFixtures.same(6, 1000, GIB, 0, 1000)));
        ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, ca(600, 600), 60);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.timeline().get(r.timeline().size() - 1).nodes()).isEqualTo(1);
        assertThat(r.pendingAtEnd()).isZero();
    }

    @Test
    void maxNodesCapsTheScaleUpAndTheRestStaysPending() {
        ClusterAutoscaler capped = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 2, 10), 1);
        PodStream s = ReplayFixtures.stream(1000, ReplayFixtures.same(10, 1000, GIB, 0, PodStream.STAYS));
        ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, capped, 60);
        assertThat(r.scaleUps()).isEqualTo(2);
        assertThat(r.pendingAtEnd()).isEqualTo(2);
        assertThat(r.pendingMaxSeconds()).isEqualTo(1000);
        // No node on its way: all ten pods until the loop at 10 (the one at 0 waits for more), and
        // the two left out from when the nodes are ready (70) to the end.
        assertThat(r.pendingNoCapacitySeconds()).isEqualTo(10 * 10 + 2 * 930.0);
    }

    @Test
    void aNodeBeingDrainedCountsTowardsTheMaxUntilItIsGone() {
        // Max 2. Pods a (2 CPU, leaves at 1000) and c (1 CPU) at 0 share n1 (asked for at 10); b
        // (3 CPU) at 200 gets n2 (asked for at 210). From 1000 n1 holds c alone (25 %), which fits
        // beside b: unneeded, drained at 1060 (c evicted to n2), gone 30 s later at 1090. A 2-CPU
        // pod d at 1065 fits nowhere. CA's actuator calls DeleteNodes only once the drain is over, so
        // n1 counts in the group's target size until 1090: d's node is asked for at the loop at 1090
        // (ready at 1150), never a third node billed beside the draining one.
        ClusterAutoscaler capped = new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 60, 0.5, 0, Expander.RANDOM, 0, 2, 10), 1);
        PodStream s = ReplayFixtures.stream(1800, List.of(new P(2000, GIB, 0, 1000), new P(1000, GIB, 0, PodStream.STAYS),
                new P(3000, GIB, 200, PodStream.STAYS), new P(2000, GIB, 1065, PodStream.STAYS)));
        ReplayResult r = ReplayFixtures.run(s, FOUR_CPU, capped, 60);
        assertThat(r.scaleDowns()).isEqualTo(1);
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.scaleUps()).isEqualTo(3);
        assertThat(r.peakNodes()).isEqualTo(2);
        assertThat(r.pendingMaxSeconds()).isEqualTo(1150 - 1065);
        assertThat(r.nodeHours() * 3600).isCloseTo((1090 - 10) + (1800 - 210) + (1800 - 1090), within(1e-6));
    }

    @Test
    void leastWasteAndPriceExpandersPickTheExpectedGroup() {
        // Two 1-CPU/1-GiB pods: a 2-CPU/2-GiB group wastes nothing, an 8-CPU/32-GiB group wastes most;
        // the price expander takes the cheaper group.
        List<Pool> pools = List.of(ReplayFixtures.pool(0, "big", 8000, 32 * GIB, 0.10), ReplayFixtures.pool(1, "small", 2000, 2 * GIB, 0.30));
        PodStream s = ReplayFixtures.stream(600, ReplayFixtures.same(2, 1000, GIB, 0, PodStream.STAYS));
        ReplayResult waste = ReplayFixtures.run(s, pools, new ClusterAutoscaler(
                new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.LEAST_WASTE, 0, 10, 10), 1), 60);
        assertThat(waste.nodeHoursByShape()).containsOnlyKeys("small");
        ReplayResult price = ReplayFixtures.run(s, pools, new ClusterAutoscaler(
                new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.PRICE, 0, 10, 10), 1), 60);
        assertThat(price.nodeHoursByShape()).containsOnlyKeys("big");
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    /**
     * A pod that no new node can help (its required pod affinity names pods that run nowhere, and
     * it does not match its own terms) makes every pool's estimate zero nodes, which is no
     * expansion option (the orchestrator's "No pod can fit" for NodeCount 0), so no scale-up: the
     * node that web leaves empty at 1000 s goes when it would without that pod. It counted as a
     * scale-up in every loop, restarting --scale-down-delay-after-add, so the node stayed to the
     * end, and skipping the idle loops (the default) gave other times than running every loop.
     */
    @Test
    void aPodNoNewNodeCanHelpTriggersNoScaleUpAndDelaysNoScaleDown() {
        ReplayResult alone = withOrphan(false, false);
        assertThat(alone.scaleDowns()).isEqualTo(1);
        for (boolean dense : new boolean[]{false, true}) {
            ReplayResult r = withOrphan(true, dense);
            assertThat(r.scaleUps()).as("dense %s", dense).isEqualTo(1);
            assertThat(r.scaleDowns()).as("dense %s", dense).isEqualTo(1);
            assertThat(r.pendingAtEnd()).isEqualTo(1);
            assertThat(r.nodeHours()).as("dense %s", dense).isEqualTo(alone.nodeHours());
        }
    }

    /** web (1 CPU) from 0 to 1000 s and, with {@code orphan}, a pod from 100 s whose required affinity's target never runs. */
    private static ReplayResult withOrphan(boolean orphan, boolean dense) {
        io.nodesizer.model.PodGroup web = io.nodesizer.testkit.Fixtures.app("web", 1000, 1, List.of(), List.of());
        io.nodesizer.model.PodGroup lonely = io.nodesizer.testkit.Fixtures.app("orphan", 1000, 1, List.of(),
                List.of(io.nodesizer.testkit.Fixtures.selectsApp("missing")));
        PodStream.Builder b = new PodStream.Builder(io.nodesizer.engine.DemandTable.of(io.nodesizer.model.Workload.of(List.of(web, lonely))),
                io.nodesizer.replay.demand.TimePoints.DEFAULT_ORIGIN, 3600);
        b.add(0, 0, 0, 1000);
        if (orphan) {
            b.add(1, 0, 100, PodStream.STAYS);
        }
        Replay.Settings st = Replay.Settings.defaults(ProvisionDelay.fixed(60), 1).cold();
        return Replay.run(b.build(), FOUR_CPU, ca(600, 600), dense ? st.dense() : st);
    }
}

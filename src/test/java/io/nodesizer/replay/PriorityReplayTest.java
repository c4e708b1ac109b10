package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Workload;
import io.nodesizer.replay.autoscale.ClusterAutoscaler;
import io.nodesizer.replay.autoscale.Expander;
import io.nodesizer.replay.autoscale.FixedCount;
import io.nodesizer.replay.demand.TimePoints;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The replay's scheduling queue in kube-scheduler's PrioritySort order: the higher priority first, then the earlier. */
final class PriorityReplayTest {
    private static final long GIB = ReplayFixtures.GIB;

    /**
     * One 4-CPU node, full with {@code first} (priority 1000: nothing preempts it) until t = 100. {@code low} (priority {@code lowPriority})
     * arrives at 10 and {@code high} (1000) at 20, both 4 CPU and staying: both wait. When the node
     * frees, the retry places one of them; the other is pending at the end.
     */
    private static ReplayResult run(int lowPriority) {
        List<PodGroup> groups = List.of(Fixtures.group("first", 4000, GIB, 1).withPriority(1000),
                Fixtures.group("low", 4000, GIB, 1).withPriority(lowPriority),
                Fixtures.group("high", 4000, GIB, 1).withPriority(1000));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 300);
        b.add(0, 0, 0, 100);
        b.add(1, 0, 10, PodStream.STAYS);
        b.add(2, 0, 20, PodStream.STAYS);
        return Replay.run(b.build(), List.of(ReplayFixtures.pool(0, "n", 4000, 16 * GIB, 1.0)), new FixedCount(1),
                Replay.Settings.defaults(ProvisionDelay.fixed(0), 1));
    }

    @Test
    void aHigherPriorityPodArrivingLaterIsPlacedFirstWhenRoomFrees() {
        ReplayResult r = run(0);
        assertThat(r.pendingAtEnd()).isEqualTo(1);
        assertThat(String.join(" ", r.pendingAtEndReasons().keySet())).contains("low").doesNotContain("high");
        // low waits from 10 to the end (290 s), high from 20 to 100 (80 s).
        assertThat(r.pendingPodSeconds()).isEqualTo(290 + 80);
    }

    /** Pods of equal priority keep the queue order: the earlier one, low, gets the room. */
    @Test
    void podsOfEqualPriorityKeepTheQueueOrder() {
        ReplayResult r = run(1000);
        assertThat(String.join(" ", r.pendingAtEndReasons().keySet())).contains("high").doesNotContain("low");
        assertThat(r.pendingPodSeconds()).isEqualTo(90 + 280);
    }

    private static ClusterAutoscaler ca(int cutoff) {
        return new ClusterAutoscaler(new ClusterAutoscaler.Settings(10, 600, 0.5, 600, Expander.RANDOM, 0, 100, 10, 1, 300, 0, 0, cutoff), 1);
    }

    /**
     * Cluster Autoscaler's over-provisioning on 4-CPU nodes, cold start, provisioning 60 s: web (3 CPU)
     * and batch (4 CPU, leaves at 1 h) arrive at 0 with two 1.5-CPU placeholders at priority -20.
     * Under CA's default cutoff (-10) the placeholders are expendable: CA adds nodes for web and batch
     * alone (2), the placeholders wait until batch leaves and take its node (3 of 4 CPU), which CA
     * then sees as empty and deletes after the unneeded time, so the run ends on 1 node with the
     * placeholders pending. With the cutoff at -100 they are pods like any other: a third node at 0
     * holds them, and only batch's emptied node goes: 2 nodes at the end, none pending.
     */
    @Test
    void clusterAutoscalerNeitherScalesUpForNorKeepsANodeForExpendablePods() {
        List<PodGroup> groups = List.of(Fixtures.group("web", 3000, GIB, 1), Fixtures.group("batch", 4000, GIB, 1),
                Fixtures.group("pause", 1500, GIB, 2).withPriority(-20));
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, 3 * 3600);
        b.add(0, 0, 0, PodStream.STAYS);
        b.add(1, 0, 0, 3600);
        b.add(2, 0, 0, PodStream.STAYS);
        b.add(2, 1, 0, PodStream.STAYS);
        PodStream stream = b.build();
        List<Pool> pools = List.of(ReplayFixtures.pool(0, "n", 4000, 16 * GIB, 1.0));
        ReplayResult expendable = ReplayFixtures.run(stream, pools, ca(-10), 60);
        ReplayResult counted = ReplayFixtures.run(stream, pools, ca(-100), 60);
        assertThat(expendable.peakNodes()).isEqualTo(2);
        assertThat(expendable.scaleDowns()).isEqualTo(1);
        assertThat(expendable.pendingAtEnd()).isEqualTo(2);
        assertThat(expendable.timeline().get(expendable.timeline().size() - 1).nodes()).isEqualTo(1);
        assertThat(expendable.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("pause:")
                .endsWith("; its priority (-20) is below --expendable-pods-priority-cutoff (-10): Cluster Autoscaler adds no node for it");
        assertThat(counted.peakNodes()).isEqualTo(3);
        assertThat(counted.pendingAtEnd()).isZero();
        assertThat(counted.scaleDowns()).isEqualTo(1);
        assertThat(counted.timeline().get(counted.timeline().size() - 1).nodes()).isEqualTo(2);
    }

    private static ReplayResult fixed(int nodes, long horizon, List<PodGroup> groups, long[][] arrivals) {
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, horizon);
        int[] serial = new int[groups.size()];
        for (long[] a : arrivals) {
            b.add((int) a[0], serial[(int) a[0]]++, a[1], a[2]);
        }
        return Replay.run(b.build(), List.of(ReplayFixtures.pool(0, "n", 4000, 16 * GIB, 1.0)), new FixedCount(nodes),
                Replay.Settings.defaults(ProvisionDelay.fixed(0), 1));
    }

    /**
     * One 4-CPU node full at 0 with filler (2 CPU, priority 2000), low-b (1 CPU, 500) and low-a (1 CPU,
     * 0). high (1 CPU, 1000) arrives at 10 and fits nowhere: both low pods are below it, and removing
     * them leaves 2 CPU; low-b, the more important, is reprieved (1 CPU still free for high), low-a
     * is the one victim: evicted, Pending to the end.
     */
    @Test
    void aPodThatFitsNowherePreemptsTheFewestOfTheLeastImportantPods() {
        List<PodGroup> groups = List.of(Fixtures.group("filler", 2000, GIB, 1).withPriority(2000),
                Fixtures.group("low-b", 1000, GIB, 1).withPriority(500), Fixtures.group("low-a", 1000, GIB, 1),
                Fixtures.group("high", 1000, GIB, 1).withPriority(1000));
        ReplayResult r = fixed(1, 300, groups, new long[][]{{0, 0, PodStream.STAYS}, {1, 0, PodStream.STAYS}, {2, 0, PodStream.STAYS},
                {3, 10, PodStream.STAYS}});
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.pendingAtEnd()).isEqualTo(1);
        assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("low-a:");
    }

    /**
     * Two 4-CPU nodes, a (3 CPU, priority 100) and b (3 CPU, 0) one on each (LeastAllocated spreads
     * them). high (3 CPU, 1000) fits neither; either node's one pod would do as victim, and the node
     * whose victim has the lower priority is chosen: b goes, a stays.
     */
    @Test
    void preemptionChoosesTheNodeWhoseVictimsHaveTheLowestPriority() {
        List<PodGroup> groups = List.of(Fixtures.group("a", 3000, GIB, 1).withPriority(100), Fixtures.group("b", 3000, GIB, 1),
                Fixtures.group("high", 3000, GIB, 1).withPriority(1000));
        ReplayResult r = fixed(2, 300, groups, new long[][]{{0, 0, PodStream.STAYS}, {1, 0, PodStream.STAYS}, {2, 10, PodStream.STAYS}});
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("b:");
    }

    /**
     * As {@link #preemptionChoosesTheNodeWhoseVictimsHaveTheLowestPriority}, but high's pods have
     * {@code preemptionPolicy: Never} (kube-scheduler's PodEligibleToPreemptOthers refuses them): no
     * eviction, high waits.
     */
    @Test
    void aPodWithPreemptionPolicyNeverWaitsInsteadOfPreempting() {
        PodGroup high = Fixtures.group("high", 3000, GIB, 1).withPriority(1000);
        high = high.withTemplate(new io.nodesizer.model.PodTemplate(List.of(new io.nodesizer.model.PodTemplate.Container("c",
                io.nodesizer.model.PodTemplate.Role.APP, high.request(), io.nodesizer.model.Resources.ZERO, true, true)),
                io.nodesizer.model.Resources.ZERO, null, "", null, null, io.nodesizer.model.PodTemplate.NEVER));
        assertThat(high.preempts()).isFalse();
        List<PodGroup> groups = List.of(Fixtures.group("a", 3000, GIB, 1).withPriority(100), Fixtures.group("b", 3000, GIB, 1), high);
        ReplayResult r = fixed(2, 300, groups, new long[][]{{0, 0, PodStream.STAYS}, {1, 0, PodStream.STAYS}, {2, 10, PodStream.STAYS}});
        assertThat(r.evictions()).isZero();
        assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("high:");
    }

    /**
     * Among victims of equal priority the earlier started is the more important (kube-scheduler's
     * MoreImportantPod: higher priority, then the earlier start time) and is reprieved first: on one
     * 4-CPU node, filler (2 CPU, 2000) and old (1 CPU, 0) at 0, young (1 CPU, 0) at 5; high (1 CPU,
     * 1000) at 10 needs one of old and young off, and young, the later, is the victim.
     */
    @Test
    void amongEqualPriorityVictimsTheLaterStartedIsEvicted() {
        List<PodGroup> groups = List.of(Fixtures.group("filler", 2000, GIB, 1).withPriority(2000), Fixtures.group("old", 1000, GIB, 1),
                Fixtures.group("young", 1000, GIB, 1), Fixtures.group("high", 1000, GIB, 1).withPriority(1000));
        ReplayResult r = fixed(1, 300, groups, new long[][]{{0, 0, PodStream.STAYS}, {1, 0, PodStream.STAYS}, {2, 5, PodStream.STAYS},
                {3, 10, PodStream.STAYS}});
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("young:");
    }

    /** Pods of one priority never preempt one another: the later one waits. */
    @Test
    void podsOfEqualPriorityDoNotPreempt() {
        List<PodGroup> groups = List.of(Fixtures.group("a", 3000, GIB, 1).withPriority(100),
                Fixtures.group("b", 3000, GIB, 1).withPriority(100));
        ReplayResult r = fixed(1, 300, groups, new long[][]{{0, 0, PodStream.STAYS}, {1, 10, PodStream.STAYS}});
        assertThat(r.evictions()).isZero();
        assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("b:");
    }

    /**
     * A waiting pod tries to preempt again when a pod leaves (kube-scheduler's queueing hints move it
     * back to the queue on a scheduled pod's deletion, and the failed cycle runs preemption). One
     * 4-CPU node: filler (1 CPU, 2000), low1 (1 CPU, 0) and x (1 CPU, 2000) at 0. high (3 CPU, 1000)
     * arrives at 10: without low1 only 2 CPU are free, so it waits. x leaves at 50: 2 CPU free and
     * low1's makes 3; low1 is the victim at once, not at the 5-minute flush.
     */
    @Test
    void aWaitingPodPreemptsWhenAPodLeaves() {
        List<PodGroup> groups = List.of(Fixtures.group("filler", 1000, GIB, 1).withPriority(2000), Fixtures.group("low1", 1000, GIB, 1),
                Fixtures.group("x", 1000, GIB, 1).withPriority(2000), Fixtures.group("high", 3000, GIB, 1).withPriority(1000));
        ReplayResult r = fixed(1, 600, groups, new long[][]{{0, 0, PodStream.STAYS}, {1, 0, PodStream.STAYS}, {2, 0, 50},
                {3, 10, PodStream.STAYS}});
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("low1:");
        // high waited 40 s; low1 from 50 to the end (at the flush, 310 s, high would have waited longest).
        assertThat(r.pendingPodSeconds()).isEqualTo(40 + 550);
        assertThat(r.pendingMaxSeconds()).isEqualTo(550);
    }

    /**
     * A pod moved back by an event waits out its backoff first: 1 s after its first failed try,
     * doubling with each (podInitialBackoffDuration, podMaxBackoffDuration 10 s). One 4-CPU node: a
     * (1 CPU, 2000), l1 (1 CPU, 0, leaves at 100), y and x (1 CPU each, 2000, leave at 11 and 12).
     * high (3 CPU, 1000) fails at 10 and, after y leaves, at 11 (2 CPU with l1's); x leaves at 12,
     * but high's backoff after two failures is 2 s: it evicts l1 at 13, and l1 waits 87 s.
     */
    @Test
    void aWaitingPodTriesAgainAfterItsBackoff() {
        List<PodGroup> groups = List.of(Fixtures.group("a", 1000, GIB, 1).withPriority(2000), Fixtures.group("l1", 1000, GIB, 1),
                Fixtures.group("y", 1000, GIB, 1).withPriority(2000), Fixtures.group("x", 1000, GIB, 1).withPriority(2000),
                Fixtures.group("high", 3000, GIB, 1).withPriority(1000));
        ReplayResult r = fixed(1, 600, groups, new long[][]{{0, 0, PodStream.STAYS}, {1, 0, 100}, {2, 0, 11}, {3, 0, 12},
                {4, 10, PodStream.STAYS}});
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.pendingMaxSeconds()).isEqualTo(87);
        assertThat(r.pendingPodSeconds()).isEqualTo(3 + 87);
    }

    /**
     * A pod that waits with nothing happening is flushed back to the queue 5 min after it failed
     * (podMaxInUnschedulablePodsDuration) and tries again, which counts for its backoff. One 4-CPU
     * node: a (1 CPU, 2000), l1 (1 CPU, 0, leaves at 400), x (1 CPU, 2000, leaves at 311). high (3 CPU,
     * 1000) fails at 10 and at its flush at 310; x leaves at 311, and high, 2 s of backoff after two
     * failures, evicts l1 at 312: it waited 302 s.
     */
    @Test
    void aWaitingPodIsFlushedBackToTheQueueAfterFiveMinutes() {
        List<PodGroup> groups = List.of(Fixtures.group("a", 1000, GIB, 1).withPriority(2000), Fixtures.group("l1", 1000, GIB, 1),
                Fixtures.group("x", 1000, GIB, 1).withPriority(2000), Fixtures.group("high", 3000, GIB, 1).withPriority(1000));
        ReplayResult r = fixed(1, 600, groups, new long[][]{{0, 0, PodStream.STAYS}, {1, 0, 400}, {2, 0, 311}, {3, 10, PodStream.STAYS}});
        assertThat(r.evictions()).isEqualTo(1);
        assertThat(r.pendingMaxSeconds()).isEqualTo(302);
        assertThat(r.pendingPodSeconds()).isEqualTo(302 + 88);
    }

    /**
     * A pod that preempts from the queue leaves its group's pending list. One 4-CPU node: a (1 CPU,
     * 2000), l1 (1 CPU, 0), y1, y2 (0.5 CPU, 2000, leave at 11 and 13) and y3 (1 CPU, 2000, leaves at
     * 15). web-0 (3 CPU, 1000) fails at 10, 11 and 13 (its backoff then 4 s); web-1 arrives at 14 and
     * fails; at 15 y3 leaves and web-1, out of its backoff, evicts l1 while web-0, the head of their
     * group, waits. top (3 CPU, 3000) evicts web-1 at 400 and leaves at 500: web-0 runs from 500,
     * web-1 once web-0 leaves at 600. web-1 used to stay in the list behind web-0, so that pending
     * again it was linked to itself, and the retry at 600 never ended.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aPodThatPreemptedBehindAnotherOfItsGroupCanBeEvictedAndPlacedAgain() {
        List<PodGroup> groups = List.of(Fixtures.group("a", 1000, GIB, 1).withPriority(2000), Fixtures.group("l1", 1000, GIB, 1),
                Fixtures.group("y", 500, GIB, 2).withPriority(2000), Fixtures.group("y3", 1000, GIB, 1).withPriority(2000),
                Fixtures.group("web", 3000, GIB, 2).withPriority(1000), Fixtures.group("top", 3000, GIB, 1).withPriority(3000));
        ReplayResult r = fixed(1, 900, groups, new long[][]{{0, 0, PodStream.STAYS}, {1, 0, PodStream.STAYS}, {2, 0, 11}, {2, 0, 13},
                {3, 0, 15}, {4, 10, 600}, {4, 14, PodStream.STAYS}, {5, 400, 500}});
        assertThat(r.evictions()).isEqualTo(2);
        assertThat(r.pendingAtEndReasons().keySet()).singleElement().asString().startsWith("l1:");
        // web-0 10..500, web-1 14..15 and 400..600, l1 from 15 to the end.
        assertThat(r.pendingPodSeconds()).isEqualTo(490 + 1 + 200 + 885);
    }

    /**
     * A backlog of 40,000 pods that may preempt and fit nowhere on one node, woken every few seconds by
     * short-lived pods leaving: the pods that failed at one instant come due together, thousands at a
     * time. Picking each of them by a scan of the others made every such instant quadratic (over 20 s
     * here), as did a heap of every failed try's flush; now a few seconds.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void aLargeBacklogOfWaitingPreemptorsRetriesWithoutQuadraticCost() {
        List<PodGroup> groups = List.of(Fixtures.group("short", 500, GIB, 1).withPriority(0),
                Fixtures.group("big", 2000, GIB, 1).withPriority(1000), Fixtures.group("bigger", 2000, GIB, 1).withPriority(2000),
                Fixtures.group("filler", 3000, GIB, 1).withPriority(3000));
        long horizon = 600;
        PodStream.Builder b = new PodStream.Builder(DemandTable.of(Workload.of(groups)), TimePoints.DEFAULT_ORIGIN, horizon);
        b.add(3, 0, 0, PodStream.STAYS); // 3 of the node's 4 CPU, above every other pod
        int n = 40_000;
        for (int i = 0; i < n; i++) {
            b.add(1 + i % 2, i, 1 + i % 60, PodStream.STAYS); // 2 CPU: fit beside the filler only by evicting it, which they may not
        }
        for (int t = 0; t < horizon; t += 3) {
            b.add(0, t, t + 1, t + 2); // a scheduled pod deleted every 3 s: the waiting pods are moved back to the queue
        }
        ReplayResult r = Replay.run(b.build(), List.of(ReplayFixtures.pool(0, "n", 4000, 16 * GIB, 1.0)), new FixedCount(1),
                Replay.Settings.defaults(ProvisionDelay.fixed(0), 1));
        assertThat(r.pendingAtEnd()).isEqualTo(n);
        assertThat(r.evictions()).isZero();
    }
}

package io.nodesizer.replay;

import io.nodesizer.engine.HostnameFloors;
import io.nodesizer.engine.DemandTable;

/**
 * What every replay event and autoscaler action does to the cluster, and what follows from it: a
 * node that becomes ready or a pod that leaves frees capacity, so the pending pods get another
 * chance at the end of the instant; a drained node's pods are evicted back to the scheduler. It
 * keeps the clock, the version the autoscalers watch for changes, and the {@link ReplayMetrics}.
 */
final class ClusterEvents {
    private static final int D = DemandTable.D;

    private final PodStream stream;
    private final boolean[] schedulableGroup;
    private final Nodes nodes;
    private final Pods pods;
    private final PendingQueue pending;
    private final Scheduler scheduler;
    /** The zone rules, or null. */
    private final TopologyRules spread;
    final ReplayMetrics metrics = new ReplayMetrics();
    /** The pods a drain evicts, grown as needed. */
    private final int[][] evicted = {new int[16]};

    /** kube-scheduler's preemption for a pod that fits nowhere; null when pods do not differ in priority. */
    private final Preemption preemption;
    private long now;
    private long version;
    /** Capacity may have appeared since the last retry of the pending pods. */
    private boolean retryWanted;
    /**
     * Pods evicted (by a drain or a preemption) and not yet tried for preemption: their controllers
     * create new pods, which kube-scheduler schedules and, failing that, preempts for; only with preemption.
     */
    private int[] recreated = new int[16];
    private int recreatedCount;
    /**
     * kube-scheduler's {@code podMaxInUnschedulablePodsDuration}: a pod that failed to schedule and
     * to preempt is flushed back to the queue after this long, and tries both again.
     */
    static final long UNSCHEDULABLE_FLUSH_SECONDS = 300;
    /** Pods that may preempt and failed to, with when they are flushed back (pairs: pod, time), in time order. */
    private final java.util.ArrayDeque<long[]> flushes = new java.util.ArrayDeque<>();
    private final EventQueue queue;
    /** The time of the last flush event put in the queue (one per distinct time). */
    private long lastFlushEvent = Long.MIN_VALUE;

    /** @param schedulableGroup per group, whether its pod fits an empty node of some pool */
    ClusterEvents(PodStream stream, boolean[] schedulableGroup, Nodes nodes, Pods pods, PendingQueue pending, Scheduler scheduler,
                  TopologyRules spread, Preemption preemption, EventQueue queue) {
        this.preemption = preemption;
        this.queue = queue;
        this.stream = stream;
        this.spread = spread;
        this.schedulableGroup = schedulableGroup;
        this.nodes = nodes;
        this.pods = pods;
        this.pending = pending;
        this.scheduler = scheduler;
    }

    long now() {
        return now;
    }

    /** Increases on every change the autoscaler could react to. */
    long version() {
        return version;
    }

    // ---------------------------------------------------------------- autoscaler actions

    /** A node of {@code pool} in {@code zone} (-1: balanced) requested now: a scale-up, or part of the starting cluster while warm. */
    int requestNode(int pool, int zone) {
        int node = nodes.request(pool, zone, now);
        version++;
        if (nodes.warm(now)) {
            metrics.countInitialNode();
        } else {
            metrics.countScaleUp();
        }
        return node;
    }

    /** A node that exists and is ready when the run starts (a fixed cluster); not a scale-up. */
    int addInitialNode(int pool) {
        metrics.countInitialNode();
        int node = nodes.addReady(pool, now);
        version++; // the new node; readied counts it becoming ready
        readied(node);
        return node;
    }

    /** Cordons and drains {@code node}; its pods are evicted and go back to the scheduler at once. */
    void drain(int node) {
        byte s = nodes.state[node];
        if (s == Cluster.DRAINING || s == Cluster.REMOVED) {
            return;
        }
        metrics.countScaleDown();
        version++;
        nodes.drain(node, now);
        if (s == Cluster.PROVISIONING) {
            return;
        }
        // With pods bound to zones, their targets and then they are evicted first, so that they are
        // first in the scheduler's queue (Pods#inEvictionOrder; the autoscalers' what-if moves place
        // them in the same order, see Headroom).
        int n = pods.inEvictionOrder(node, evicted);
        for (int i = 0; i < n; i++) {
            int p = evicted[0][i];
            unplace(p);
            metrics.countEviction();
            makePending(p);
            pending.uncheck(p);
            noteRecreated(p);
        }
        if (spread != null) {
            // The node's zone may stop being a domain: a spread's fewest can rise, letting pending
            // pods into zones they were kept out of without any capacity being freed.
            pending.uncheckGroups(spread);
        }
        floorsRose();
        retryWanted = true;
    }

    /** Whether a hostname spread's fewest rose; if so the pending pods it checks get another look at the next retry. */
    private boolean floorsRose() {
        HostnameFloors floors = pods.floors();
        if (floors == null || !floors.takeRose()) {
            return false;
        }
        pending.uncheckFloored(floors);
        return true;
    }

    // ---------------------------------------------------------------- events

    void advanceTo(long t) {
        if (t <= now) {
            return;
        }
        metrics.integrate(t - now, pending.count(), nodes);
        now = t;
    }

    void onNodeRequested(int node) {
        nodes.onRequested(node, now);
    }

    void onNodeReady(int node) {
        if (nodes.state[node] == Cluster.PROVISIONING) {
            nodes.ready(node, now);
            readied(node);
        }
    }

    void onNodeRemoved(int node) {
        if (nodes.state[node] == Cluster.DRAINING) {
            nodes.remove(node, now);
            version++;
        }
    }

    void onPodArrives(int pod) {
        if (pods.state(pod) == Cluster.POD_GONE) {
            return; // left at the instant it arrived
        }
        metrics.countArrival();
        if (!schedulableGroup[stream.group(pod)]) {
            pods.setState(pod, Cluster.POD_UNSCHEDULABLE);
            return;
        }
        if (retryWanted) {
            retryPending();
        }
        int node = scheduler.chooseNode(pod);
        if (node >= 0) {
            place(pod, node);
        } else if (preemption == null || !preempt(pod, false)) {
            makePending(pod);
            flushLater(pod);
        }
    }

    /** A pod that may preempt failed to: kube-scheduler flushes it back to its queue after {@link #UNSCHEDULABLE_FLUSH_SECONDS}. */
    private void flushLater(int pod) {
        if (preemption == null || !preemption.mayPreempt(pod)) {
            return;
        }
        long at = now + UNSCHEDULABLE_FLUSH_SECONDS;
        flushes.add(new long[]{pod, at});
        if (at != lastFlushEvent) {
            queue.add(new Event.UnschedulableFlush(at));
            lastFlushEvent = at;
        }
    }

    /**
     * The pods due to be flushed back now try to preempt again (those still pending), as the
     * evicted pods do: after the retry, in PrioritySort order ({@link #preemptForOneRecreated}).
     */
    void onUnschedulableFlush() {
        while (!flushes.isEmpty() && flushes.peekFirst()[1] <= now) {
            int pod = (int) flushes.pollFirst()[0];
            if (pods.state(pod) == Cluster.POD_PENDING) {
                addRecreated(pod);
            }
        }
    }

    /**
     * {@code pod} fits no ready node: evicts the pods of lower priority {@link Preemption} chooses on
     * one node, back to the queue, and places it there; false when no preemption makes room.
     */
    private boolean preempt(int pod, boolean wasPending) {
        int node = preemption.choose(pod);
        if (node < 0) {
            return false;
        }
        for (int i = 0; i < preemption.victimCount(); i++) {
            int v = preemption.victim(i);
            unplace(v);
            metrics.countEviction();
            makePending(v);
            pending.uncheck(v);
            noteRecreated(v);
        }
        // Upstream nominates the node and its next cycle tries the nominated node first (its filters alone).
        if (!scheduler.fits(node, pod)) {
            throw new IllegalStateException("pod " + pod + " preempted pods on node " + node + " but does not fit there");
        }
        if (wasPending) {
            pending.placedOutOfTurn(pod, now); // out of its group's list too: it may be evicted and pending again
        }
        place(pod, node);
        retryWanted = true; // the victims may fit elsewhere
        return true;
    }

    /** Binds {@code pod} to {@code node} outside the pending retry; the pods waiting for a pod like it get another look. */
    private void place(int pod, int node) {
        pods.place(pod, node, now);
        version++;
        if (pods.coLocation != null && pods.coLocation.isTarget(stream.group(pod))) {
            pending.uncheckCoLocated(pods.coLocation); // pods waiting for a pod like it may now go beside it
            retryWanted = true;
        }
        if (spread != null && spread.isTarget(stream.group(pod))) {
            pending.uncheckZoneRuled(spread); // pods waiting for a pod like it in their zone may now go there
            retryWanted = true;
        }
        if (floorsRose()) {
            retryWanted = true; // a spread's fewest rose: pods it kept out may go beside its other pods now
        }
    }

    void onPodLeaves(int pod) {
        switch (pods.state(pod)) {
            case Cluster.POD_RUNNING -> {
                unplace(pod);
                retryWanted = true;
            }
            case Cluster.POD_PENDING -> {
                pending.leave(pod, now);
                version++;
            }
            case Cluster.POD_NOT_ARRIVED -> metrics.countArrival(); // arrives and leaves at one instant: counted, never scheduled
            default -> {
                // unschedulable pods just leave
            }
        }
        metrics.countLeave();
        pods.setState(pod, Cluster.POD_GONE);
    }

    /** After all events of an instant: pending pods get another chance if capacity appeared. */
    void endOfInstant() {
        do {
            if (retryWanted) {
                retryPending();
            }
        } while (recreatedCount > 0 && preemptForOneRecreated());
        metrics.endOfInstant(nodes.billed);
    }

    /** Remembers that {@code pod} was evicted: its replacement may preempt ({@link #preemptForOneRecreated}). */
    private void noteRecreated(int pod) {
        if (preemption != null) {
            addRecreated(pod);
        }
    }

    private void addRecreated(int pod) {
        if (recreatedCount == recreated.length) {
            recreated = java.util.Arrays.copyOf(recreated, recreatedCount * 2);
        }
        recreated[recreatedCount++] = pod;
    }

    /**
     * After a retry, the evicted pods still pending fit no ready node: in PrioritySort order (the
     * higher priority, then the earlier evicted) each is tried for preemption and taken off the list,
     * until one preempts; returns whether one did (its victims and any room they leave then get a
     * retry first, as the scheduler's queue would offer them before the next pod).
     */
    private boolean preemptForOneRecreated() {
        while (recreatedCount > 0) {
            int at = 0;
            for (int i = 1; i < recreatedCount; i++) {
                if (preemption.priority(recreated[i]) > preemption.priority(recreated[at])) {
                    at = i;
                }
            }
            int pod = recreated[at];
            System.arraycopy(recreated, at + 1, recreated, at, recreatedCount - at - 1);
            recreatedCount--;
            if (pods.state(pod) == Cluster.POD_PENDING) {
                if (preempt(pod, true)) {
                    return true;
                }
                flushLater(pod);
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- what follows

    /** {@code node} just became ready: its capacity is new to the pending pods. */
    private void readied(int node) {
        pending.noteFreed(nodes.free, node * D);
        retryWanted = true;
        version++;
    }

    private void unplace(int pod) {
        int node = pods.unplace(pod, now);
        if (spread != null && spread.unblocks(stream.group(pod))) {
            // Its zone may now take pods it repelled, though the capacity freed is elsewhere.
            pending.uncheckZoneRuled(spread);
        }
        if (nodes.state[node] == Cluster.READY) {
            pending.noteFreed(nodes.free, node * D);
        }
        version++;
    }

    private void makePending(int pod) {
        pods.setState(pod, Cluster.POD_PENDING);
        pending.add(pod, now);
        version++;
    }

    private void retryPending() {
        do {
            retryWanted = false;
            version += pending.retry(nodes.readyCount > 0, now); // one change per pod placed
            // A target of required pod affinity started: the pods waiting for it get another look.
            // Each round placed a pod, so this ends.
            if (pending.takeCoTargetPlaced()) {
                pending.uncheckCoLocated(pods.coLocation);
                retryWanted = true;
            }
            if (pending.takeDomainTargetPlaced()) {
                pending.uncheckZoneRuled(spread); // on the zone or another key, as above
                retryWanted = true;
            }
            if (floorsRose()) {
                retryWanted = true; // a hostname spread's fewest rose with the pods placed, as above
            }
        } while (retryWanted);
    }
}

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
    /** What {@link ReplayResult.BudgetedDrains#refusals} names a do-not-disrupt pod's refusals by. */
    static final String DO_NOT_DISRUPT = ReplayResult.BudgetedDrains.DO_NOT_DISRUPT;
    /** The drains whose pods PodDisruptionBudgets keep on their nodes for now. */
    private final HeldDrains held = new HeldDrains();
    /**
     * Per pool the DaemonSets on its nodes whose pods a drain that holds do-not-disrupt pods waits for (Karpenter's: they
     * are never evicted), so that such a drain lasts until its time-out whatever the workload's pods do.
     */
    private int[] daemonSetHolds = new int[0];

    void daemonSetHolds(int[] perPool) {
        this.daemonSetHolds = perPool;
    }

    /** How many DaemonSet pods on {@code node} the drain under {@code retry} waits for (0 for every drain but Karpenter's). */
    private int daemonSetsHolding(int node, EvictionRetry retry) {
        int pool = nodes.pool[node];
        return retry != null && retry.holdsDoNotDisrupt() && pool < daemonSetHolds.length ? daemonSetHolds[pool] : 0;
    }

    /** kube-scheduler's preemption for a pod that fits nowhere; null when pods do not differ in priority. */
    private final Preemption preemption;
    private long now;
    private long version;
    /** Capacity may have appeared since the last retry of the pending pods. */
    private boolean retryWanted;
    /**
     * Pending pods due to try preemption after this instant's retry: evicted pods (a drain, a
     * preemption: their controllers create new pods, which kube-scheduler schedules and, failing
     * that, preempts for), pods a cluster event moved back to the queue, pods flushed back; only
     * with preemption. {@link #listed} keeps a pod in it once. A heap of {pod, priority, queue
     * order at listing} in PrioritySort order: a pod that went pending again while listed has a
     * later order now, and is put back under it when it comes up (orders only grow). Thousands of
     * pods come due together (those that failed at one instant retry at one instant): picking each
     * by a scan of the rest made every such instant quadratic.
     */
    private final java.util.PriorityQueue<long[]> toPreempt = new java.util.PriorityQueue<>((x, y) -> x[1] != y[1]
            ? Long.compare(y[1], x[1]) : Long.compare(x[2], y[2]));
    /**
     * kube-scheduler's {@code podMaxInUnschedulablePodsDuration}: a pod that failed to schedule and
     * to preempt is flushed back to the queue after this long, and tries both again.
     */
    static final long UNSCHEDULABLE_FLUSH_SECONDS = 300;
    /** kube-scheduler's {@code podInitialBackoffDuration} and {@code podMaxBackoffDuration}, in seconds. */
    static final long INITIAL_BACKOFF_SECONDS = 1;
    static final long MAX_BACKOFF_SECONDS = 10;
    /**
     * Per pod (with preemption): its failed tries in this pending spell, when it last failed, when it
     * is next due to try again (Long.MAX_VALUE: not yet), and whether it is in {@link #toPreempt}.
     */
    private final int[] tries;
    private final long[] lastTry;
    private final long[] due;
    private final boolean[] listed;
    /**
     * Per pod (with preemption): the pod that last preempted it, -1 for none, and when; read while the victim is pending
     * since then ({@link #preemptorOf}).
     */
    private final int[] preemptor;
    private final long[] preemptedAt;
    /**
     * (pod, time) pairs of tries to come after a backoff, earliest first, and of flushes, in the order
     * added, which is time order (each failed try adds one, 5 minutes on: a heap of them grew with
     * every try); an entry is valid while the pod is pending and due then.
     */
    private final java.util.ArrayDeque<long[]> flushes = new java.util.ArrayDeque<>();
    private final java.util.PriorityQueue<long[]> dueQueue = new java.util.PriorityQueue<>((x, y) -> Long.compare(x[1], y[1]));
    /** The times a {@link Event.Requeue} is in the event queue for. */
    private final java.util.TreeSet<Long> requeueTimes = new java.util.TreeSet<>();
    /**
     * Per group the version at which one of its pods last failed to preempt: preemption reads only
     * the nodes and their running pods, which every change of the version covers, so at the same
     * version its pods (alike in request, priority and rules) fail again without looking.
     */
    private final long[] failedAt;
    /** A scheduled pod was deleted or a node became ready this instant: the waiting pods go back to the queue. */
    private boolean wake;
    private final int[][] scratch = {new int[16]};
    private final EventQueue queue;
    /** The pods' run times under {@code --deletions after-start}; null when pods leave at their departures. */
    private final RunClocks clocks;

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
        int n = preemption == null ? 0 : stream.size();
        this.tries = new int[n];
        this.lastTry = new long[n];
        this.due = new long[n];
        this.listed = new boolean[n];
        this.preemptor = new int[n];
        java.util.Arrays.fill(preemptor, -1);
        this.preemptedAt = new long[n];
        this.failedAt = new long[preemption == null ? 0 : stream.table().groupCount()];
        java.util.Arrays.fill(failedAt, -1);
        this.clocks = stream.leavesAfterStart() ? new RunClocks(stream, queue) : null;
        if (clocks != null) {
            pods.runClocks(clocks);
        }
    }

    long now() {
        return now;
    }

    /** The pod whose preemption made the pending {@code pod} pending (this spell began with it), else -1. */
    int preemptorOf(int pod) {
        return pod < preemptor.length && preemptor[pod] >= 0 && pods.state(pod) == Cluster.POD_PENDING
                && preemptedAt[pod] == pending.since(pod) ? preemptor[pod] : -1;
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

    /**
     * Cordons and drains {@code node}; its pods are evicted and go back to the scheduler at once, but, with
     * {@code retry} (an autoscaler's drain through the eviction API), those whose eviction PodDisruptionBudgets refuse:
     * they stay on the cordoned node and are tried again as {@code retry} says ({@link #onEvictionRetry}). Null: every
     * pod at once (a node the cloud takes away). The node is removed the drain delay after its last pod is gone.
     */
    void drain(int node, EvictionRetry retry) {
        drainAll(new int[] {node}, retry, null);
    }

    /**
     * Drains {@code drained} at once, as one command of an autoscaler does. With {@code groupRank} (per group, lower first;
     * null: as {@link Pods#inEvictionOrder} lists them) the pods evicted from all of them go back to the scheduler
     * together in that order, after the pods bound to zones and their targets: the order of the autoscaler's own what-if,
     * so that the scheduler meets them as it placed them (Karpenter's provisioner queue; node by node, a large pod of the
     * second node would come after every small pod of the first).
     */
    void drainAll(int[] drained, EvictionRetry retry, int[] groupRank) {
        batchSize = 0;
        for (int node : drained) {
            drainOne(node, retry, groupRank);
        }
        if (groupRank != null) {
            requeueInRankOrder(groupRank);
        }
    }

    private void drainOne(int node, EvictionRetry retry, int[] groupRank) {
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
        int kept = evict(node, retry, groupRank);
        if (kept == 0) {
            nodes.removeAfterDrain(node, now, timeoutEnd(retry, now));
        } else {
            held.hold(node, now, retry, groupRank); // its retries evict in the same order
            metrics.countDrainHeld();
            retryAfter(node, now, retry, 0, keptRetryable);
        }
        if (spread != null) {
            // The node's zone may stop being a domain: a spread's fewest can rise, letting pending
            // pods into zones they were kept out of without any capacity being freed.
            pending.uncheckGroups(spread);
        }
        floorsRose();
        retryWanted = true;
    }

    /**
     * Evicts the pods on the draining {@code node}, back to the scheduler; with {@code retry} (null: every pod), not those
     * whose eviction PodDisruptionBudgets refuse now, nor, where {@code retry} holds them, those annotated do-not-disrupt,
     * each refusal counted. Returns how many pods stay on the node.
     */
    private int evict(int node, EvictionRetry retry, int[] groupRank) {
        // With pods bound to zones, their targets and then they are evicted first, so that they are
        // first in the scheduler's queue (Pods#inEvictionOrder; the autoscalers' what-if moves place
        // them in the same order, see Headroom).
        int n = pods.inEvictionOrder(node, evicted);
        // A DaemonSet's do-not-disrupt pods are never evicted: each try is refused, and the drain waits for them.
        int kept = daemonSetsHolding(node, retry);
        for (int i = 0; i < kept; i++) {
            metrics.countEvictionRefused(DO_NOT_DISRUPT);
        }
        keptRetryable = false;
        for (int i = 0; i < n; i++) {
            int p = evicted[0][i];
            if (retry != null && retry.holdsDoNotDisrupt() && pods.doNotDisrupt(p)) {
                kept++;
                metrics.countEvictionRefused(DO_NOT_DISRUPT);
                continue;
            }
            if (retry != null && stream.table().group(stream.group(p)).priority() >= retry.unaskedBelow() && pods.evictionRefused(p)) {
                kept++;
                keptRetryable |= !pods.evictionNeverAllowed(p);
                metrics.countEvictionRefused(pods.refusingBudget(p));
                continue;
            }
            // Cluster Autoscaler keeps a bare pod's node unless safe-to-evict "true" lets the pod go (drainability rule
            // "replicated"); Karpenter v1 drains it like any other (ValidatePodsDisruptable asks only do-not-disrupt and
            // the budgets), so consolidation and expiry lose it for good.
            if (!evictOne(p)) {
                continue;
            }
            if (groupRank != null) {
                if (batchSize == batch.length) {
                    batch = java.util.Arrays.copyOf(batch, batchSize * 2);
                }
                batch[batchSize++] = p; // queued with the drain's (or command's) other pods, in rank order
                continue;
            }
            requeue(p);
        }
        return kept;
    }

    /**
     * Takes {@code p} off its node as an eviction (a drain's or preemption's); returns whether its controller recreates it.
     * A bare pod, which no controller owns, is gone: the eviction deletes it and nothing brings it back (QA 71a F10: it came
     * back pending and ran again). A pod of a controller not among the inputs is recreated by that controller.
     */
    private boolean evictOne(int p) {
        unplace(p);
        metrics.countEviction(p);
        pending.evicted(p);
        io.nodesizer.model.PodTemplate t = stream.table().group(stream.group(p)).template();
        if (t != null && t.eviction().ownerless()) {
            pods.setState(p, Cluster.POD_GONE);
            metrics.countLeave();
            return false;
        }
        return true;
    }

    /** An evicted pod goes back to the scheduler: its controller recreates it, pending. */
    private void requeue(int p) {
        makePending(p);
        pending.uncheck(p);
        noteRecreated(p);
    }

    /** The pods of {@link #batch}, evicted by drains, tried in their own order. */
    private int[] batch = new int[16];
    private int batchSize;

    /**
     * Requeues the pods of {@link #batch} in the order of their groups' {@code rank} (lower first), the zone passes
     * ({@link TopologyRules#evictionPass}: the pods bound to zones and their targets) first, then by pod number, as
     * Karpenter's queue orders its simulation's pods.
     */
    private void requeueInRankOrder(int[] rank) {
        long[] keys = new long[batchSize];
        for (int i = 0; i < batchSize; i++) {
            int g = stream.group(batch[i]);
            long pass = spread != null && spread.anyBound() ? spread.evictionPass(g) : 0;
            keys[i] = pass << 61 | (long) rank[g] << 31 | batch[i]; // passes 0-2, ranks below 2^30 (groups), pods below 2^31
        }
        java.util.Arrays.sort(keys);
        batchSize = 0;
        for (long k : keys) {
            requeue((int) (k & Integer.MAX_VALUE));
        }
    }

    /**
     * A held drain on {@code node} (begun at {@code drainStart}) tries its pods' evictions again; at its retry's timeout
     * it gives up (the node is uncordoned with the pods it kept) or deletes the pods left without asking the budgets.
     */
    void onEvictionRetry(int node, long drainStart) {
        if (nodes.state[node] != Cluster.DRAINING || !held.held(node, drainStart)) {
            return; // its pods left on their own and the drain ended
        }
        EvictionRetry retry = held.retry(node);
        boolean timedOut = retry.timeoutSeconds() != EvictionRetry.NEVER && now >= deadline(retry, drainStart);
        if (timedOut && !retry.forceAtTimeout()) {
            giveUp(node);
            return;
        }
        int[] rank = held.rank(node);
        batchSize = 0;
        int kept = evict(node, timedOut ? null : retry, rank);
        if (rank != null) {
            requeueInRankOrder(rank);
        }
        retryWanted = true;
        floorsRose();
        if (kept == 0) {
            if (timedOut) {
                metrics.countDrainForced();
            }
            // A forced node goes at the terminationGracePeriod, whether or not its pods' own grace period has ended.
            drainedAfterHold(node, timedOut ? timeoutEnd(retry, drainStart) : Long.MAX_VALUE);
            return;
        }
        retryAfter(node, drainStart, retry, held.tried(node), keptRetryable);
    }

    /**
     * Whether the last {@link #evict} kept a pod that a later try may evict: one its only budget refuses for now, not one
     * the eviction API never lets go (two budgets, a budget that never allows an eviction) nor a do-not-disrupt pod.
     */
    private boolean keptRetryable;

    /**
     * The held drain on {@code node} tries again after its try numbered {@code attempt}, the backoff on. A drain that
     * gives up (Cluster Autoscaler) does so at its first try at or after its time-out, without trying ({@code evictPod}
     * checks the deadline before each retry); one that forces (Karpenter) deletes the pods left at the time-out itself.
     * When none of its pods can go before the time-out ({@code retryable} false) the tries between, all refused, are not
     * made: the next is the time-out's, or, without one, none (the drain ends as its pods leave).
     */
    private void retryAfter(int node, long drainStart, EvictionRetry retry, int attempt, boolean retryable) {
        boolean timeout = retry.timeoutSeconds() != EvictionRetry.NEVER;
        if (!retryable && !timeout) {
            return;
        }
        long deadline = timeout ? deadline(retry, drainStart) : Long.MAX_VALUE;
        long next;
        if (retry.forceAtTimeout()) {
            next = retryable ? Math.min(now + retry.delayAfter(attempt), deadline) : deadline;
        } else {
            next = retryable ? now + retry.delayAfter(attempt) : retry.firstTryAtOrAfter(now, attempt, deadline);
        }
        queue.add(new Event.EvictionRetryDue(next, node, drainStart));
    }

    /**
     * The latest a node whose drain began at {@code drainStart} is removed: the drain's start plus a forcing drain's
     * time-out (Karpenter deletes the node at its terminationGracePeriod, even when that is shorter than its pods' own
     * grace period); otherwise none.
     */
    private static long timeoutEnd(EvictionRetry retry, long drainStart) {
        return retry != null && retry.forceAtTimeout() && retry.timeoutSeconds() != EvictionRetry.NEVER
                ? drainStart + retry.timeoutSeconds() : Long.MAX_VALUE;
    }

    /**
     * When the held drain begun at {@code drainStart} times out. Cluster Autoscaler gives up at its
     * {@code --max-pod-eviction-time}. Karpenter deletes the pods left early enough for their own grace period (the drain
     * delay here) to end at the NodePool's terminationGracePeriod, so that the node goes then ("that pod will be deleted
     * at T = node timeout - pod terminationGracePeriodSeconds", Karpenter's disruption docs), at the drain's start when
     * the period is shorter than the pods'.
     */
    private long deadline(EvictionRetry retry, long drainStart) {
        return retry.forceAtTimeout() ? drainStart + Math.max(0, retry.timeoutSeconds() - nodes.drainDelay())
                : drainStart + retry.timeoutSeconds();
    }

    /**
     * The run ends (the clock at its end): a drain still held then counts its wait up to now, and did not remove its node
     * (not a scale-down).
     */
    void finish() {
        for (int node : held.nodes()) {
            metrics.countHeldSeconds(now - held.start(node));
            metrics.countHeldAtEnd();
        }
    }

    /**
     * Under {@code --deletions after-start}, whether work the trace ran to completion is left after {@code t}, so that the
     * run goes on past the trace's end ({@link Replay}'s overtime): a pod that holds the run open ({@link RunClocks#holds})
     * runs and has not finished, or one waits for a node while another such pod runs (it may free room) or a node is on
     * its way. Pods that wait with neither would wait for good (a fixed count that is full, an autoscaler at its limit):
     * they end the run, pending at its end as before, unless they became pending after {@code lastLoop}, when the
     * autoscaler's last loop began ({@link Long#MAX_VALUE} when no loop runs). With {@code beforeInstant} the clock is before instant {@code t} (the
     * trace's end) and the pods due to leave then have not left: a scan of every pod. False when pods leave at their
     * departures.
     */
    boolean workLeft(long t, boolean beforeInstant, long lastLoop) {
        if (clocks == null) {
            return false;
        }
        if (beforeInstant ? clocks.runsPast(t) : clocks.runningHolding() > 0) {
            return true;
        }
        if (pending.count() == 0) {
            return false;
        }
        // A pending pod waits for work: a node on its way, or room that running pods free. With neither it waits for
        // good, unless it became pending after the autoscaler's last loop began: the next loop has not seen it yet and
        // may launch its node (review 63 item 2: short jobs arriving in the trace's last seconds).
        boolean nodeOrRoomComing = nodes.provisioning > 0 || clocks.runningHolding() > 0;
        int n = pending.pendingPods(scratch);
        for (int i = 0; i < n; i++) {
            int pod = scratch[0][i];
            if (clocks.holds(pod) && (nodeOrRoomComing || pending.since(pod) > lastLoop)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Under {@code --deletions after-start}, the seconds of run time the pods that hold the run open ({@link RunClocks#holds})
     * had not run by now, running or pending; null when pods leave at their departures.
     */
    Long unrunPodSeconds() {
        if (clocks == null) {
            return null;
        }
        long sum = 0;
        for (int p = 0; p < stream.size(); p++) {
            byte s = pods.state(p);
            if ((s == Cluster.POD_RUNNING || s == Cluster.POD_PENDING) && clocks.holds(p)) {
                sum += clocks.unrun(p, now);
            }
        }
        return sum;
    }

    /** How many drains PodDisruptionBudgets (or do-not-disrupt) hold now. */
    int heldDrains() {
        return held.count();
    }

    /** The nodes whose drains are held, in node order. */
    int[] heldDrainNodes() {
        return held.nodes();
    }

    /** The pods still on the nodes whose drains are held, in node order, into {@code out} (grown as needed); returns how many. */
    int podsOnHeldDrains(int[][] out) {
        if (held.count() == 0) {
            return 0;
        }
        int k = 0;
        for (int node : held.nodes()) {
            int n = pods.podsOnNode(node, scratchHeld);
            if (out[0].length < k + n) {
                out[0] = java.util.Arrays.copyOf(out[0], Math.max(k + n, out[0].length * 2));
            }
            System.arraycopy(scratchHeld[0], 0, out[0], k, n);
            k += n;
        }
        return k;
    }

    private final int[][] scratchHeld = {new int[16]};

    /** The held drain on {@code node} has no pod left: the node goes the drain delay from now. */
    private void drainedAfterHold(int node, long latest) {
        metrics.countHeldSeconds(now - held.start(node));
        held.end(node);
        nodes.removeAfterDrain(node, now, latest);
    }

    /**
     * Cluster Autoscaler gives the held drain on {@code node} up (a pod not evicted by {@code --max-pod-eviction-time}
     * fails it): the node is uncordoned and ready again with the pods it kept; it was not scaled down.
     */
    private void giveUp(int node) {
        metrics.countHeldSeconds(now - held.start(node));
        metrics.countDrainGivenUp();
        held.end(node);
        nodes.undrain(node, now);
        readied(node);
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
            // Left at the instant it arrived (a trace's pod shorter than its clock's second), its departure first as
            // every departure of an instant is. It ran for that instant only if the scheduler had a node for it then;
            // else it was deleted before it ever ran, like a pending pod deleted, not a pod that waited 0 s.
            if (schedulableGroup[stream.group(pod)]) {
                if (retryWanted) {
                    retryPending();
                }
                if (scheduler.chooseNode(pod) < 0) {
                    pending.deletedOnArrival(pod);
                }
            }
            return;
        }
        metrics.countArrival();
        if (!schedulableGroup[stream.group(pod)]) {
            pods.setState(pod, Cluster.POD_UNSCHEDULABLE);
            if (pods.budgeted(stream.group(pod))) {
                version++; // a replica more lowers what its budget allows (a percentage of more pods)
            }
            if (clocks != null) {
                clocks.neverStarts(pod);
            }
            return;
        }
        if (retryWanted) {
            retryPending();
        }
        int node = scheduler.chooseNode(pod);
        if (node >= 0) {
            place(pod, node);
        } else if (preemption == null) {
            makePending(pod);
        } else if (!tryPreempt(pod, false)) {
            makePending(pod);
            failedTry(pod);
        }
    }

    /**
     * {@code pod} (pending, or arriving) tries to preempt; false when it cannot. At a version at which
     * a pod of its group failed it fails again (see {@link #failedAt}).
     */
    private boolean tryPreempt(int pod, boolean wasPending) {
        int g = stream.group(pod);
        if (failedAt[g] == version) {
            return false;
        }
        if (preempt(pod, wasPending)) {
            return true;
        }
        failedAt[g] = version;
        return false;
    }

    /**
     * {@code pod}, pending, failed to schedule and to preempt: kube-scheduler keeps it among the
     * unschedulable pods until a cluster event moves it back (after its backoff, {@link #wakePending})
     * or, at the latest, it is flushed back after {@link #UNSCHEDULABLE_FLUSH_SECONDS}.
     */
    private void failedTry(int pod) {
        if (!preemption.mayPreempt(pod)) {
            return;
        }
        tries[pod]++;
        lastTry[pod] = now;
        due[pod] = now + UNSCHEDULABLE_FLUSH_SECONDS;
        flushes.add(new long[]{pod, due[pod]}); // in time order: the flushes come due as they were added
        requeueAt(due[pod]);
    }

    /** {@code pod} tries again at {@code at} (now: after this instant's retry), unless it is due earlier already. */
    private void dueAt(int pod, long at) {
        if (at >= due[pod]) {
            return;
        }
        due[pod] = at;
        if (at == now) {
            addToPreempt(pod);
            return;
        }
        dueQueue.add(new long[]{pod, at});
        requeueAt(at);
    }

    /** A {@link Event.Requeue} at {@code at}, one per distinct time. */
    private void requeueAt(long at) {
        if (requeueTimes.add(at)) {
            queue.add(new Event.Requeue(at));
        }
    }

    /**
     * A scheduled pod was deleted or a node became ready: kube-scheduler's queueing hints move the
     * pods that failed back to its queue, each once its backoff since its last try has passed (1 s,
     * doubling with each failed try, at most 10 s: {@code podInitialBackoffDuration},
     * {@code podMaxBackoffDuration}), and each failed cycle runs preemption again.
     */
    private void wakePending() {
        int n = pending.pendingPods(scratch);
        int[] list = scratch[0];
        for (int i = 0; i < n; i++) {
            int pod = list[i];
            if (preemption.mayPreempt(pod) && tries[pod] > 0) {
                long backoff = Math.min(MAX_BACKOFF_SECONDS, INITIAL_BACKOFF_SECONDS << Math.min(tries[pod] - 1, 62));
                dueAt(pod, Math.max(now, lastTry[pod] + backoff));
            }
        }
    }

    /** The pods due now (after a backoff, or flushed back) try again after this instant's retry. */
    void onRequeue() {
        requeueTimes.remove(now);
        while (!dueQueue.isEmpty() && dueQueue.peek()[1] <= now) {
            dueNow(dueQueue.poll());
        }
        while (!flushes.isEmpty() && flushes.peekFirst()[1] <= now) {
            dueNow(flushes.pollFirst());
        }
    }

    /** The pod of a (pod, time) entry come due tries again, if it is still pending and due then. */
    private void dueNow(long[] e) {
        int pod = (int) e[0];
        if (pods.state(pod) == Cluster.POD_PENDING && due[pod] == e[1]) {
            addToPreempt(pod);
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
            if (!evictOne(v)) {
                continue; // preemption deletes its victims too (DefaultPreemption's prepareCandidate)
            }
            makePending(v);
            preemptor[v] = pod;
            preemptedAt[v] = pending.since(v);
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
            targetPlaced();
        }
        if (spread != null && spread.isTarget(stream.group(pod))) {
            pending.uncheckZoneRuled(spread); // pods waiting for a pod like it in their zone may now go there
            targetPlaced();
        }
        if (floorsRose()) {
            targetPlaced(); // a spread's fewest rose: pods it kept out may go beside its other pods now
        }
    }

    /**
     * A pod that pending pods' rules look for started (an affinity target, a spread's pod): they get
     * another look, and their preemption too (upstream's InterPodAffinity and PodTopologySpread
     * queueing hints move them back to the queue when a pod their terms select is added).
     */
    private void targetPlaced() {
        retryWanted = true;
        wake |= preemption != null;
    }

    void onPodLeaves(int pod) {
        if (pods.state(pod) == Cluster.POD_GONE) {
            return; // a bare pod an eviction deleted before its own end (evict): it left then
        }
        if (clocks != null && !clocks.leaves(pod, now, pods.state(pod))) {
            return; // queued at a start the pod was evicted from since: its next start queued its leave anew
        }
        switch (pods.state(pod)) {
            case Cluster.POD_RUNNING -> {
                int node = unplace(pod);
                retryWanted = true;
                if (nodes.state[node] == Cluster.DRAINING && nodes.podsOn[node] == 0 && held.held(node)
                        && daemonSetsHolding(node, held.retry(node)) == 0) {
                    // the last pod a budget held left on its own; the node still goes by a terminationGracePeriod
                    drainedAfterHold(node, timeoutEnd(held.retry(node), held.start(node)));
                }
            }
            case Cluster.POD_PENDING -> {
                pending.deleted(pod, now); // the result counts it, unless it ran before an eviction
                version++;
            }
            case Cluster.POD_NOT_ARRIVED -> metrics.countArrival(); // arrives and leaves at one instant: counted; onPodArrives tries it
            default -> {
                // unschedulable pods just leave; one fewer replica changes what its budget allows
                if (pods.state(pod) == Cluster.POD_UNSCHEDULABLE && pods.budgeted(stream.group(pod))) {
                    version++;
                }
            }
        }
        metrics.countLeave();
        pods.setState(pod, Cluster.POD_GONE);
    }

    /** After all events of an instant: pending pods get another chance if capacity appeared, and those due try to preempt. */
    void endOfInstant() {
        do {
            if (retryWanted) {
                retryPending();
            }
            if (wake) {
                wake = false;
                wakePending();
            }
        } while (!toPreempt.isEmpty() && preemptForOne());
        metrics.endOfInstant(nodes.billed);
    }

    /** Remembers that {@code pod} was evicted: its replacement may preempt ({@link #preemptForOne}). */
    private void noteRecreated(int pod) {
        if (preemption != null) {
            tries[pod] = 0;
            due[pod] = Long.MAX_VALUE;
            addToPreempt(pod);
        }
    }

    private void addToPreempt(int pod) {
        if (listed[pod]) {
            return;
        }
        listed[pod] = true;
        toPreempt.add(new long[]{pod, preemption.priority(pod), pending.order(pod)});
    }

    /**
     * After a retry, the pods due to preempt that are still pending fit no ready node: in PrioritySort
     * order (the higher priority, then the earlier in the queue) each tries and is taken off the list,
     * until one preempts; returns whether one did (its victims and any room they leave then get a
     * retry first, as the scheduler's queue would offer them before the next pod).
     */
    private boolean preemptForOne() {
        while (!toPreempt.isEmpty()) {
            long[] e = toPreempt.poll();
            int pod = (int) e[0];
            if (pods.state(pod) == Cluster.POD_PENDING && pending.order(pod) != e[2]) {
                e[2] = pending.order(pod); // pending again since it was listed: its place is later now
                toPreempt.add(e);
                continue;
            }
            listed[pod] = false;
            if (pods.state(pod) == Cluster.POD_PENDING) {
                if (tryPreempt(pod, true)) {
                    return true;
                }
                failedTry(pod);
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- what follows

    /** {@code node} just became ready: its capacity is new to the pending pods. */
    private void readied(int node) {
        pending.noteFreed(nodes.free, node * D);
        retryWanted = true;
        wake = preemption != null;
        version++;
    }

    /** Takes the running {@code pod} off its node; returns the node. */
    private int unplace(int pod) {
        int node = pods.unplace(pod, now);
        wake |= preemption != null;
        if (spread != null && spread.unblocks(stream.group(pod))) {
            // Its zone may now take pods it repelled, though the capacity freed is elsewhere.
            pending.uncheckZoneRuled(spread);
        }
        if (nodes.state[node] == Cluster.READY) {
            pending.noteFreed(nodes.free, node * D);
        }
        version++;
        return node;
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
                targetPlaced();
            }
            if (pending.takeDomainTargetPlaced()) {
                pending.uncheckZoneRuled(spread); // on the zone or another key, as above
                targetPlaced();
            }
            if (floorsRose()) {
                targetPlaced(); // a hostname spread's fewest rose with the pods placed, as above
            }
        } while (retryWanted);
    }
}

package io.nodesizer.replay;

import io.nodesizer.engine.HostnameFloors;
import io.nodesizer.engine.DemandTable;

import java.util.Arrays;
import java.util.PriorityQueue;

/**
 * The scheduler's pending pods: the queue the autoscalers read, each pod's pending time, and the
 * capacity freed since the last retry, which decides the groups a retry offers to the
 * {@link Scheduler} again.
 *
 * <p>Pending pods are bucketed by group (identical requests), FIFO through {@code nextInGroup},
 * so that a retry touches only the groups that can fit the freed capacity: a pod that fits
 * nowhere means every later pod of its group fits nowhere either. A pod that stops pending stays
 * in its bucket and in the queue until it is met there; the pod's state (in {@link Pods}) says
 * whether an entry is still valid.
 */
final class PendingQueue {
    private static final int D = DemandTable.D;

    private final PodStream stream;
    private final long[] demand;
    private final Pods pods;
    private final Scheduler scheduler;
    private final long[] pendingSince;
    private final long[] pendingTotal;
    /** The pods deleted while pending that never ran ({@link #deleted}); few, and set only then. */
    private final java.util.BitSet deletedWhilePending = new java.util.BitSet();
    /** The pods evicted at least once ({@link #evicted}): a pod deleted while pending after one had run. */
    private final java.util.BitSet evicted = new java.util.BitSet();
    private int count;
    private long lastAdded = -1;
    // The pending pods in the order they became pending, for the autoscalers; compacted lazily.
    private int[] queue = new int[64];
    private long[] queueOrder = new long[64];
    private int queueSize;
    private final int[] groupHead;
    private final int[] groupTail;
    private final int[] nextInGroup;
    /** Per pod the place in the queue of its latest pending spell. */
    private final long[] pendingOrder;
    private long pendingCounter;
    private int[] pendingGroups = new int[16];
    private int pendingGroupCount;
    private final boolean[] groupListed;
    /** Groups with pending pods that were never checked against every ready node (evicted pods). */
    private final boolean[] groupUnchecked;
    // Capacity freed since the last retry: the largest free amount per resource on nodes that
    // gained capacity (a pod left, a node became ready).
    private final long[] freed = new long[D];

    /**
     * The order a retry offers pending pods in: kube-scheduler's PrioritySort (kubernetes
     * {@code pkg/scheduler/framework/plugins/queuesort/priority_sort.go}: the higher priority first,
     * then the earlier in the queue) when pods differ in priority, else the queue order alone. The
     * heads are {@code {pendingOrder, group}}.
     */
    private final java.util.Comparator<long[]> retryOrder;

    /**
     * @param demand        the demand rows of the pod groups, stride {@link DemandTable#D}
     * @param groupPriority per group its pods' priority, null when all are 0
     */
    PendingQueue(PodStream stream, long[] demand, Pods pods, Scheduler scheduler, int[] groupPriority) {
        this.retryOrder = groupPriority == null ? (x, y) -> Long.compare(x[0], y[0]) : (x, y) -> {
            int c = Integer.compare(groupPriority[(int) y[1]], groupPriority[(int) x[1]]);
            return c != 0 ? c : Long.compare(x[0], y[0]);
        };
        this.stream = stream;
        this.demand = demand;
        this.pods = pods;
        this.scheduler = scheduler;
        int n = stream.size();
        this.pendingSince = new long[n];
        this.pendingTotal = new long[n];
        this.nextInGroup = new int[n];
        this.pendingOrder = new long[n];
        int groups = stream.table().groupCount();
        this.groupHead = new int[groups];
        this.groupTail = new int[groups];
        Arrays.fill(groupHead, -1);
        Arrays.fill(groupTail, -1);
        this.groupListed = new boolean[groups];
        this.groupUnchecked = new boolean[groups];
    }

    int count() {
        return count;
    }

    /** When a pod last became pending, or -1. */
    long lastAdded() {
        return lastAdded;
    }

    /** When {@code pod}'s latest pending spell began: its arrival, or its eviction (a replacement pod's creation). */
    long since(int pod) {
        return pendingSince[pod];
    }

    /** {@code pod}'s place in the queue (of its latest pending spell): the earlier, the lower. */
    long order(int pod) {
        return pendingOrder[pod];
    }

    /** Pending seconds of {@code pod} so far, counting an open pending spell up to {@code now}. */
    long seconds(int pod, long now) {
        return pendingTotal[pod] + (pods.state(pod) == Cluster.POD_PENDING ? now - pendingSince[pod] : 0);
    }

    /** The pending pods in queue order, into {@code out} (grown as needed); returns the count. */
    int pendingPods(int[][] out) {
        compact();
        if (out[0].length < queueSize) {
            out[0] = new int[queueSize];
        }
        System.arraycopy(queue, 0, out[0], 0, queueSize);
        return queueSize;
    }

    /** {@code pod}, now in state pending, joins the end of the queue. */
    void add(int pod, long now) {
        pendingSince[pod] = now;
        count++;
        pendingOrder[pod] = pendingCounter++;
        int g = stream.group(pod);
        nextInGroup[pod] = -1;
        if (groupTail[g] >= 0) {
            nextInGroup[groupTail[g]] = pod;
        } else {
            groupHead[g] = pod;
        }
        groupTail[g] = pod;
        if (!groupListed[g]) {
            groupListed[g] = true;
            if (pendingGroupCount == pendingGroups.length) {
                pendingGroups = Arrays.copyOf(pendingGroups, pendingGroupCount * 2);
            }
            pendingGroups[pendingGroupCount++] = g;
        }
        lastAdded = now;
        if (queueSize == queue.length) {
            compact();
            if (queueSize * 2 > queue.length) {
                queue = Arrays.copyOf(queue, queue.length * 2);
                queueOrder = Arrays.copyOf(queueOrder, queue.length);
            }
        }
        queueOrder[queueSize] = pendingOrder[pod];
        queue[queueSize++] = pod;
    }

    /** {@code pod}, just added, was evicted: its group must be tried against every ready node, not only the freed capacity. */
    void uncheck(int pod) {
        groupUnchecked[stream.group(pod)] = true;
    }

    /**
     * The pending groups with required pod affinity must be tried against every ready node: a target
     * pod started somewhere, which lets them there without any capacity being freed (kube-scheduler
     * requeues such pods when a pod is added).
     */
    void uncheckCoLocated(io.nodesizer.engine.CoLocation co) {
        uncheckWhere(co::constrains);
    }

    /** Whether the last retries placed a pod some group's required pod affinity on the hostname targets; clears it. */
    boolean takeCoTargetPlaced() {
        boolean was = coTargetPlaced;
        coTargetPlaced = false;
        return was;
    }

    /** Whether the last retries placed a pod that some group's pod affinity on the zone or another key targets; clears it. */
    boolean takeDomainTargetPlaced() {
        boolean was = domainTargetPlaced;
        domainTargetPlaced = false;
        return was;
    }

    private boolean coTargetPlaced;
    private boolean domainTargetPlaced;

    /** The pending groups that spread over zones must be tried against every ready node (their domains changed). */
    void uncheckGroups(TopologyRules spread) {
        uncheckWhere(spread::spreads);
    }

    /**
     * The pending groups that a zone rule applies to must be tried against every ready node: a pod
     * left a zone (or a target started in one), which may admit them there without freeing capacity.
     */
    void uncheckZoneRuled(TopologyRules rules) {
        uncheckWhere(rules::constrains);
    }

    /**
     * The pending groups a hostname spread's floor checks must be tried against every ready node:
     * the fewest of some spread rose (a pod started on its last node with the fewest, or that node
     * left), which may admit them elsewhere without freeing capacity (kube-scheduler requeues them
     * on the pod add or the node change).
     */
    void uncheckFloored(HostnameFloors floors) {
        uncheckWhere(floors::constrains);
    }

    /** The pending groups {@code which} accepts must be tried against every ready node at the next retry. */
    private void uncheckWhere(java.util.function.IntPredicate which) {
        for (int i = 0; i < pendingGroupCount; i++) {
            if (which.test(pendingGroups[i])) {
                groupUnchecked[pendingGroups[i]] = true;
            }
        }
    }

    /**
     * The pending {@code pod} was deleted (its trace's deletion time, or a scale-down of its workload's replicas) before a
     * node took it: it leaves the queue, and is remembered as one that never ran ({@link #deletedWhilePending}) unless it
     * ran before an eviction.
     */
    void deleted(int pod, long now) {
        leave(pod, now);
        if (!evicted.get(pod)) {
            deletedWhilePending.set(pod);
        }
    }

    /** {@code pod} was deleted at the instant it arrived, no node having room for it: it never ran, and never queued. */
    void deletedOnArrival(int pod) {
        deletedWhilePending.set(pod);
    }

    /** {@code pod} was evicted from its node (a drain, a preemption): it ran. */
    void evicted(int pod) {
        evicted.set(pod);
    }

    /** Whether {@code pod} was deleted while it was pending, never having run. */
    boolean deletedWhilePending(int pod) {
        return deletedWhilePending.get(pod);
    }

    /** The pending {@code pod} left; it drops out of the queue when next met. */
    void leave(int pod, long now) {
        pendingTotal[pod] += now - pendingSince[pod];
        count--;
    }

    /**
     * The pending {@code pod} was placed out of its group's turn (a preemptor, nominated where its
     * victims left): it stops pending and is unlinked from its group's list at once. Left linked,
     * it could be evicted and {@link #add}ed again while still in the list: {@code add} would then
     * cut the list after it, or link it to itself when it was the tail.
     */
    void placedOutOfTurn(int pod, long now) {
        leave(pod, now);
        int g = stream.group(pod);
        for (int prev = -1, p = groupHead[g]; p >= 0; prev = p, p = nextInGroup[p]) {
            if (p == pod) {
                if (prev < 0) {
                    groupHead[g] = nextInGroup[p];
                } else {
                    nextInGroup[prev] = nextInGroup[p];
                }
                if (groupTail[g] == pod) {
                    groupTail[g] = prev;
                }
                return;
            }
        }
    }

    /** The free capacity of a node that gained some (stride D from {@code offset}). */
    void noteFreed(long[] free, int offset) {
        for (int r = 0; r < D; r++) {
            freed[r] = Math.max(freed[r], free[offset + r]);
        }
    }

    private void compact() {
        int kept = 0;
        for (int i = 0; i < queueSize; i++) {
            int pod = queue[i];
            // Valid while the pod is still in the pending spell this entry was made for.
            if (pods.state(pod) == Cluster.POD_PENDING && pendingOrder[pod] == queueOrder[i]) {
                queueOrder[kept] = queueOrder[i];
                queue[kept++] = pod;
            }
        }
        queueSize = kept;
    }

    // ---------------------------------------------------------------- retry

    /**
     * Gives the pending pods another chance and forgets the freed capacity: places, in queue
     * order, those that fit now ({@code anyReady}: whether there is a ready node at all); returns
     * how many it placed.
     */
    int retry(boolean anyReady, long now) {
        if (count == 0 || !anyReady) {
            Arrays.fill(freed, 0);
            return 0;
        }
        // After every retry no pending pod fits any ready node, so only pods that fit into what
        // was freed since can be placed now: groups whose request exceeds the freed maxima on
        // some resource are skipped without looking at their pods. (A drain can widen a zone
        // spread without freeing capacity: it marks those groups unchecked, see uncheckGroups.)
        int[] candidates = new int[pendingGroupCount];
        int c = 0;
        int kept = 0;
        for (int i = 0; i < pendingGroupCount; i++) {
            int g = pendingGroups[i];
            dropGone(g);
            if (groupHead[g] < 0) {
                groupListed[g] = false;
                continue;
            }
            pendingGroups[kept++] = g;
            boolean possible = true;
            for (int r = 0; r < D && !groupUnchecked[g]; r++) {
                if (demand[g * D + r] > freed[r]) {
                    possible = false;
                    break;
                }
            }
            if (possible) {
                candidates[c++] = g;
            }
        }
        pendingGroupCount = kept;
        Arrays.fill(freed, 0);
        if (c == 0) {
            return 0;
        }
        // Place in queue order across the candidate groups (a merge by pending order, the higher
        // priority first when pods differ in it: a group's pods share one); a group whose head fits nowhere is done.
        PriorityQueue<long[]> heads = new PriorityQueue<>(c, retryOrder);
        for (int i = 0; i < c; i++) {
            heads.add(new long[]{pendingOrder[groupHead[candidates[i]]], candidates[i]});
        }
        int placed = 0;
        while (!heads.isEmpty()) {
            long[] h = heads.poll();
            int g = (int) h[1];
            int pod = groupHead[g];
            int node = scheduler.chooseNode(pod);
            if (node < 0) {
                groupUnchecked[g] = false;
                continue;
            }
            popHead(g);
            pendingTotal[pod] += now - pendingSince[pod];
            count--;
            pods.place(pod, node, now);
            placed++;
            coTargetPlaced |= pods.coLocation != null && pods.coLocation.isTarget(g);
            domainTargetPlaced |= pods.domainTarget(g);
            dropGone(g);
            if (groupHead[g] >= 0) {
                heads.add(new long[]{pendingOrder[groupHead[g]], g});
            } else {
                groupUnchecked[g] = false;
            }
        }
        return placed;
    }

    /** Removes pods that are no longer pending (they left) from the head of group {@code g}'s queue. */
    private void dropGone(int g) {
        while (groupHead[g] >= 0 && pods.state(groupHead[g]) != Cluster.POD_PENDING) {
            popHead(g);
        }
    }

    private void popHead(int g) {
        int pod = groupHead[g];
        groupHead[g] = nextInGroup[pod];
        if (groupHead[g] < 0) {
            groupTail[g] = -1;
        }
    }
}

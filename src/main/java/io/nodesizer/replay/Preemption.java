package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;

/**
 * kube-scheduler's DefaultPreemption PostFilter for a pod that fits no ready node, on the amounts
 * alone (used only when every pod of the replay is placed by its free amounts: no inter-pod rule,
 * no spread, no GPU devices, every pool taking every pod, so that a node with room is a node the pod
 * may use):
 * <ul>
 *   <li>on each ready node, victims as {@code selectVictimsOnNode} chooses them (kubernetes
 *       {@code pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go}): every pod
 *       of lower priority removed; if the pod then fits, the highest-priority of them (the earlier
 *       placed among equals, as {@code MoreImportantPod} orders by start time) reprieved first, each
 *       one that still leaves room;</li>
 *   <li>the node as {@code pickOneNodeForPreemption} ({@code pkg/scheduler/framework/preemption/
 *       preemption.go}) picks it where no PodDisruptionBudget applies (the replay has none): the
 *       lowest highest-victim priority, then the smallest sum of victim priorities (each shifted by
 *       2^31, as upstream sums them, so that fewer negative victims weigh less), then the fewest
 *       victims, then the first in node order (upstream's last tie-break, the latest start time of
 *       the victims, is not followed).</li>
 * </ul>
 * A pod with {@code preemptionPolicy: Never} preempts nothing ({@code PodEligibleToPreemptOthers}).
 * The victims are evicted at once (no graceful termination) and go back to the scheduler's queue,
 * as their controllers recreate them; the preemptor is then placed on the node they left (upstream
 * nominates it there and places it in a later cycle).
 */
final class Preemption {
    private static final int D = DemandTable.D;

    private final PodStream stream;
    private final long[] demand;
    private final Nodes nodes;
    private final Pods pods;
    private final int[] groupPriority;
    private final int lowest;
    /** Per group whether its pods preempt (false for {@code preemptionPolicy: Never}, which PodEligibleToPreemptOthers refuses). */
    private final boolean[] groupPreempts;
    private final int[][] onNode = {new int[16]};
    private int[] victims = new int[16];
    private int victimCount;

    /** @param groupPriority per group its pods' priority (not null: pods differ in priority) */
    Preemption(PodStream stream, long[] demand, Nodes nodes, Pods pods, int[] groupPriority) {
        this.stream = stream;
        this.demand = demand;
        this.nodes = nodes;
        this.pods = pods;
        this.groupPriority = groupPriority;
        int min = Integer.MAX_VALUE;
        for (int p : groupPriority) {
            min = Math.min(min, p);
        }
        this.lowest = min;
        this.groupPreempts = new boolean[groupPriority.length];
        for (int g = 0; g < groupPreempts.length; g++) {
            groupPreempts[g] = stream.table().group(g).preempts();
        }
    }

    /** Chooses the node and the victims for {@code pod}; returns the node, or -1 when no preemption makes room. Victims: {@link #victim}. */
    int choose(int pod) {
        int priority = groupPriority[stream.group(pod)];
        victimCount = 0;
        if (priority <= lowest || !groupPreempts[stream.group(pod)]) {
            return -1;
        }
        int o = stream.group(pod) * D;
        int best = -1;
        io.nodesizer.kube.PreemptionVictims bestVictims = null;
        long[] room = new long[D];
        for (int li = 0; li < nodes.liveCount; li++) {
            int node = nodes.live[li];
            if (nodes.state[node] != Cluster.READY) {
                continue;
            }
            int n = pods.podsOnNode(node, onNode);
            int[] on = onNode[0];
            System.arraycopy(nodes.free, node * D, room, 0, D);
            for (int i = 0, j = n - 1; i < j; i++, j--) { // Pods lists a node's pods newest first: reversed, the earliest placed first
                int t = on[i];
                on[i] = on[j];
                on[j] = t;
            }
            int lower = 0;
            for (int i = 0; i < n; i++) {
                int p = on[i];
                if (groupPriority[stream.group(p)] < priority) {
                    add(room, stream.group(p) * D, 1);
                    on[lower++] = p; // the potential victims, earliest placed first
                }
            }
            if (lower == 0 || !fits(o, room)) {
                continue;
            }
            // Most important first: higher priority, then the earlier placed among equals (MoreImportantPod's start time; a stable sort).
            sortByPriorityDescending(on, lower);
            int count = 0;
            io.nodesizer.kube.PreemptionVictims chosen = new io.nodesizer.kube.PreemptionVictims();
            for (int i = 0; i < lower; i++) {
                int p = on[i];
                add(room, stream.group(p) * D, -1);
                if (fits(o, room)) {
                    continue; // reprieved
                }
                add(room, stream.group(p) * D, 1);
                on[count++] = p;
                chosen.add(groupPriority[stream.group(p)]);
            }
            if (chosen.before(bestVictims)) {
                bestVictims = chosen;
                best = node;
                if (victims.length < count) {
                    victims = new int[Math.max(count, victims.length * 2)];
                }
                System.arraycopy(on, 0, victims, 0, count);
                victimCount = count;
            }
        }
        return best;
    }

    /** How many victims the last {@link #choose} picked. */
    int victimCount() {
        return victimCount;
    }

    /** The {@code i}-th victim of the last {@link #choose}. */
    int victim(int i) {
        return victims[i];
    }

    private void sortByPriorityDescending(int[] on, int n) {
        for (int i = 1; i < n; i++) { // insertion sort: stable, and a node holds some dozens of pods
            int p = on[i];
            int pp = groupPriority[stream.group(p)];
            int j = i - 1;
            while (j >= 0 && groupPriority[stream.group(on[j])] < pp) {
                on[j + 1] = on[j];
                j--;
            }
            on[j + 1] = p;
        }
    }

    private void add(long[] room, int offset, int sign) {
        for (int r = 0; r < D; r++) {
            room[r] += sign * demand[offset + r];
        }
    }

    private boolean fits(int offset, long[] room) {
        for (int r = 0; r < D; r++) {
            if (demand[offset + r] > room[r]) {
                return false;
            }
        }
        return true;
    }
}

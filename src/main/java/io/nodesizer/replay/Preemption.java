package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.model.Resource;

/**
 * kube-scheduler's DefaultPreemption PostFilter for a pod that fits no ready node:
 * <ul>
 *   <li>on each ready node whose pool takes the pod (node selector, required node affinity,
 *       taints and GPU model: a failure there is {@code UnschedulableAndUnresolvable}, which
 *       preemption passes over), victims as {@code selectVictimsOnNode} chooses them (kubernetes
 *       {@code pkg/scheduler/framework/plugins/defaultpreemption/default_preemption.go}): every pod
 *       of lower priority removed; if the pod then fits — its amounts, its GPU devices with the
 *       victims' devices given back, and its zone rules with the victims' counts taken off (spread,
 *       pod affinity and anti-affinity on the zone, as upstream's {@code RemovePod} extensions do) —
 *       the highest-priority of them (the earlier placed among equals, as {@code MoreImportantPod}
 *       orders by start time) reprieved first, each one that still leaves room;</li>
 *       With PodDisruptionBudgets among the inputs, the victims whose eviction would break one
 *       ({@code filterPodsWithPDBViolation}: each covering budget's evictions allowed now counted down
 *       victim by victim, most important first) are reprieved first, then the others;</li>
 *   <li>the node as {@code pickOneNodeForPreemption} ({@code pkg/scheduler/framework/preemption/
 *       preemption.go}) picks it: the fewest victims that break a budget, then the lowest
 *       highest-victim priority, then the smallest sum of victim priorities (each shifted by 2^31, as
 *       upstream sums them, so that fewer negative victims weigh less), then the fewest victims, then
 *       the first in node order (upstream's last tie-break, the latest start time of the victims, is
 *       not followed). Budgets steer preemption but never stop it, as upstream's.</li>
 * </ul>
 * The pod rules are checked as upstream's filters check them with the victims' {@code RemovePod}
 * applied: on the hostname (required pod anti-affinity either way, hard hostname spreads, required
 * pod affinity) with the victims' counts taken off the node, on the zone (spread, pod affinity and
 * anti-affinity) with them taken off the zone. One approximation, on the safe side: a hostname
 * spread's fewest pods on a node (minMatchNum) is this instant's, not recounted without the
 * victims; it can only have been lower, and only on this node, where the pod then admits anyway.
 * A pod with {@code preemptionPolicy: Never} preempts nothing ({@code PodEligibleToPreemptOthers}). The
 * victims are evicted at once (no graceful termination) and go back to the scheduler's queue, as
 * their controllers recreate them; the preemptor is then placed on the node they left (upstream
 * nominates it there, and its next cycle tries the nominated node first).
 */
final class Preemption {
    private static final int D = DemandTable.D;
    private static final int GPU = Resource.GPU.ordinal();

    private final PodStream stream;
    private final long[] demand;
    private final Nodes nodes;
    private final Pods pods;
    private final Scheduler scheduler;
    private final int[] groupPriority;
    private final int lowest;
    /** Per group whether its pods preempt (false for {@code preemptionPolicy: Never}, which PodEligibleToPreemptOthers refuses). */
    private final boolean[] groupPreempts;
    private final int[][] onNode = {new int[16]};
    /** A node's free amounts with the victims taken off. */
    private final long[] room = new long[D];
    private int[] victims = new int[16];
    private int victimCount;
    /** A node's GPU device loads with the victims' devices given back (empty when devices are not tracked). */
    private final int[] deviceRoom;
    /** The zone rules' what-if counts with the victims taken off; null when no zone rule applies. */
    private final int[] zoneMoves;
    /** The hostname rules' what-if counts with the victims taken off (negative); null when no group has such rules. */
    private final io.nodesizer.engine.ConflictCounts hostMoves;
    /** For the pod being placed: per group whether its pods are targets of the pod's required pod affinity on the hostname; null without it. */
    private boolean[] coTarget;
    /** The targets among the victims taken off the node being tried. */
    private int coTargetsOff;

    /** @param groupPriority per group its pods' priority (not null: pods differ in priority) */
    Preemption(PodStream stream, long[] demand, Nodes nodes, Pods pods, Scheduler scheduler, int[] groupPriority) {
        this.stream = stream;
        this.demand = demand;
        this.nodes = nodes;
        this.pods = pods;
        this.scheduler = scheduler;
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
        this.deviceRoom = new int[nodes.devicesStride];
        this.zoneMoves = scheduler.newZoneMoves();
        boolean hostRules = false;
        for (int g = 0; g < groupPriority.length; g++) {
            hostRules |= pods.present.tracks(g);
        }
        this.hostMoves = hostRules ? pods.present.emptyLike() : null;
        this.budgets = pods.budgets();
    }

    /** Chooses the node and the victims for {@code pod}; returns the node, or -1 when no preemption makes room. Victims: {@link #victim}. */
    int choose(int pod) {
        victimCount = 0;
        if (!mayPreempt(pod)) {
            return -1;
        }
        int group = stream.group(pod);
        int priority = groupPriority[group];
        int o = group * D;
        long gpu = demand[o + GPU];
        boolean affine = pods.coLocation != null && pods.coLocation.constrains(group);
        coTarget = null;
        if (affine) {
            coTarget = new boolean[groupPriority.length];
            for (int h : pods.coLocation.targets(group)) {
                coTarget[h] = true;
            }
        }
        int best = -1;
        io.nodesizer.kube.PreemptionVictims bestVictims = null;
        if (budgets != null) {
            allowed = pods.budgetAllowances(allowed); // every node's victims are counted against what the budgets allow now
        }
        for (int li = 0; li < nodes.liveCount; li++) {
            int node = nodes.live[li];
            if (nodes.state[node] != Cluster.READY || !scheduler.allowedOn(pod, nodes.pool[node])) {
                continue; // UnschedulableAndUnresolvable there: preemption does not try the node
            }
            coTargetsOff = 0;
            int n = pods.podsOnNode(node, onNode);
            int[] on = onNode[0];
            System.arraycopy(nodes.free, node * D, room, 0, D);
            for (int i = 0, j = n - 1; i < j; i++, j--) { // Pods lists a node's pods newest first: reversed, the earliest placed first
                int t = on[i];
                on[i] = on[j];
                on[j] = t;
            }
            boolean devices = gpu > 0 && deviceRoom.length > 0;
            if (devices) {
                System.arraycopy(nodes.deviceLoad, node * deviceRoom.length, deviceRoom, 0, deviceRoom.length);
            }
            int lower = 0;
            for (int i = 0; i < n; i++) {
                int p = on[i];
                if (groupPriority[stream.group(p)] < priority) {
                    take(p, node, -1, devices);
                    on[lower++] = p; // the potential victims, earliest placed first
                }
            }
            if (lower == 0) {
                continue;
            }
            if (!fits(pod, node, o, devices)) {
                for (int i = 0; i < lower; i++) {
                    take(on[i], node, 1, devices); // the what-if counts back as they were
                }
                continue;
            }
            // Most important first: higher priority, then the earlier placed among equals (MoreImportantPod's start time; a stable sort).
            sortByPriorityDescending(on, lower);
            if (picked.length < lower) {
                picked = new int[Math.max(lower, picked.length * 2)];
            }
            pickedCount = 0;
            io.nodesizer.kube.PreemptionVictims chosen = io.nodesizer.kube.PreemptionVictims.select(lower,
                    budgets == null ? null : breaking(on, lower), i -> groupPriority[stream.group(on[i])],
                    i -> reprieved(pod, on[i], node, o, devices), i -> picked[pickedCount++] = on[i]);
            int count = pickedCount;
            for (int i = 0; i < count; i++) {
                take(picked[i], node, 1, devices); // the what-if counts back as they were
            }
            if (chosen.before(bestVictims)) {
                bestVictims = chosen;
                best = node;
                if (victims.length < count) {
                    victims = new int[Math.max(count, victims.length * 2)];
                }
                System.arraycopy(picked, 0, victims, 0, count);
                victimCount = count;
            }
        }
        return best;
    }

    /** Whether {@code pod} may ever preempt: above the lowest priority, and not {@code preemptionPolicy: Never}. */
    boolean mayPreempt(int pod) {
        int group = stream.group(pod);
        return groupPriority[group] > lowest && groupPreempts[group];
    }

    /** The priority of {@code pod}. */
    int priority(int pod) {
        return groupPriority[stream.group(pod)];
    }

    /** How many victims the last {@link #choose} picked. */
    int victimCount() {
        return victimCount;
    }

    /** The {@code i}-th victim of the last {@link #choose}. */
    int victim(int i) {
        return victims[i];
    }

    /** Per candidate of the first {@code n} of {@code on} (most important first), whether its eviction would break a budget ({@link Budgets#breaking}). */
    private boolean[] breaking(int[] on, int n) {
        if (breaks.length < n) {
            breaks = new boolean[Math.max(n, breaks.length * 2)];
        }
        if (left.length < budgets.count()) {
            left = new int[budgets.count()];
        }
        budgets.breaking(stream, on, n, allowed, left, breaks);
        return breaks;
    }

    /** Puts candidate {@code p} back on {@code node}: whether {@code pod} still fits beside it (reprieved), else it is taken off again. */
    private boolean reprieved(int pod, int p, int node, int o, boolean devices) {
        take(p, node, 1, devices);
        if (fits(pod, node, o, devices)) {
            return true;
        }
        take(p, node, -1, devices);
        return false;
    }

    /** The victims of the node being tried, in the order they were chosen ({@link #pickedCount} of them). */
    private int[] picked = new int[16];
    private int pickedCount;

    /** The PodDisruptionBudgets covering pods, or null; and scratch for {@link #breaking}. */
    private final Budgets budgets;
    private int[] allowed = new int[0];
    private int[] left = new int[0];
    private boolean[] breaks = new boolean[0];

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

    /** Puts pod {@code p} of {@code node} back ({@code sign} 1) or takes it off (-1) in the what-if: its amounts, devices and the pod rules' counts. */
    private void take(int p, int node, int sign, boolean devices) {
        int offset = stream.group(p) * D;
        for (int r = 0; r < D; r++) {
            room[r] -= sign * demand[offset + r];
        }
        if (devices && demand[offset + GPU] > 0) {
            if (sign > 0) {
                GpuDevices.occupy(deviceRoom, 0, pods.devices(p), demand[offset + GPU]);
            } else {
                GpuDevices.release(deviceRoom, 0, pods.devices(p), demand[offset + GPU]);
            }
        }
        if (zoneMoves != null) {
            scheduler.zoneMove(zoneMoves, p, node, sign);
        }
        if (hostMoves != null) {
            hostMoves.add(node, stream.group(p), sign);
        }
        if (coTarget != null && coTarget[stream.group(p)]) {
            coTargetsOff -= sign;
        }
    }

    private boolean fits(int pod, int node, int offset, boolean devices) {
        for (int r = 0; r < D; r++) {
            if (demand[offset + r] > room[r]) {
                return false;
            }
        }
        int group = offset / D;
        if (devices && !GpuDevices.fits(deviceRoom, 0, nodes.gpuDevices(node), demand[offset + GPU])
                || hostMoves != null && !pods.present.admits(node, group, hostMoves)
                || !scheduler.zoneAdmits(node, pod, zoneMoves)) {
            return false;
        }
        if (coTarget == null) {
            return true;
        }
        io.nodesizer.engine.CoLocation co = pods.coLocation;
        return co.admits(group, co.targetsOn(group, node, pods.coRunning) - coTargetsOff,
                co.targetsAnywhere(group, pods.coRunning) - coTargetsOff);
    }
}

package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GroupCounts;
import io.nodesizer.engine.strategy.PreferenceScoring;
import io.nodesizer.engine.strategy.KubeScheduler;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The state of a replayed cluster: nodes (provisioning, ready, draining, removed), where every pod
 * runs, the scheduler's pending queue, and the integrals the metrics need. The scheduler places
 * one pod at a time as kube-scheduler does (NodeResourcesFit filter, most- or least-allocated
 * integer score, seeded tie-breaking, {@code percentageOfNodesToScore} sampling round-robin).
 * Autoscalers read it and act through {@link #requestNode} and {@link #drain}.
 *
 * <p>This class is the face the replay and the autoscalers see. The state lives in {@link Nodes},
 * {@link Pods} and {@link PendingQueue}, the node choice in {@link Scheduler}; what each event
 * and action does, in {@link ClusterEvents}, which keeps the {@link ReplayMetrics}. Primitive
 * arrays throughout: a replay handles millions of pod events.
 */
public final class Cluster {
    public static final byte PROVISIONING = 0;
    public static final byte READY = 1;
    public static final byte DRAINING = 2;
    public static final byte REMOVED = 3;

    static final byte POD_NOT_ARRIVED = 0;
    static final byte POD_RUNNING = 1;
    static final byte POD_PENDING = 2;
    static final byte POD_GONE = 3;
    static final byte POD_UNSCHEDULABLE = 4;

    private static final int D = DemandTable.D;

    private final PodStream stream;
    private final List<Pool> pools;
    private final long[] demand;
    private final Nodes nodes;
    private final Pods pods;
    private final PendingQueue pending;
    private final Scheduler scheduler;
    private final ClusterEvents events;
    private final TopologyRules zoneRules;
    private final List<String> zoneNames;
    /** Check the shortcuts against plain computations (tests: {@code -Dnodesizer.checkScores=true}); read once per replay. */
    private final boolean checks = Boolean.getBoolean("nodesizer.checkScores");

    Cluster(PodStream stream, List<Pool> pools, boolean[] schedulableGroup, EventQueue queue, ProvisionDelay delay,
            long drainDelay, SplittableRandom random, KubeScheduler.Scoring scoring, boolean warmStart, int zones,
            List<String> zoneNames, boolean[] keepsNode, Budgets budgets, boolean[] zoneCounted) {
        this.stream = stream;
        this.pools = List.copyOf(pools);
        DemandTable table = stream.table();
        this.demand = new long[table.groupCount() * D];
        for (int g = 0; g < table.groupCount(); g++) {
            for (int r = 0; r < D; r++) {
                demand[g * D + r] = table.demand(g, r);
            }
        }
        // zoneCounted: the groups the autoscaler's own simulation counts per zone (Autoscaler.zoneCounted), null for none.
        TopologyRules spread = TopologyRules.of(table, this.pools, zones, zoneNames, zoneCounted);
        this.zoneRules = spread;
        this.zoneNames = zoneNames;
        this.nodes = new Nodes(this.pools, demand, table.flatScoring(), queue, delay, drainDelay, random, warmStart, zones, spread);
        // The scheduler profiles also score preferences; their counts are kept as pods start and stop.
        PreferenceScoring preferences = scoring.profile()
                ? PreferenceScoring.of(table, this.pools.stream().map(Pool::shape).toList(), zones) : null;
        GroupCounts counts = preferences == null ? null : new GroupCounts(preferences.counted(), zones);
        nodes.countLevels = CountLevels.of(preferences, counts, table.groupCount());
        this.pods = new Pods(stream, demand, nodes, spread, counts, zoneNames, keepsNode, budgets);
        this.scheduler = new Scheduler(stream, this.pools, demand, nodes, pods.present, spread, scoring, random, preferences, counts,
                pods.coLocation, pods.coRunning);
        this.groupPriority = priorities(table);
        this.pending = new PendingQueue(stream, demand, pods, scheduler, groupPriority);
        Preemption preemption = groupPriority != null ? new Preemption(stream, demand, nodes, pods, scheduler, groupPriority) : null;
        this.events = new ClusterEvents(stream, schedulableGroup, nodes, pods, pending, scheduler, spread, preemption, queue);
        events.daemonSetHolds(daemonSetsOn(io.nodesizer.replay.autoscale.DrainRules::karpenterDrainHeldBy));
    }

    /** Per pool how many of the DaemonSets that {@code which} picks run on its nodes (by their node selectors, affinity, tolerations). */
    public int[] daemonSetsOn(java.util.function.Predicate<io.nodesizer.model.DaemonSetSpec> which) {
        List<io.nodesizer.model.DaemonSetSpec> picked = stream.table().daemonSets().stream().filter(which).toList();
        int[] out = new int[pools.size()];
        for (int p = 0; p < out.length && !picked.isEmpty(); p++) {
            out[p] = io.nodesizer.kube.DaemonSetPlacement.on(pools.get(p).shape(), picked, zoneNames).placed().size();
        }
        return out;
    }

    /** Per group its pods' priority ({@link io.nodesizer.model.PodGroup#priority}); null when every pod's is 0 (the usual input). */
    private final int[] groupPriority;

    private static int[] priorities(DemandTable table) {
        int[] out = new int[table.groupCount()];
        boolean any = false;
        for (int g = 0; g < out.length; g++) {
            out[g] = table.group(g).priority();
            any |= out[g] != 0;
        }
        return any ? out : null;
    }

    /** Whether some pod has a priority other than 0: checked once, so that inputs without priorities take none of its paths. */
    public boolean hasPriorities() {
        return groupPriority != null;
    }

    /** {@code pod}'s priority (0 for every pod when {@link #hasPriorities} is false). */
    public int priority(int pod) {
        return groupPriority == null ? 0 : groupPriority[stream.group(pod)];
    }

    // ---------------------------------------------------------------- reading

    public List<Pool> pools() {
        return pools;
    }

    public PodStream stream() {
        return stream;
    }

    public long now() {
        return events.now();
    }

    /** Increases on every change the autoscaler could react to. */
    public long version() {
        return events.version();
    }

    public int nodeCount() {
        return nodes.count;
    }

    /** How many nodes are not removed yet (provisioning, ready or draining). */
    public int liveCount() {
        return nodes.liveCount;
    }

    /** The {@code i}-th node not removed yet, in increasing node order. */
    public int liveNode(int i) {
        return nodes.live[i];
    }

    public byte state(int node) {
        return nodes.state[node];
    }

    /**
     * Puts Cluster Autoscaler's soft taint ({@code DeletionCandidateOfClusterAutoscaler:PreferNoSchedule}) on {@code node},
     * or takes it off: the scheduler's TaintToleration score then puts the node after those without it for every pod
     * that does not tolerate it, in the scheduler profiles (not with NodeResourcesFit alone).
     */
    public void softTaint(int node, boolean on) {
        nodes.softTaint(node, on);
    }

    /** The first node from {@code from} on with Cluster Autoscaler's soft taint ({@link #softTaint}), or -1. */
    public int nextSoftTainted(int from) {
        return nodes.nextSoftTainted(from);
    }

    /** Whether {@code node} has Cluster Autoscaler's soft taint ({@link #softTaint}). */
    public boolean softTainted(int node) {
        return nodes.softTainted(node);
    }

    /** Changes of any node's {@link #state} so far: equal counts, equal states. */
    public long nodeStateChanges() {
        return nodes.stateChanges;
    }

    public int pool(int node) {
        return nodes.pool[node];
    }

    /** {@code pool}'s provisioning and ready nodes: the node group's size as the autoscalers count it. */
    public int groupSize(int pool) {
        return nodes.groupSize[pool];
    }

    /** Zones the pools are spread over (1: zones are not modelled). */
    public int zones() {
        return nodes.zones;
    }

    /**
     * Of the zones whose bit is set in {@code allowed}, the one with the fewest in {@code counts}
     * (from {@code base}), the first of those on a tie (how a node group balances its nodes over
     * zones); -1 when none is allowed.
     */
    public static int fewestIn(int[] counts, int base, int zones, long allowed) {
        int best = -1;
        for (int z = 0; z < zones; z++) {
            if ((allowed >>> z & 1) != 0 && (best < 0 || counts[base + z] < counts[base + best])) {
                best = z;
            }
        }
        return best;
    }

    /** Why no node in any zone ever admits the group's pods (the zone rules; see {@link TopologyRules#neverAdmitted}), or null. */
    String neverAdmitted(int group) {
        return zoneRules == null ? null : zoneRules.neverAdmitted(group, zoneNames);
    }

    /** Whether some group's pod affinity on the hostname, the zone or another key targets other pods. */
    public boolean hasDomainTargets() {
        return pods.coLocation != null || zoneRules != null && zoneRules.anyTarget();
    }

    /**
     * Whether the pod has required pod affinity or anti-affinity on a key other than the hostname
     * and the zone, whose domains are the pools' label values: which pool a new node is of decides
     * whether it may take the pod.
     */
    public boolean poolBound(int pod) {
        return zoneRules != null && zoneRules.poolBound(stream.group(pod));
    }

    /**
     * Whether some pod is bound to zones ({@link #zoneBound}): the autoscalers then choose the
     * zones of new nodes for such pods.
     */
    public boolean hasZoneBoundPods() {
        return zoneRules != null && zoneRules.anyBound();
    }

    /** The live nodes of {@code pool} in {@code zone}; 0 when zones are not modelled. */
    public int liveIn(int pool, int zone) {
        return nodes.liveIn(pool, zone);
    }

    /**
     * Whether the pod is bound to zones: pod affinity or anti-affinity on the zone, or a node
     * selector or node affinity naming zones, so that a new node in another zone never takes it
     * (a spread over zones alone does not bind it: its admitted zones change as pods come and go).
     */
    public boolean zoneBound(int pod) {
        return zoneRules != null && zoneRules.bound(stream.group(pod));
    }

    /**
     * Whether the zone rules let the pod go to a new node of {@code pool} in {@code zone}, by the
     * pods running now changed by the what-if moves {@code moved} ({@link #newZoneMoves()}, or null).
     */
    public boolean zoneAdmitsIn(int pool, int zone, int pod, int[] moved) {
        return scheduler.zoneAdmitsIn(pool, zone, pod, moved);
    }

    /**
     * As {@link #zoneAdmitsIn}, as Karpenter's scheduler asks it of a new NodeClaim: a spread over the zones counts every
     * zone its pods' node affinity admits as a domain, whether or not a node runs there yet (kube-scheduler: the zones with
     * a ready node).
     */
    public boolean claimAdmitsIn(int pool, int zone, int pod, int[] moved) {
        return scheduler.claimAdmitsIn(pool, zone, pod, moved);
    }

    /**
     * The running pods of {@code pod}'s group in {@code zone}, changed by the what-if moves {@code moved} (null: none), as
     * its zone spread counts them; 0 when its pods are not counted per zone.
     */
    public int zoneRunning(int pod, int zone, int[] moved) {
        return scheduler.zoneRunning(pod, zone, moved);
    }

    /**
     * The running pods of {@code group} in {@code zone}, changed by the what-if moves {@code moved} (null: none); 0 when its
     * pods are not counted per zone (no zone rule selects them, nor the autoscaler's {@code Autoscaler.zoneCounted}).
     */
    public int zoneCount(int group, int zone, int[] moved) {
        return scheduler.zoneCount(group, zone, moved);
    }

    /**
     * Records in {@code moved} that {@code pod} would start ({@code delta} 1) or stop (-1) running
     * on a new node of {@code pool} (-1: not chosen yet, so pod rules on keys that differ by pool
     * do not count it) in {@code zone}.
     */
    public void zoneMoveIn(int[] moved, int pod, int pool, int zone, int delta) {
        scheduler.zoneMoveIn(moved, pod, pool, zone, delta);
    }

    /** The zone index of {@code node}, from 0; -1 when zones are not modelled. */
    public int zone(int node) {
        return nodes.zone == null ? -1 : nodes.zone[node];
    }

    /** The zones' names, or null when they are only counted. */
    public List<String> zoneNames() {
        return zoneNames;
    }

    /** Whether {@code node} runs a pod that keeps it from the autoscaler's scale-down ({@code Autoscaler.keepsNode}). */
    public boolean kept(int node) {
        return pods.kept(node);
    }

    /** Whether PodDisruptionBudgets among the inputs cover some of the pods (the autoscalers then weigh them before evicting). */
    public boolean hasBudgets() {
        return pods.hasBudgets();
    }

    /** Into {@code into} (a new array when too short) the evictions each budget allows now; returns the array. */
    public int[] budgetAllowances(int[] into) {
        return pods.budgetAllowances(into);
    }

    /**
     * The first budget covering a pod on {@code node} with less than one eviction left in {@code remaining}
     * ({@link #budgetAllowances}, less what earlier removals took), or -1: CA's PodDisruptionBudget drainability rule
     * ({@code NotEnoughPdb}), which a pod annotated safe-to-evict "true" never reaches, nor one of a priority below
     * {@code unaskedBelow} (an expendable pod: out of CA's snapshot, so out of its drainability rules).
     */
    public int blockingBudget(int node, int[] remaining, int unaskedBelow) {
        return pods.blockingBudget(node, remaining, true, unaskedBelow);
    }

    /** Counts a Cluster Autoscaler loop whose scale-down reset ({@link ReplayResult.BudgetedDrains#scaleDownResets}). */
    public void countScaleDownReset() {
        events.metrics.countScaleDownReset();
    }

    /** Counts a removal that budget {@code b} held back ({@link ReplayResult#budgetHolds}). */
    public void countBudgetHold(int b) {
        events.metrics.countBudgetHold(pods.budgetName(b));
    }

    /**
     * Takes the covered pods on {@code node} from the evictions left in {@code remaining} ({@code RemainingPdbTracker.RemovePods}),
     * not those below {@code unaskedBelow} (see {@link #blockingBudget}).
     */
    public void takeBudgets(int node, int[] remaining, int unaskedBelow) {
        pods.takeBudgets(node, remaining, unaskedBelow);
    }

    /** Whether a pod on {@code node} is covered by a budget that allows no eviction now. */
    public boolean budgetBlocked(int node) {
        return pods.budgetBlocked(node);
    }

    public int podsOn(int node) {
        return nodes.podsOn[node];
    }

    /** Free pod capacity of {@code node} on resource index {@code r}. */
    public long free(int node, int r) {
        return nodes.free[node * D + r];
    }

    public long requestedAt(int node) {
        return nodes.requestedAt[node];
    }

    public long lastPodChange(int node) {
        return nodes.lastPodChange[node];
    }

    /** Whether nodes requested now are part of the cluster the run starts with (ready at once). */
    public boolean warm() {
        return nodes.warm(events.now());
    }

    /** Nodes that are billed: provisioning, ready or draining. */
    public int billedNodes() {
        return nodes.billed;
    }

    public int provisioningNodes() {
        return nodes.provisioning;
    }

    public int readyNodes() {
        return nodes.readyCount;
    }

    public int pendingCount() {
        return pending.count();
    }

    /** When the pending {@code pod} became pending: its arrival, or its eviction, when its replacement would be created. */
    public long pendingSince(int pod) {
        return pending.since(pod);
    }

    /**
     * The pod whose preemption evicted the pending {@code pod}, where its pending spell began with that, else -1: an
     * autoscaler that launches for a victim launches for its preemptor's want of room.
     */
    public int preemptorOf(int pod) {
        return events.preemptorOf(pod);
    }

    /** When a pod last became pending, or -1. */
    public long lastPendingAdded() {
        return pending.lastAdded();
    }

    /** How many drains PodDisruptionBudgets (or do-not-disrupt) hold now: their nodes still run pods. */
    public int heldDrains() {
        return events.heldDrains();
    }

    /** The nodes whose drains PodDisruptionBudgets (or do-not-disrupt) hold now, in node order. */
    public int[] heldDrainNodes() {
        return events.heldDrainNodes();
    }

    /**
     * The pods still on the nodes whose drains PodDisruptionBudgets (or do-not-disrupt) hold, in node order, into
     * {@code out} (grown as needed); returns the count: the autoscaler draining them treats them as pods to place.
     */
    public int podsOnHeldDrains(int[][] out) {
        return events.podsOnHeldDrains(out);
    }

    /** The pods on {@code node}, into {@code out} (grown as needed); returns the count. */
    public int podsOnNode(int node, int[][] out) {
        return pods.podsOnNode(node, out);
    }

    /**
     * The pods on {@code node} in the order a drain evicts them (with pods bound to zones: their
     * targets, then they, then the rest; {@link TopologyRules#evictionPass}), into {@code out}
     * (grown as needed); returns the count. The autoscalers' drains then requeue them in their own rank order (largest
     * first), which is the order the scheduler meets them in.
     */
    public int podsInEvictionOrder(int node, int[][] out) {
        return pods.inEvictionOrder(node, out);
    }

    /** The pending pods in queue order, into {@code out} (grown as needed); returns the count. */
    public int pendingPods(int[][] out) {
        return pending.pendingPods(out);
    }

    /** The demand rows, stride {@link DemandTable#D}; a pod's row starts at {@link #offset(int)}. */
    public long[] demand() {
        return demand;
    }

    /**
     * Per group, its place in a queue of pods largest first: decreasing CPU, then memory; equal requests share a rank.
     * Karpenter's provisioner queues pods so, and both autoscalers' drains requeue their evicted pods in it (made once: the
     * groups' requests do not change during a run). Not to be mutated.
     */
    public int[] largestFirstRanks() {
        if (largestFirst == null) {
            largestFirst = largestFirstRanks(demand);
        }
        return largestFirst;
    }

    private int[] largestFirst;

    /** {@link #largestFirstRanks()} for the groups of {@code demand} (stride {@link DemandTable#D}). */
    static int[] largestFirstRanks(long[] demand) {
        int d = DemandTable.D;
        int groups = demand.length / d;
        int cpu = io.nodesizer.model.Resource.CPU.ordinal();
        int mem = io.nodesizer.model.Resource.MEMORY.ordinal();
        Integer[] order = new Integer[groups];
        for (int g = 0; g < groups; g++) {
            order[g] = g;
        }
        java.util.Comparator<Integer> byQueue = (a, b) -> {
            int c = Long.compare(demand[b * d + cpu], demand[a * d + cpu]);
            return c != 0 ? c : Long.compare(demand[b * d + mem], demand[a * d + mem]);
        };
        java.util.Arrays.sort(order, byQueue);
        int[] rank = new int[groups];
        for (int i = 0; i < groups; i++) {
            rank[order[i]] = i > 0 && byQueue.compare(order[i - 1], order[i]) == 0 ? rank[order[i - 1]] : i;
        }
        return rank;
    }

    public int offset(int pod) {
        return stream.group(pod) * D;
    }

    /** GPU device slots per node in device-load copies (0 when no pod requests GPUs). */
    public int deviceStride() {
        return nodes.devicesStride;
    }

    /** GPU devices of {@code node} for pods (0 when devices are not tracked). */
    public int gpuDevices(int node) {
        return nodes.gpuDevices(node);
    }

    /** Copies {@code node}'s device loads (thousandths, {@link #deviceStride} entries) into {@code into} at {@code at}. */
    public void copyDeviceLoads(int node, int[] into, int at) {
        System.arraycopy(nodes.deviceLoad, node * nodes.devicesStride, into, at, nodes.devicesStride);
    }

    /**
     * The ready nodes' free capacity in node order, for what-if placements that are undone
     * afterwards; the cluster keeps it up to date once asked for.
     */
    public WhatIfCapacity whatIf() {
        return nodes.whatIf();
    }

    /** Whether {@code node}'s free capacity holds the pod's request, on its GPU devices too. */
    public boolean fits(int node, int pod) {
        return scheduler.fits(node, pod);
    }

    /** Whether the pod rules alone admit the pod on {@code node}, its pool and amounts aside ({@link Scheduler#podRulesAdmit}). */
    boolean podRulesAdmit(int node, int pod) {
        return scheduler.podRulesAdmit(node, pod);
    }

    /** Per group, the groups whose pods it may not share a node with (null: none at all). Not to be mutated. */
    public int[][] conflicts() {
        return pods.conflicts();
    }

    /** Per group in its own conflict list, how many of its pods one node may hold (null: no conflicts). Not to be mutated. */
    public int[] caps() {
        return pods.caps();
    }

    /** The hard hostname spreads' floors over the ready nodes (the scheduler's fewest), or null when no workload has one. */
    public io.nodesizer.engine.HostnameFloors floors() {
        return pods.floors();
    }

    /** The shared hostname spreads the scheduler checks (its what-if simulations count with them), or null. */
    public io.nodesizer.engine.SharedSpreads sharedSpreads() {
        return pods.present.shared();
    }

    /**
     * Whether the shared hostname spreads of {@code group} admit one more of its pods on {@code node},
     * with a simulation's moves {@code plus} (counts over the same spreads) added to the running pods.
     */
    public boolean sharedAdmits(int node, int group, io.nodesizer.engine.ConflictCounts plus) {
        return pods.present.sharedAdmits(node, group, plus);
    }

    /** As above, against {@code floors} (a what-if simulation's view of the hostname spreads' fewest). */
    public boolean sharedAdmits(int node, int group, io.nodesizer.engine.ConflictCounts plus, io.nodesizer.engine.ConflictCounts.Floors floors) {
        return pods.present.sharedAdmits(node, group, plus, floors);
    }

    /**
     * Required pod affinity on the hostname (co-location), or null when no group has it: the
     * autoscalers' what-if placements ask it with the target pods they count ({@link #coTargetsOn},
     * {@link #coTargetsAnywhere}) plus their own.
     */
    public io.nodesizer.engine.CoLocation coLocation() {
        return pods.coLocation;
    }

    /** Running target pods of {@code group}'s required pod affinity on {@code node}. */
    public int coTargetsOn(int group, int node) {
        return pods.coLocation.targetsOn(group, node, pods.coRunning);
    }

    /** The running pods of {@code group}, on any node (draining ones too). */
    public int running(int group) {
        return pods.running(group);
    }

    /** Running target pods of {@code group}'s required pod affinity in the whole cluster. */
    public int coTargetsAnywhere(int group) {
        return pods.coLocation.targetsAnywhere(group, pods.coRunning);
    }

    /**
     * How many of its own pods one node may hold now, for a group in its own conflict list: its cap,
     * above its hostname spread's fewest on a node of the cluster (kube-scheduler's minMatchNum).
     */
    public int selfLimit(int group) {
        return pods.present.limit(group);
    }

    /** Running pods of {@code group} on {@code node}, counted only for groups in a conflict. */
    public int presentOn(int node, int group) {
        return pods.present.count(node, group);
    }

    /** The pod group numbered {@code group} (a pod's is {@code offset(pod) / D}). */
    public io.nodesizer.model.PodGroup group(int group) {
        return stream.table().group(group);
    }

    /**
     * Whether the zone rules (hard spread over zones, pod (anti-)affinity on the zone, node
     * selectors naming zones) let the pod go to {@code node}'s zone, by the pods running now
     * changed by the what-if moves {@code moved} ({@link #newZoneMoves()}, or null); always when no
     * rule applies. For a provisioning node, as if it were ready.
     */
    /** Whether a zone rule applies to {@code group} at all (otherwise {@link #zoneAdmits} always admits its pods). */
    public boolean zoneConstrains(int group) {
        return zoneRules != null && zoneRules.constrains(group);
    }

    public boolean zoneAdmits(int node, int pod, int[] moved) {
        return scheduler.zoneAdmits(node, pod, moved);
    }

    /** Zeroed what-if moves for {@link #zoneAdmits}, or null when no zone rule applies. */
    public int[] newZoneMoves() {
        return scheduler.newZoneMoves();
    }

    /** Records in {@code moved} (from {@link #newZoneMoves()}) that {@code pod} would start ({@code delta} 1) or stop (-1) running on {@code node}. */
    public void zoneMove(int[] moved, int pod, int node, int delta) {
        scheduler.zoneMove(moved, pod, node, delta);
    }

    /**
     * Whether only the free amounts decide where any pod may go: every pool takes every group, no
     * pod repels another, no zone or hostname spread, no required pod affinity, no GPUs. A what-if
     * placement is then first fit on the amounts alone, with nothing to ask but the what-if
     * capacity (CA's unneeded pass and Karpenter's consolidation tries then skip {@code Headroom}'s rule checks: {@code autoscale.PlainMoves}).
     */
    public boolean amountsAlone() {
        return scheduler.allPlain();
    }

    /** Whether the pod may use the GPUs of pool {@code pool} (its GPU model; always for pods without GPUs). */
    public boolean allowedOn(int pod, int pool) {
        return scheduler.allowedOn(pod, pool);
    }

    /**
     * Whether the autoscalers' what-if placements check their shortcuts against plain searches
     * (tests: {@code -Dnodesizer.checkScores=true}), as read when the replay began.
     */
    public boolean checks() {
        return checks;
    }

    /** Fraction of the node's allocatable its pods and DaemonSets request: the larger of CPU and memory; its GPUs' on a GPU node. */
    public double utilisation(int node) {
        return nodes.utilisation(node);
    }

    /** {@link #utilisation} without {@code lessCpu} millicores, {@code lessMem} bytes and {@code lessGpu} thousandths of its requests. */
    public double utilisation(int node, long lessCpu, long lessMem, long lessGpu) {
        return nodes.utilisation(node, lessCpu, lessMem, lessGpu);
    }

    /** Whether {@code node}'s pool has GPUs: CA judges its utilisation by them alone. */
    public boolean hasGpus(int node) {
        return nodes.hasGpus(node);
    }

    /** Whether some pod's priority is below {@code cutoff}. */
    public boolean anyPriorityBelow(int cutoff) {
        if (groupPriority != null) {
            for (int p : groupPriority) {
                if (p < cutoff) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The first ready node numbered {@code from} or more whose {@link #utilisation} is below
     * {@code threshold} ({@code gpuThreshold} on a node with GPUs), or -1; in increasing order, as {@link #liveNode} lists them. Tracked as
     * nodes change from the first call on, so that a scan costs the nodes it finds.
     */
    public int nextUnderUtilised(int from, double threshold, double gpuThreshold) {
        return nodes.nextUnderUtilised(from, threshold, gpuThreshold);
    }

    // ---------------------------------------------------------------- autoscaler actions

    /**
     * Asks for a node of {@code pool}, in the zone with the fewest of its live nodes; it is billed
     * from now and ready after the provisioning delay.
     */
    public int requestNode(int pool) {
        return events.requestNode(pool, -1);
    }

    /** As {@link #requestNode(int)}, in {@code zone} (-1: the pool's zone with the fewest of its live nodes). */
    public int requestNode(int pool, int zone) {
        return events.requestNode(pool, zone);
    }

    /** A node that exists and is ready when the run starts (a fixed cluster); not a scale-up. */
    public int addInitialNode(int pool) {
        return events.addInitialNode(pool);
    }

    /**
     * Takes {@code node} away without asking PodDisruptionBudgets (the cloud's own termination): its pods are
     * evicted at once (their controllers recreate them and they go back to the scheduler), and the node is removed
     * after the drain delay. A node still provisioning is cancelled at once.
     */
    public void drain(int node) {
        events.drain(node, null);
    }

    /**
     * Cordons and drains {@code node} through the eviction API, as an autoscaler does: its pods are evicted (their
     * controllers recreate them and they go back to the scheduler at once) but those whose PodDisruptionBudgets refuse
     * it now, which stay and are tried again as {@code retry} says; the node is removed the drain delay after its last
     * pod is gone, or, when {@code retry} gives up, is uncordoned with the pods it kept. A node still provisioning is
     * cancelled at once.
     */
    public void drain(int node, EvictionRetry retry) {
        events.drain(node, java.util.Objects.requireNonNull(retry));
    }

    /**
     * As {@link #drain(int, EvictionRetry)}, the pods evicted in the order of {@code groupRank} (per group, lower first,
     * then by pod), after the pods bound to zones and their targets (every autoscaler's drains put those first): the
     * order of the autoscaler's own what-if apart from those, so that the scheduler's queue meets them as it placed them.
     */
    public void drain(int node, EvictionRetry retry, int[] groupRank) {
        drainAll(new int[] {node}, retry, groupRank);
    }

    /**
     * As {@link #drain(int, EvictionRetry, int[])} for the nodes of one command at once: their pods go back to the
     * scheduler together, in one rank order.
     */
    public void drainAll(int[] drained, EvictionRetry retry, int[] groupRank) {
        events.drainAll(drained, java.util.Objects.requireNonNull(retry), java.util.Objects.requireNonNull(groupRank));
    }

    // ---------------------------------------------------------------- events (from the replay)

    void advanceTo(long t) {
        events.advanceTo(t);
    }

    void onNodeRequested(int node) {
        events.onNodeRequested(node);
    }

    void onNodeReady(int node) {
        events.onNodeReady(node);
    }

    void onNodeRemoved(int node) {
        events.onNodeRemoved(node);
    }

    void onEvictionRetry(int node, long drainStart) {
        events.onEvictionRetry(node, drainStart);
    }

    void onPodArrives(int pod) {
        events.onPodArrives(pod);
    }

    void onPodLeaves(int pod) {
        events.onPodLeaves(pod);
    }

    void onRequeue() {
        events.onRequeue();
    }

    /** After all events of an instant: pending pods get another chance if capacity appeared. */
    void endOfInstant() {
        events.endOfInstant();
    }

    /** Whether the run goes on past {@code t}, the trace's work not done ({@link ClusterEvents#workLeft}). */
    boolean workLeft(long t, boolean beforeInstant, long lastLoop) {
        return events.workLeft(t, beforeInstant, lastLoop);
    }

    /** The run time the trace ran to completion that its pods had not run by now ({@link ClusterEvents#unrunPodSeconds}). */
    Long unrunPodSeconds() {
        return events.unrunPodSeconds();
    }

    // ---------------------------------------------------------------- results

    /**
     * Re-derives every node's load from the pods on it and checks what must always hold: no node
     * over its allocatable on any resource, pods only on ready nodes, every arrived pod running,
     * pending, gone or unschedulable, and the counters agreeing. A failure is a bug.
     */
    /** The run ends at the clock's time: what is still under way is counted ({@link ClusterEvents#finish}). */
    void finish() {
        events.finish();
    }

    void verify() {
        pods.verify(pending.count());
        events.metrics.verify();
    }

    /** What the replay measured so far. */
    ReplayMetrics metrics() {
        return events.metrics;
    }

    long requestedCpu() {
        return nodes.requestedCpu;
    }

    long requestedMem() {
        return nodes.requestedMem;
    }

    long allocCpu() {
        return nodes.allocCpu;
    }

    long allocMem() {
        return nodes.allocMem;
    }

    long requestedGpu() {
        return nodes.requestedGpu;
    }

    long allocGpu() {
        return nodes.allocGpu;
    }

    byte podState(int pod) {
        return pods.state(pod);
    }

    /** Pending seconds of {@code pod} so far, counting an open pending spell up to now. */
    long pendingSeconds(int pod) {
        return pending.seconds(pod, events.now());
    }

    /** Whether {@code pod} was deleted while pending, before a node took it. */
    boolean deletedWhilePending(int pod) {
        return pending.deletedWhilePending(pod);
    }

    long removedAt(int node) {
        return nodes.removedAt[node];
    }
}

package io.nodesizer.sweep;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;

import java.util.List;

/**
 * What packing a workload onto one shape costs and wastes, from the best strategy tried. Holds
 * numbers only (no per-pod arrays), so a sweep over hundreds of shapes stays small.
 *
 * @param pricePerHourUsd    per node, {@code null} when unknown
 * @param strandedCpuMillis  free CPU on nodes where another resource is exhausted (no remaining pod
 *                           could use it)
 * @param strandedMemoryBytes likewise for memory
 * @param tried              every strategy run, in registry order, then the optimizer's stages
 * @param optimized          the optimizer ran on this shape (its stages are in {@code tried})
 * @param sizing             the HA rules that sized {@code nodes} beyond the packing, null for the bare packing
 * @param packingOf          the shape whose packing this one holds, null for its own: a shape whose nodes offer at least a
 *                           dominated shape's allocatable on every resource (same GPUs, pods admitted alike) holds that
 *                           shape's packing where it has fewer nodes than its own ({@link DominatedPackings}); its
 *                           {@code strategy} is then that packing's, {@code tried} and {@code optimized} its own runs'
 * @param daemonSetsByZone   per named zone (in --zones order), the DaemonSets on its nodes where the packing charged them
 *                           zone by zone ({@link io.nodesizer.engine.PackingProblem#zoneLoads()}); empty where every node
 *                           carries {@code daemonSetLoad} (then the heaviest zone's load)
 */
public record ShapeEvaluation(NodeShape shape, String strategy, int pods, int nodes, LowerBound lowerBound,
                              List<UnschedulableGroup> unschedulable,
                              Resources daemonSetLoad, Resources workloadRequests, double cpuUtilization,
                              double memoryUtilization, long strandedCpuMillis, long strandedMemoryBytes,
                              List<StrategyRun> tried, long elapsedNanos, boolean optimized, HaSizing.Sized sizing, String packingOf,
                              java.util.SequencedMap<String, Resources> daemonSetsByZone) {

    /** Its own packing or another's ({@code packingOf}), one DaemonSet load on every node. */
    public ShapeEvaluation(NodeShape shape, String strategy, int pods, int nodes, LowerBound lowerBound, List<UnschedulableGroup> unschedulable,
                           Resources daemonSetLoad, Resources workloadRequests, double cpuUtilization, double memoryUtilization,
                           long strandedCpuMillis, long strandedMemoryBytes, List<StrategyRun> tried, long elapsedNanos, boolean optimized,
                           HaSizing.Sized sizing, String packingOf) {
        this(shape, strategy, pods, nodes, lowerBound, unschedulable, daemonSetLoad, workloadRequests, cpuUtilization, memoryUtilization,
                strandedCpuMillis, strandedMemoryBytes, tried, elapsedNanos, optimized, sizing, packingOf, new java.util.LinkedHashMap<>());
    }

    /** Its own packing, perhaps sized by HA rules. */
    public ShapeEvaluation(NodeShape shape, String strategy, int pods, int nodes, LowerBound lowerBound, List<UnschedulableGroup> unschedulable,
                           Resources daemonSetLoad, Resources workloadRequests, double cpuUtilization, double memoryUtilization,
                           long strandedCpuMillis, long strandedMemoryBytes, List<StrategyRun> tried, long elapsedNanos, boolean optimized,
                           HaSizing.Sized sizing) {
        this(shape, strategy, pods, nodes, lowerBound, unschedulable, daemonSetLoad, workloadRequests, cpuUtilization, memoryUtilization,
                strandedCpuMillis, strandedMemoryBytes, tried, elapsedNanos, optimized, sizing, null);
    }

    /** A bare packing: nodes as packed, no control plane. */
    public ShapeEvaluation(NodeShape shape, String strategy, int pods, int nodes, LowerBound lowerBound, List<UnschedulableGroup> unschedulable,
                           Resources daemonSetLoad, Resources workloadRequests, double cpuUtilization, double memoryUtilization,
                           long strandedCpuMillis, long strandedMemoryBytes, List<StrategyRun> tried, long elapsedNanos, boolean optimized) {
        this(shape, strategy, pods, nodes, lowerBound, unschedulable, daemonSetLoad, workloadRequests, cpuUtilization, memoryUtilization,
                strandedCpuMillis, strandedMemoryBytes, tried, elapsedNanos, optimized, null);
    }

    /** The nodes the packing uses (before HA headroom). */
    public int packedNodes() {
        return sizing == null ? nodes : sizing.packedNodes();
    }

    /** The control plane's cost per hour (0 without one). */
    private double controlPlaneCost() {
        return sizing == null || sizing.controlPlane() == null ? 0 : sizing.controlPlane().costPerHour();
    }

    /** Hours in a month as cloud price sheets count them (365 × 24 / 12). */
    public static final double HOURS_PER_MONTH = 730.0;

    public ShapeEvaluation {
        unschedulable = unschedulable instanceof NeverPlaced ? unschedulable : List.copyOf(unschedulable); // NeverPlaced: immutable
        tried = List.copyOf(tried);
        daemonSetsByZone = java.util.Collections.unmodifiableSequencedMap(new java.util.LinkedHashMap<>(daemonSetsByZone));
    }

    /**
     * One strategy or optimizer stage: the nodes of its packing, null when it gave up without one or did not run;
     * {@code skipped} says why it did not run (null when it ran), so that {@code strategy} stays the stage's name.
     */
    public record StrategyRun(String strategy, Integer nodes, long elapsedNanos, String skipped) {
        /** A stage that ran. */
        public StrategyRun(String strategy, Integer nodes, long elapsedNanos) {
            this(strategy, nodes, elapsedNanos, null);
        }

        /** A stage that did not run, and why. */
        public static StrategyRun skipped(String strategy, long elapsedNanos, String why) {
            return new StrategyRun(strategy, null, elapsedNanos, why);
        }
    }

    /**
     * Pods of a group left unplaced, with the reason: every replica of a group that fits no node
     * of this shape, or the replicas from {@code firstReplica} on that a placement rule (required
     * pod affinity) left out.
     */
    public record UnschedulableGroup(PodGroup group, String reason, int firstReplica) {
        /** The whole group. */
        public UnschedulableGroup(PodGroup group, String reason) {
            this(group, reason, 0);
        }

        /** The pods left unplaced. */
        public int pods() {
            return group.replicas() - firstReplica;
        }
    }

    public int unschedulableCount() {
        if (unschedulable instanceof NeverPlaced never) {
            return never.pods(); // without wording every reason: the ranking asks this on each comparison
        }
        int n = 0;
        for (UnschedulableGroup u : unschedulable) {
            n += u.pods();
        }
        return n;
    }

    /**
     * The packing's gap to its lower bound (HA headroom is not a packing gap); NaN where the shape holds no pod while pods
     * are left out: no packing, so no gap (review 67: "gap 0.0 %" beside nothing placed; n/a in text, null in JSON).
     */
    public double gapPercent() {
        return holdsNothing() ? Double.NaN : lowerBound.gapPercent(packedNodes());
    }

    /** Whether {@link #nodes} was sized to survive the loss of a node or a zone (then it has a bound of its own). */
    public boolean sizedToSurvive() {
        return sizing != null && sizing.rules().survive() != HaSizing.Survive.NONE;
    }

    /**
     * The fewest nodes any layout that survives as {@link #nodes} was sized to can have ({@link
     * HaSizing#lowerBound}); the packing's bound when not {@link #sizedToSurvive}.
     */
    public int haLowerBound() {
        return sizedToSurvive() ? HaSizing.lowerBound(lowerBound.value(), packedNodes(), sizing.zonesLeftBound(), sizing.rules())
                : lowerBound.value();
    }

    /** {@link #nodes} over {@link #haLowerBound}, in percent: how far the HA sizing may be from the least that survives. */
    public double haGapPercent() {
        return LowerBound.gapPercent(haLowerBound(), nodes);
    }

    /**
     * The whole cluster's cost per hour: the worker nodes, and the control plane when one is given; null without a price, and where no node holds any pod
     * while pods are left out: nothing runs the workload, so $0 is no price for it (QA 67c F6: such shapes read as free in
     * recommend's ranking and CSV, where rightsize says "–", QA 37d F9).
     */
    public Double costPerHour() {
        return shape.hasPrice() && !holdsNothing() ? shape.pricePerHourUsd() * nodes + controlPlaneCost() : null;
    }

    /**
     * What the nodes bill per hour, the control plane included: $0 where there is no node, whatever is left out; null
     * without a price. For sums over parts of a cluster (rightsize's node groups), where a part that holds nothing bills
     * nothing, unlike {@link #costPerHour}, which is no price for a workload nothing runs.
     */
    public Double billedPerHour() {
        return shape.hasPrice() ? shape.pricePerHourUsd() * nodes + controlPlaneCost() : null;
    }

    /** No node, and pods left out: the shape holds none of the workload. */
    public boolean holdsNothing() {
        return nodes == 0 && !unschedulable.isEmpty();
    }

    public Double costPerMonth() {
        Double h = costPerHour();
        return h == null ? null : h * HOURS_PER_MONTH;
    }

    /**
     * The least the cluster can cost per hour on this shape, whatever the packing: the nodes of its
     * lower bound (of the HA sizing's when sized to survive, and at least the pools' minimum), the
     * control plane; null without a price, and where the shape leaves pods out: no number of its
     * nodes runs the workload, and its bound is of the pods it places (QA 67b F4: a shape placing 3
     * of 12 pods showed a bound cost 82 % below the winner's). A shape whose bound costs less than
     * another's packing might still beat it ({@link ShapeSweep#challengers}).
     */
    public Double boundCostPerHour() {
        if (!shape.hasPrice() || !complete()) {
            return null;
        }
        int n = haLowerBound();
        if (sizing != null && n > 0) {
            n = Math.max(n, sizing.rules().minNodes());
        }
        return shape.pricePerHourUsd() * n + controlPlaneCost();
    }

    public Double boundCostPerMonth() {
        Double h = boundCostPerHour();
        return h == null ? null : h * HOURS_PER_MONTH;
    }

    /**
     * The nodes of the N+1 fleet: the packing's N nodes and one spare, so that losing any node
     * leaves N, which hold every pod again (nodes of a shape are identical). Nodes the HA rules
     * already add count as that spare: {@code --min-nodes-per-pool 2} over a 1-node packing is
     * already N+1, and a fleet sized to {@code --survive node} or {@code zone} already survives the
     * loss of one node (losing one node of a zone leaves more than losing the zone). No spare for a
     * packing of no node: there is nothing to lose.
     */
    public int nodesNPlusOne() {
        boolean survives = sizing != null && sizing.rules().survive() != HaSizing.Survive.NONE;
        return packedNodes() == 0 || survives ? nodes : Math.max(nodes, packedNodes() + 1);
    }

    /** Whether the nodes already hold the N+1 spare (HA headroom, or no node to lose), so N+1 costs what the fleet does. */
    public boolean spareIncluded() {
        return nodesNPlusOne() == nodes;
    }

    /** The cost of the N+1 fleet ({@link #nodesNPlusOne}), per hour, control plane included. */
    public Double costPerHourNPlusOne() {
        return shape.hasPrice() && !holdsNothing() ? shape.pricePerHourUsd() * nodesNPlusOne() + controlPlaneCost() : null;
    }

    public Double costPerMonthNPlusOne() {
        Double h = costPerHourNPlusOne();
        return h == null ? null : h * HOURS_PER_MONTH;
    }

    /** What the nodes added for the HA rules cost per hour (0 when none were added; null without a price). */
    public Double headroomCostPerHour() {
        return shape.hasPrice() ? shape.pricePerHourUsd() * (nodes - packedNodes()) : null;
    }

    /** This evaluation with the DaemonSets its packing charged zone by zone ({@link #daemonSetsByZone}). */
    public ShapeEvaluation withDaemonSetsByZone(java.util.SequencedMap<String, Resources> byZone) {
        return new ShapeEvaluation(shape, strategy, pods, nodes, lowerBound, unschedulable, daemonSetLoad, workloadRequests, cpuUtilization,
                memoryUtilization, strandedCpuMillis, strandedMemoryBytes, tried, elapsedNanos, optimized, sizing, packingOf, byZone);
    }

    /** This evaluation as holding the packing of shape {@code donor} ({@link #packingOf}). */
    public ShapeEvaluation withPackingOf(String donor) {
        return new ShapeEvaluation(shape, strategy, pods, nodes, lowerBound, unschedulable, daemonSetLoad, workloadRequests, cpuUtilization,
                memoryUtilization, strandedCpuMillis, strandedMemoryBytes, tried, elapsedNanos, optimized, sizing, donor, daemonSetsByZone);
    }

    /** This evaluation with other pods left out (the same nodes and figures): {@link PlaceablePart} makes one complete. */
    public ShapeEvaluation withUnschedulable(List<UnschedulableGroup> left) {
        return new ShapeEvaluation(shape, strategy, pods, nodes, lowerBound, left, daemonSetLoad, workloadRequests, cpuUtilization,
                memoryUtilization, strandedCpuMillis, strandedMemoryBytes, tried, elapsedNanos, optimized, sizing, packingOf, daemonSetsByZone);
    }

    /**
     * The same packing sized by HA rules: {@code sized.nodes()} nodes in all, the utilisation
     * spread over them, the control plane in the cost.
     */
    public ShapeEvaluation withSizing(HaSizing.Sized sized) {
        return new ShapeEvaluation(shape, strategy, pods, sized.nodes(), lowerBound, unschedulable, daemonSetLoad, workloadRequests,
                sizedUtilization(cpuUtilization, io.nodesizer.model.Resource.CPU, sized.nodes()),
                sizedUtilization(memoryUtilization, io.nodesizer.model.Resource.MEMORY, sized.nodes()),
                strandedCpuMillis, strandedMemoryBytes, tried, elapsedNanos, optimized, sized, packingOf, daemonSetsByZone);
    }

    /**
     * This evaluation's utilisation {@code now} (pods and DaemonSets over the allocatable of its
     * {@link #nodes}) over {@code newNodes} nodes: the nodes added for headroom bring their allocatable
     * and their DaemonSet pods, which the DaemonSet controller starts on every node, spare or not.
     */
    private double sizedUtilization(double now, io.nodesizer.model.Resource r, int newNodes) {
        long alloc = shape.allocatable().get(r);
        if (newNodes == nodes || newNodes == 0 || alloc == 0) {
            return now;
        }
        double used = (Double.isNaN(now) ? 0 : now * nodes * alloc) + (double) daemonSetLoad.get(r) * (newNodes - nodes);
        return used / ((double) alloc * newNodes);
    }

    /**
     * The share of the allocatable GPUs of all {@link #nodes} that pods request, DaemonSets' included on every node: the
     * denominator of {@link #cpuUtilization} and {@link #memoryUtilization}, so an HA spare's GPUs, paid for and idle,
     * count as theirs do (QA 69a F1: a 2 (+1 HA) pool was shown at GPU 100 % with half its GPUs idle); NaN without GPUs.
     */
    public double gpuUtilization() {
        long alloc = shape.allocatable().gpuMillis();
        if (alloc == 0 || nodes == 0) {
            return Double.NaN;
        }
        return (workloadRequests.gpuMillis() + (double) daemonSetLoad.gpuMillis() * nodes) / ((double) alloc * nodes);
    }

    /** Share of the fleet's capacity lost when one node fails, in percent (the blast radius); NaN without a node. */
    public double failureLossPercent() {
        return nodes == 0 ? Double.NaN : 100.0 / nodes;
    }

    /**
     * Per-node overhead: the share of nominal CPU and memory not available to workload pods
     * (kube/system reserved, eviction threshold, VM overhead and DaemonSet pods), in percent.
     */
    public double overheadCpuPercent() {
        long cap = shape.capacity().cpuMillis();
        long usable = shape.allocatable().cpuMillis() - daemonSetLoad.cpuMillis();
        return cap == 0 ? Double.NaN : 100.0 * (cap - usable) / cap;
    }

    public double overheadMemoryPercent() {
        long cap = shape.capacity().memoryBytes();
        long usable = shape.allocatable().memoryBytes() - daemonSetLoad.memoryBytes();
        return cap == 0 ? Double.NaN : 100.0 * (cap - usable) / cap;
    }

    /** Fully schedulable: every pod of the workload was placed. */
    public boolean complete() {
        return unschedulable.isEmpty();
    }
}

package io.nodesizer.sweep;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.engine.LeastRequests;
import io.nodesizer.engine.LeastRequestsByResource;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.kube.DaemonSetPlacement;
import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * Packs a workload onto one shape with each requested strategy, keeps the one with the fewest
 * nodes (ties: the earlier strategy in the list, so results are deterministic), verifies it, and
 * measures what the fleet costs and wastes.
 */
public final class ShapeEvaluator {
    private static final int D = DemandTable.D;

    private final DemandTable table;
    private final List<DaemonSetSpec> daemonSets;
    private final List<PackingStrategies> strategies;
    private final long seed;
    private final OptimizeMode mode;
    private final ShapeOptimizer optimizer;
    private final ShapeOptimizer.Settings settings;
    /** Hostname spreads spread evenly over the nodes, as kube-scheduler allows ({@link io.nodesizer.engine.HostnameSpreads}); false: maxSkew per node. */
    private final boolean evenSpreads;
    /** {@link #fewTypes}, once counted (shapes are evaluated on several threads: the count is the same on each). */
    private volatile Boolean fewTypes;

    /** When the optimizer runs after the heuristics. */
    public enum OptimizeMode {
        /** never */
        OFF,
        /** when a gap to the bound is left (and the workload is within {@link #AUTO_MAX_PODS}, or of few workloads: {@link #optimizes}) */
        AUTO,
        /** whenever a gap to the bound is left, whatever the size */
        ALWAYS
    }

    /**
     * Above this many pods {@code auto} leaves the optimizer out: the heuristics' packing then
     * takes well under a second and the pattern method's share of the time is measured up to here
     * (benchmarks/BENCHMARKS.md).
     */
    public static final int AUTO_MAX_PODS = 200_000;

    public ShapeEvaluator(DemandTable table, List<DaemonSetSpec> daemonSets, List<PackingStrategies> strategies, long seed) {
        this(table, daemonSets, strategies, seed, OptimizeMode.OFF, ShapeOptimizer.Settings.defaults());
    }

    public ShapeEvaluator(DemandTable table, List<DaemonSetSpec> daemonSets, List<PackingStrategies> strategies, long seed,
                          OptimizeMode mode, ShapeOptimizer.Settings settings) {
        this(table, daemonSets, strategies, seed, mode, settings, true);
    }

    private ShapeEvaluator(DemandTable table, List<DaemonSetSpec> daemonSets, List<PackingStrategies> strategies, long seed,
                           OptimizeMode mode, ShapeOptimizer.Settings settings, boolean evenSpreads) {
        if (strategies.isEmpty()) {
            throw new IllegalArgumentException("At least one strategy is needed.");
        }
        this.table = table;
        this.daemonSets = List.copyOf(daemonSets);
        this.strategies = List.copyOf(strategies);
        this.seed = seed;
        this.mode = mode;
        this.optimizer = new ShapeOptimizer(settings);
        this.settings = settings;
        this.evenSpreads = evenSpreads;
    }

    /**
     * This evaluator with hostname spreads kept at maxSkew per node: for mixed pools, which put a
     * shape's packing beside nodes of other pools that hold none of the workload (the fewest 0).
     */
    public ShapeEvaluator cappedSpreads() {
        return new ShapeEvaluator(table, daemonSets, strategies, seed, mode, settings, false);
    }

    /**
     * Whether {@link #evaluate(NodeShape)} runs the optimizer (where a gap is left): ALWAYS, or AUTO
     * within {@link #AUTO_MAX_PODS} or, above it, with no more workloads than the pattern method
     * takes request types: its LP grows with the types, not the pods, and local search stops at
     * {@link ShapeOptimizer#LOCAL_SEARCH_MAX_PODS} anyway. 210,000 replicas of one Deployment on
     * m5.4xlarge: gap 0.6 % without it, 0.0 % in ~1 s with it; 1,000,117 pods in 1,491 workloads:
     * 89,660 nodes (gap 0.9 %) in 0.9 s, 89,039 (0.2 %) in 4.5 s. A trace of distinct requests has
     * more types than that and is left to the heuristics as before.
     */
    public boolean optimizes() {
        return mode == OptimizeMode.ALWAYS || (mode == OptimizeMode.AUTO
                && (table.podCount() <= AUTO_MAX_PODS || fewTypes()));
    }

    /**
     * Whether the workload's pods make no more request types than the pattern method takes: its workloads, or (a trace,
     * each pod a workload of its own) the distinct requests they share, counted once per evaluator. A 210,000-row sample
     * of openb (151 sizes) was left to FFD at 18.4 % above the bound, where the optimizer gets 0.1 % in 8 s (QA 65a F2).
     */
    private boolean fewTypes() {
        int max = settings.pattern().maxTypes();
        if (table.groupCount() <= max) {
            return true;
        }
        if (fewTypes == null) {
            fewTypes = io.nodesizer.pattern.RequestTypes.countTypes(table, max) <= max;
        }
        return fewTypes;
    }

    /** The best packing on {@code shape} (with its per-pod assignment) and its evaluation. */
    public record Outcome(PackingResult best, ShapeEvaluation evaluation) {
    }

    /** Heuristics, then the optimizer as the mode says. */
    public Outcome evaluate(NodeShape shape) {
        return evaluate(shape, optimizes());
    }

    /**
     * The workload on {@code shape}: its DaemonSets' requests on every node (zone by zone where the nodes of some zones run
     * other DaemonSets than others), those that run there counted in the pod rules.
     */
    public PackingProblem problem(NodeShape shape) {
        DaemonSetPlacement.Load ds = DaemonSetPlacement.on(shape, daemonSets, table.zoneNames());
        return new PackingProblem(table.running(ds.placed()), shape, ds);
    }

    /**
     * Why the optimizer does not run where the DaemonSets differ by zone: its pattern LP and local search pack nodes of one
     * capacity, which would either overfill the nodes of a zone that runs more DaemonSets or bound with the heaviest load,
     * above the optimum; the heuristics' packing and bound (on the lightest nodes) stand.
     */
    static final String ZONE_LOADS_SKIP = "the DaemonSets differ by zone and it packs nodes of one capacity";

    /** Heuristics, then the optimizer when {@code optimize} and a gap is left. */
    public Outcome evaluate(NodeShape shape, boolean optimize) {
        PackingProblem problem = problem(shape);
        LowerBound bound = LowerBounds.compute(problem);
        PackingResult best = null;
        List<ShapeEvaluation.StrategyRun> runs = new ArrayList<>();
        long elapsed = 0;
        for (PackingStrategies s : strategies) {
            PackingResult r = PackingEngine.pack(problem, s.create(), seed, bound, true, evenSpreads);
            runs.add(new ShapeEvaluation.StrategyRun(r.strategy(), r.nodeCount(), r.elapsedNanos()));
            elapsed += r.elapsedNanos();
            // Fewer pods left out by a rule first (required pod affinity: a packing's own count), then fewer nodes.
            if (best == null || r.unschedulablePodCount() < best.unschedulablePodCount()
                    || r.unschedulablePodCount() == best.unschedulablePodCount() && r.nodeCount() < best.nodeCount()) {
                best = r;
            }
        }
        boolean optimized = false;
        // With too many workloads with pod rules the optimizer does not run: see ShapeOptimizer.skipReason.
        bound = best.lowerBound(); // when a rule left pods out: a bound on the pods this packing placed
        // A packing at that bound may still leave out pods another one places: the optimizer runs then too.
        boolean leftByRule = best.unschedulable().stream().anyMatch(PackingProblem.Unschedulable::byRule);
        if (optimize && (best.nodeCount() > bound.value() || leftByRule) && problem.zoneCapacities() != null) {
            runs.add(ShapeEvaluation.StrategyRun.skipped(ShapeOptimizer.NAME, 0, ZONE_LOADS_SKIP));
        } else if (optimize && (best.nodeCount() > bound.value() || leftByRule) && ShapeOptimizer.skipReason(problem.table()) == null) {
            ShapeOptimizer.Outcome o = optimizer.optimize(best, bound, seed);
            best = o.best();
            bound = o.bound();
            runs.addAll(o.runs());
            for (ShapeEvaluation.StrategyRun run : o.runs()) {
                elapsed += run.elapsedNanos();
            }
            optimized = true;
        }
        return new Outcome(best, evaluation(shape, table.podCount(), best, bound, problem.daemonSetLoad(), runs, elapsed, optimized));
    }

    /**
     * The evaluation of a packing {@code best} of the workload's {@code pods} on {@code shape} (whose nodes carry
     * {@code daemonSets}), its bound {@code bound}.
     */
    public static ShapeEvaluation evaluation(NodeShape shape, int pods, PackingResult best, LowerBound bound, io.nodesizer.model.Resources daemonSets,
                                             List<ShapeEvaluation.StrategyRun> runs, long elapsedNanos, boolean optimized) {
        NeverPlaced unschedulable = NeverPlaced.of(best);
        long[] stranded = stranded(best);
        return new ShapeEvaluation(shape, best.strategy(), pods, best.nodeCount(),
                bound, unschedulable, daemonSets, best.workloadRequests(), best.utilization(Resource.CPU),
                best.utilization(Resource.MEMORY), stranded[Resource.CPU.ordinal()], stranded[Resource.MEMORY.ordinal()],
                runs, elapsedNanos, optimized).withDaemonSetsByZone(byZone(best.problem()));
    }

    /** Per named zone, the DaemonSets {@code problem} charges its nodes, where it charges them zone by zone; else empty. */
    static java.util.SequencedMap<String, io.nodesizer.model.Resources> byZone(PackingProblem problem) {
        java.util.SequencedMap<String, io.nodesizer.model.Resources> out = new java.util.LinkedHashMap<>();
        List<io.nodesizer.model.Resources> loads = problem.zoneLoads();
        for (int z = 0; z < loads.size(); z++) {
            out.put(problem.table().zoneNames().get(z), loads.get(z));
        }
        return out;
    }

    /**
     * Equal for shapes that every strategy and the optimizer pack identically: the same
     * allocatable, the same DaemonSet load on it, the same GPU model and vendor and the same groups admitted
     * by their node selectors, affinity and tolerations. Names, prices, nominal capacity and
     * provider do not otherwise enter a packing (891 AWS types have ~220 distinct keys).
     */
    public Object packingKey(NodeShape shape) {
        // Asked again of every shape after the sweep (DominatedPackings: its key and its dominance key), where each ask reads
        // every group's rules on the shape: 150,000 groups times 878 shapes twice more took a whole-catalog recommend from 87 s
        // to 197 s. Computed once a shape.
        Object known = packingKeys.get(shape);
        if (known != null) {
            return known;
        }
        Object key = computePackingKey(shape);
        Object raced = packingKeys.putIfAbsent(shape, key);
        return raced != null ? raced : key;
    }

    /** {@link #packingKey} by shape, as first computed (shapes are keyed on the sweep's threads). */
    private final java.util.concurrent.ConcurrentHashMap<NodeShape, Object> packingKeys = new java.util.concurrent.ConcurrentHashMap<>();

    private Object computePackingKey(NodeShape shape) {
        DaemonSetPlacement.Load ds = DaemonSetPlacement.on(shape, daemonSets, table.zoneNames());
        java.util.BitSet refused = new java.util.BitSet();
        boolean[] refusedClass = table.placementClasses().refusedOn(shape, io.nodesizer.kube.NodeLabels.of(shape));
        int[] classOf = table.placementClasses().ofGroup();
        for (int g = 0; g < table.groupCount(); g++) {
            if (refusedClass[classOf[g]]) {
                refused.set(g);
            }
        }
        // The DaemonSets whose pods the pod rules see there (the same table for shapes that run the same ones).
        return java.util.List.of(java.util.Arrays.stream(shape.allocatable().toArray()).boxed().toList(),
                java.util.Arrays.stream(ds.requests().toArray()).boxed().toList(),
                java.util.Arrays.stream(ds.scoring().toArray()).boxed().toList(), shape.gpuModel(), shape.gpuVendor(), refused,
                table.running(ds.placed()).daemonSetPods(),
                // Where they differ by zone, each zone's load too: the same heaviest load may be split otherwise on another shape.
                ds.zoneRequests().stream().map(r -> java.util.Arrays.stream(r.toArray()).boxed().toList()).toList());
    }

    /**
     * Equal for shapes whose packings differ only by their allocatable CPU, memory, disk and pod slots: the {@link
     * #packingKey} with the allocatable GPUs (the devices a packing's device masks number) in place of the whole
     * allocatable, and the pods whose GPUs the shape serves in place of its GPU model and vendor. Of two such shapes, one whose allocatable is at least the other's on every resource runs each of its
     * packings as it is ({@link DominatedPackings}).
     */
    public Object dominanceKey(NodeShape shape) {
        List<Object> key = new ArrayList<>((List<?>) packingKey(shape));
        key.set(0, shape.allocatable().gpuMillis());
        // The GPU model and vendor matter only by the pods whose GPUs they serve: g6.48xlarge's L4s and g7.48xlarge's take a
        // trace naming no model alike (QA 75a item 3).
        boolean[] servedKinds = table.gpuKinds().servedBy(shape);
        java.util.BitSet served = new java.util.BitSet();
        for (int i = 0; i < servedKinds.length; i++) {
            served.set(i, servedKinds[i]);
        }
        key.set(2, served);
        key.set(3, "");
        return key;
    }

    /**
     * The evaluation of {@code shape} from that of a shape with the same {@link #packingKey}: the
     * same packing (nodes, bound, loads, strategies), with this shape's name, price and
     * unschedulable reasons (worded for it). No strategy runs, so it reports no time of its own.
     */
    public ShapeEvaluation fanOut(ShapeEvaluation twin, NodeShape shape) {
        PackingProblem problem = problem(shape);
        NeverPlaced unschedulable = NeverPlaced.of(problem,
                twin.unschedulable() instanceof NeverPlaced never ? never.byRule() : List.of());
        List<ShapeEvaluation.StrategyRun> runs = new ArrayList<>();
        for (ShapeEvaluation.StrategyRun r : twin.tried()) {
            runs.add(new ShapeEvaluation.StrategyRun(r.strategy(), r.nodes(), 0, r.skipped()));
        }
        return new ShapeEvaluation(shape, twin.strategy(), twin.pods(), twin.nodes(), twin.lowerBound(), unschedulable, problem.daemonSetLoad(),
                twin.workloadRequests(), twin.cpuUtilization(), twin.memoryUtilization(), twin.strandedCpuMillis(),
                twin.strandedMemoryBytes(), runs, 0, twin.optimized()).withDaemonSetsByZone(byZone(problem));
    }

    /**
     * Free capacity per resource that sits idle because no pod of the workload that asks some of it fits what the node
     * has left: a node counts as exhausted on resource r when its free r is below the smallest request for r among the
     * schedulable pods, and its free amount of a resource that is not exhausted is stranded where no pod asking some of
     * that resource fits its free amounts on every resource at once ({@link LeastRequestsByResource}). A node whose GPUs
     * are all taken still takes the pods that ask for none: its CPU and memory are not stranded while such a pod fits (QA
     * 48a: every g5 node with its GPUs full had its free CPU called stranded); a pod asking no CPU or memory uses none of
     * them, so it keeps no node's room from being stranded (QA 61a F1), and a resource no pod asks is never stranded.
     * Where the least requests asking a resource are too many to check ({@value LeastRequests#LIMIT} vectors none of
     * which asks at most another on every resource), an exhausted resource alone marks the node for it.
     */
    static long[] stranded(PackingResult result) {
        PackingProblem problem = result.problem();
        long[] demand = problem.flatDemand();
        int zones = Math.max(1, problem.table().zones());
        int[] dims = problem.activeDims();
        long[] min = new long[D];
        java.util.Arrays.fill(min, Long.MAX_VALUE);
        LeastRequestsByResource least = new LeastRequestsByResource(dims, D, LeastRequests.LIMIT);
        // Each distinct request once: a trace of 150,000 single pods has ~120, and every shape of a sweep reads them.
        io.nodesizer.engine.DemandClasses classes = problem.table().demandClasses();
        boolean[] seen = new boolean[classes.count()];
        for (int g : problem.schedulableGroups()) {
            if (seen[classes.ofGroup()[g]]) {
                continue;
            }
            seen[classes.ofGroup()[g]] = true;
            for (int r : dims) {
                long d = demand[g * D + r];
                if (d > 0 && d < min[r]) {
                    min[r] = d;
                }
            }
            least.add(java.util.Arrays.copyOfRange(demand, g * D, g * D + D));
        }
        long[] stranded = new long[D];
        long[] load = result.nodeLoad();
        boolean[] exhausted = new boolean[D];
        long[] free = new long[D];
        // GPU pods fit device by device: shares of 600 thousandths fit no node whose devices have 400 free each, though
        // its free total is 800 (QA 73 F1: openb gpushare nodes' CPU and memory were called usable).
        int devices = GpuDevices.count(problem.podAllocatable().gpuMillis());
        int[] deviceLoad = result.gpuDevices() == null || devices == 0 ? null : GpuDevices.loads(result, devices, null);
        for (int node = 0; node < result.nodeCount(); node++) {
            long[] cap = problem.podCapacityIn(result.zoneOf(node, zones)); // the shared array unless the DaemonSets differ by zone
            boolean any = false;
            for (int r : dims) {
                free[r] = cap[r] - load[node * D + r];
                exhausted[r] = min[r] != Long.MAX_VALUE && (deviceLoad != null && r == GPU
                        ? !GpuDevices.fits(deviceLoad, node * devices, devices, min[r]) : free[r] < min[r]);
                any |= exhausted[r];
            }
            for (int r : dims) {
                if (exhausted[r] || !least.asked(r) || (least.overflow(r) ? !any : deviceLoad == null ? least.fitsOneAsking(r, free)
                        : least.fitsOneAsking(r, free, GPU, deviceLoad, node * devices, devices))) {
                    continue;
                }
                // Saturates: thousands of nodes of a shape near the 1Pi limit pass a long.
                long sum = stranded[r] + free[r];
                stranded[r] = sum < 0 ? Long.MAX_VALUE : sum;
            }
        }
        return stranded;
    }

    private static final int GPU = Resource.GPU.ordinal();
}

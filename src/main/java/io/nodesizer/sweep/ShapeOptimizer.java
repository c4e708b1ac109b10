package io.nodesizer.sweep;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.optimize.LocalSearch;
import io.nodesizer.pattern.PatternPacking;

import java.util.ArrayList;
import java.util.List;

/**
 * The optimizer for one shape, run after the heuristics: the pattern method (LP bound and
 * diving), then local search, each only while a gap to the bound is left. It never returns a
 * packing worse than the heuristic one it starts from, and the bound it returns is the heuristic
 * bound raised by the LP bound where that is higher.
 */
public final class ShapeOptimizer {

    /**
     * @param pattern effort limits of the pattern method
     * @param timeLimitMillis wall-clock cap of the local search, or 0 for none (then results are
     *                        reproducible: every other limit is a count)
     */
    public record Settings(PatternPacking.Limits pattern, long timeLimitMillis) {
        public static Settings defaults() {
            return new Settings(PatternPacking.Limits.defaults(), 0);
        }
    }

    /** The outcome: the best packing (with the improved bound) and one run record per stage that ran. */
    public record Outcome(PackingResult best, LowerBound bound, List<ShapeEvaluation.StrategyRun> runs) {
        public Outcome {
            runs = List.copyOf(runs);
        }
    }

    /** The name results carry when the optimizer produced them. */
    public static final String NAME = "optimize";

    private final Settings settings;

    public ShapeOptimizer(Settings settings) {
        this.settings = settings;
    }

    /**
     * Local search runs on workloads up to this many schedulable pods: its entities are pods, and
     * Timefold copies them at every new best solution.
     */
    public static final int LOCAL_SEARCH_MAX_PODS = 50_000;

    /**
     * Workloads with pod rules (required anti-affinity, hostname spread) above this many: each is a
     * request type of its own, and the pattern LP's rows grow with them. 150 such workloads among
     * 150,000 pods pack in ~11 s; 1,500 took 30 s for no gain (the LP gave up), and mixed pools
     * over the whole catalog 460 s.
     */
    public static final int MAX_RULED_WORKLOADS = 200;

    /**
     * Why the optimizer (pattern method, local search, mixed pools) does not take this workload,
     * or null when it does: too many workloads with pod rules. Required pod affinity and
     * anti-affinity on the zone, and spreads over the zones, are no reason: the optimizer (whose
     * nodes have no zone) packs the other groups, and the rules place theirs after it ({@link
     * PackingEngine#withRuledGroups}).
     */
    public static String skipReason(io.nodesizer.engine.DemandTable table) {
        int ruled = table.ruledGroups();
        if (ruled > MAX_RULED_WORKLOADS) {
            return ruled + " workloads with pod anti-affinity or a hostname spread, more than the " + MAX_RULED_WORKLOADS
                    + " it takes (each is a pattern LP row of its own)";
        }
        return null;
    }

    public Outcome optimize(PackingResult start, LowerBound bound, long seed) {
        PackingProblem problem = start.problem();
        if (start.nodeCount() <= bound.value()) {
            return new Outcome(start, bound, List.of());
        }
        String skipped = skipReason(problem.table());
        if (skipped == null && io.nodesizer.engine.HostnameSpreads.aboveCaps(problem.table(), start.assignment())) {
            return fromCappedStart(start, bound, seed);
        }
        boolean spreads = problem.table().spreadsOverZones();
        if (skipped == null && (problem.table().placesByRule() || spreads) && io.nodesizer.engine.NodeLedger.devicesFor(problem) > 0) {
            skipped = "required pod affinity, pod anti-affinity on the zone or a spread over the zones, with GPU devices";
        }
        if (skipped != null) {
            return new Outcome(start, bound, List.of(ShapeEvaluation.StrategyRun.skipped(NAME, 0, skipped)));
        }
        if (problem.withoutRuledGroups(spreads) == problem) {
            return optimizeAll(start, bound, seed, true);
        }
        Outcome flat = null;
        if (spreads && problem.withoutRuledGroups(false) == problem && start.nodeCount() <= SPREAD_BALANCE_MAX_NODES) {
            flat = withZonesAfter(start, seed);
            if (flat.best() != start) {
                return flat;
            }
        }
        // The pod rules that can leave pods out (required pod affinity, anti-affinity on the zone),
        // and spreads over the zones (the pattern method's nodes have no zone): the optimizer packs
        // the other groups, then the rules place theirs on its nodes (round-robin over the zones)
        // and new ones, as the heuristics do; the result replaces the start only if it leaves out
        // no more pods and uses fewer nodes.
        PackingResult rest = PackingEngine.withoutRuledGroups(start, spreads);
        // No floors here: the rules then place their pods on the packing's nodes and new ones, and a new node without
        // a floored workload's pods puts its fewest at 0, under the floors' counts (the capped patterns keep the rule).
        Outcome inner = optimizeAll(rest, rest.lowerBound(), seed, false);
        PackingResult full = inner.best() == rest ? start : PackingEngine.withRuledGroups(problem, inner.best(), NAME, spreads);
        boolean better = full.unschedulablePodCount() < start.unschedulablePodCount()
                || full.unschedulablePodCount() == start.unschedulablePodCount() && full.nodeCount() < start.nodeCount();
        PackingResult best = better ? full : start;
        LowerBound improved = best.lowerBound().withPartialLp(inner.bound()); // a bound on part of the pods best places
        if (flat != null) {
            improved = improved.withLp(flat.bound()); // the flat view's LP bounds the packings over the zones too
        }
        // The stages' node counts are of the other groups alone: named so, and the completed packing after them.
        // A balance not found keeps its stages in the record: their time was spent.
        List<ShapeEvaluation.StrategyRun> runs = new ArrayList<>(flat == null ? List.of() : flat.runs());
        for (ShapeEvaluation.StrategyRun run : inner.runs()) {
            runs.add(new ShapeEvaluation.StrategyRun(run.strategy() + " (without rule-placed pods)", run.nodes(), run.elapsedNanos(), run.skipped()));
        }
        if (full != start) {
            runs.add(new ShapeEvaluation.StrategyRun("pod rules after the optimizer", full.nodeCount(), 0));
        }
        return new Outcome(best, improved, runs);
    }

    /**
     * Up to this many nodes the optimizer also packs a spread workload as if it had one zone and
     * balances the zones after ({@link #withZonesAfter}). Beyond, the flat packing puts too many
     * of a workload's pods on one node to balance (153,000 pods on 14,000 nodes: excess skew 4,968
     * after the node-level balance, 3,623 after 2 M pod moves, 6 s spent), and placing the spreads
     * after the optimizer is within 0.3 % of the bound there anyway.
     */
    static final int SPREAD_BALANCE_MAX_NODES = 5_000;

    /**
     * For a workload whose only zone rules are spreads over the zones: the optimizer packs every
     * group as if the nodes had one zone (the spread groups among the rest, where they can share
     * nodes with them), then {@link io.nodesizer.engine.ZoneBalance} gives its nodes zones that
     * keep every spread; the packing over the zones is verified (each spread's skew included).
     * When no balance keeps the spreads on the flat packing's nodes, it is tried again with up to
     * one empty node per zone more (room the balance's moves can fill: a flat packing at its bound
     * on full nodes often has none), while that still beats the start. The outcome's best is the
     * start itself when the flat packing is no better or no balance is found (the spread groups
     * are then placed after the optimizer by the rules); its runs and its bound (the flat view's
     * LP, a bound over the zones too) count either way.
     */
    private Outcome withZonesAfter(PackingResult start, long seed) {
        PackingProblem problem = start.problem();
        PackingProblem flat = problem.over(problem.table().withOneZone());
        // The start keeps every rule of the flat view (it is the same packing, with fewer rules to keep).
        PackingResult flatStart = PackingEngine.fromAssignment(flat, start.strategy(), start.nodeCount(), start.assignment(),
                io.nodesizer.bound.LowerBounds.compute(flat), start.elapsedNanos());
        Outcome inner = optimizeAll(flatStart, flatStart.lowerBound(), seed, true);
        PackingResult packed = inner.best();
        LowerBound improved = start.lowerBound().withLp(inner.bound()); // the flat view has fewer rules: a bound for the zones too
        List<ShapeEvaluation.StrategyRun> runs = new ArrayList<>();
        for (ShapeEvaluation.StrategyRun run : inner.runs()) {
            runs.add(new ShapeEvaluation.StrategyRun(run.strategy() + " (nodes in one zone)", run.nodes(), run.elapsedNanos(), run.skipped()));
        }
        if (packed == flatStart || packed.nodeCount() >= start.nodeCount() || packed.unschedulablePodCount() > start.unschedulablePodCount()) {
            return new Outcome(start, improved, runs);
        }
        long t0 = System.nanoTime();
        io.nodesizer.engine.HostnameSpreads spreads = io.nodesizer.engine.HostnameSpreads.of(problem);
        int zoneCount = problem.table().zones();
        io.nodesizer.engine.ZoneBalance.Balanced zones = null;
        for (int extra = 0; zones == null && extra <= zoneCount && packed.nodeCount() + extra < start.nodeCount(); extra++) {
            io.nodesizer.engine.ZoneBalance.Balanced found = io.nodesizer.engine.ZoneBalance.assign(problem, packed.nodeCount() + extra,
                    packed.assignment());
            zones = found;
            if (found != null && spreads != null && spreads.violation(problem.table(), found.assignment(), found.nodeZones().length,
                    null, node -> found.nodeZones()[node]) != null) {
                // The balance's moves can leave a node below a hostname spread's floor that the flat packing kept on every node
                // (the pattern with hostname spread floors): that packing does not take zones; the rules place the spreads instead.
                zones = null;
                break;
            }
        }
        if (zones == null) {
            runs.add(new ShapeEvaluation.StrategyRun("zones balanced for the spreads", null, System.nanoTime() - t0));
            return new Outcome(start, improved, runs);
        }
        PackingResult zoned = PackingEngine.fromAssignment(problem, NAME, zones.nodeZones().length, zones.assignment(), improved,
                packed.elapsedNanos() + System.nanoTime() - t0, zones.nodeZones());
        runs.add(new ShapeEvaluation.StrategyRun("zones balanced for the spreads", zoned.nodeCount(), System.nanoTime() - t0));
        return new Outcome(zoned, improved, runs);
    }

    /**
     * A start whose hostname spreads hold more than maxSkew on a node, as kube-scheduler allows
     * over all the nodes ({@link io.nodesizer.engine.HostnameSpreads}): the optimizer's patterns
     * and moves keep at most maxSkew per node, so it cannot take that start. It improves the
     * capped packing (FFD with at most maxSkew per node) instead, whose LP bound it takes without
     * the spread caps (a bound for the even packings too), and the better of the two stays.
     */
    private Outcome fromCappedStart(PackingResult start, LowerBound bound, long seed) {
        PackingProblem problem = start.problem();
        if (io.nodesizer.engine.HostnameSpreads.cappedNodes(problem) >= start.nodeCount()) {
            // Every capped packing needs as many nodes: nothing to gain there; with floors per node perhaps.
            Outcome lifted = liftedBound(start, bound);
            if (problem.withoutRuledGroups(problem.table().spreadsOverZones()) != problem) {
                return lifted;
            }
            long t0 = System.nanoTime();
            PatternPacking.Outcome floored = PatternPacking.packFloored(problem, settings.pattern(), start.nodeCount(),
                    lifted.bound().value());
            long nanos = System.nanoTime() - t0;
            if (floored == null || floored.nodes() >= start.nodeCount()) {
                return lifted;
            }
            // Not "optimizer skipped" then: the floors' run is the one that counts (the LP bound is in the bound's parts).
            return new Outcome(PackingEngine.fromAssignment(problem, NAME, floored.nodes(), floored.assignment(), lifted.bound(), nanos),
                    lifted.bound(), List.of(new ShapeEvaluation.StrategyRun(FLOORS_RUN, floored.nodes(), nanos)));
        }
        long t0 = System.nanoTime();
        PackingResult capped = PackingEngine.pack(problem, io.nodesizer.engine.strategy.PackingStrategies.FFD.create(), seed, bound, true,
                false);
        List<ShapeEvaluation.StrategyRun> runs = new ArrayList<>();
        runs.add(new ShapeEvaluation.StrategyRun("ffd with at most maxSkew of a hostname spread per node (the optimizer's start)",
                capped.nodeCount(), System.nanoTime() - t0));
        Outcome inner = optimize(capped, bound, seed);
        runs.addAll(inner.runs());
        PackingResult optimized = inner.best();
        boolean better = optimized.unschedulablePodCount() < start.unschedulablePodCount()
                || optimized.unschedulablePodCount() == start.unschedulablePodCount() && optimized.nodeCount() < start.nodeCount();
        if (better) {
            return new Outcome(optimized, inner.bound(), runs);
        }
        LowerBound improved = start.lowerBound().withLp(inner.bound());
        PackingResult same = improved.value() == start.lowerBound().value() ? start : start.withBound(improved);
        return new Outcome(same, improved, runs);
    }

    /** The stage that packs hostname spreads with a floor on every node ({@link PatternPacking#packFloored}). */
    static final String FLOORS_RUN = "pattern with hostname spread floors";

    /** The start as it is, with the pattern LP bound taken without the spread caps (when no rule left pods out, which the LP would count). */
    private Outcome liftedBound(PackingResult start, LowerBound bound) {
        PackingProblem problem = start.problem();
        String why = "hostname spreads spread evenly (more than maxSkew on a node, as kube-scheduler allows), "
                + "where every packing with at most maxSkew per node needs more nodes";
        if (problem.withoutRuledGroups(false) != problem) {
            return new Outcome(start, bound, List.of(ShapeEvaluation.StrategyRun.skipped(NAME, 0, why)));
        }
        long t0 = System.nanoTime();
        PatternPacking.Outcome lp = PatternPacking.boundWithoutSpreadCaps(problem, settings.pattern());
        long nanos = System.nanoTime() - t0;
        LowerBound improved = lp.lpBound() > 0 ? bound.with(new LowerBound.Part("LP", lp.lpBound())) : bound;
        PackingResult same = improved.value() == bound.value() ? start : start.withBound(improved);
        return new Outcome(same, improved, List.of(ShapeEvaluation.StrategyRun.skipped(NAME, nanos, why
                + (lp.lpBound() > 0 ? String.format(java.util.Locale.ROOT, "; LP bound without the spread caps %,d", lp.lpBound()) : ""))));
    }

    /** The stage that packs GPU shares into device-bins and groups them into nodes ({@link PatternPacking#packDeviceBins}). */
    static final String DEVICE_BINS_RUN = "device-bins";

    /** The bound part of the device-bins' LP: devices in use, k to a node ({@link PatternPacking#packDeviceBins}). */
    public static final String DEVICE_LP = "LP(gpu devices)";

    /** The device-bin start and the bound it raised. */
    private record Start(PackingResult best, LowerBound bound) {
    }

    /**
     * The device-bin start, on nodes of two or more GPU devices where some pods share a device: the better of it and
     * {@code best} (fewer nodes; the same count keeps {@code best}) starts the pattern stage, whose master LP then begins
     * with its node patterns, and the local search; the bound gains the device-bins' LP bound ({@link #DEVICE_LP}). A run
     * is recorded whenever the stage ran, and when it was skipped because another resource binds ({@link #devicesDoNotBind}).
     */
    private Start withDeviceBins(PackingResult best, LowerBound bound, List<ShapeEvaluation.StrategyRun> runs) {
        if (io.nodesizer.engine.NodeLedger.devicesFor(best.problem()) < 2) {
            return new Start(best, bound); // no GPU pods, or nodes of one device: their nodes are their device-bins
        }
        long t0 = System.nanoTime();
        String skipped = devicesDoNotBind(PatternPacking.deviceNeed(best.problem(), settings.pattern()), best.nodeCount());
        if (skipped != null) {
            runs.add(ShapeEvaluation.StrategyRun.skipped(DEVICE_BINS_RUN, System.nanoTime() - t0, skipped));
            return new Start(best, bound);
        }
        PatternPacking.DeviceBinsOutcome grouped = PatternPacking.packDeviceBins(best.problem(), settings.pattern());
        long nanos = System.nanoTime() - t0;
        if (grouped == null) {
            return new Start(best, bound);
        }
        PatternPacking.Outcome binned = grouped.outcome();
        runs.add(new ShapeEvaluation.StrategyRun(DEVICE_BINS_RUN, binned.nodes(), nanos));
        LowerBound raised = binned.lpBound() > 0 ? bound.with(new LowerBound.Part(DEVICE_LP, binned.lpBound())) : bound;
        // The grouped packing's devices are the bins' own: worked out again from the pods per node (GpuDevices.assign, an
        // exact search with a cap) they were lost on near-exact shares (review 72 #1: 33 shares filling 11 devices).
        if (binned.nodes() < best.nodeCount()) {
            return new Start(PackingEngine.fromAssignment(best.problem(), NAME, binned.nodes(), binned.assignment(), raised, nanos,
                    null, grouped.devices()), raised);
        }
        return new Start(raised == bound ? best : best.withBound(raised), raised); // the same packing verified against it
    }

    /**
     * Why the device-bin start cannot pay, or null when it may: a resource besides the GPUs (CPU, memory, pod slots)
     * alone needs at least as many nodes as a first-fit packing of the GPU pods onto devices fills, and the start is
     * within {@link #STRONG_START_PERCENT} % of that resource's volume bound. Then the bound the start proves ({@link
     * #DEVICE_LP}, at most those nodes) cannot rise above the volume bound, which the bounds have already, and its
     * packing — whole device-bins grouped first fit — is a coarser packing of the binding resource than the heuristics'
     * pod by pod: on the openb lists on 96-core 8-GPU nodes it came out 15.5–19.4 % above the CPU bound, 2–14 % above the
     * best heuristic, and never started a stage, for 0.3–0.8 s each (19 s of 49 s at 81,520 pods). A weaker start it can
     * beat: gpushare40 with {@code --growth 10}, where {@code auto} runs FFD alone, 10,049 nodes (20.9 % above) against
     * its 9,926, and the pattern stage then gives 8,331 where it gave 8,335 from FFD's; so it runs there.
     *
     * @param startNodes the nodes of the best packing so far, the optimizer's start
     */
    static String devicesDoNotBind(PatternPacking.DeviceNeed need, int startNodes) {
        if (need == null || need.otherNodes() < need.deviceNodes()
                || (long) startNodes * 100 > (long) need.otherNodes() * (100 + STRONG_START_PERCENT)) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "%s alone needs %,d nodes, at least the %,d that the GPU pods fill on devices "
                + "(first fit: %,d %s, %d a node), and the start's %,d nodes are within %d %% of them",
                io.nodesizer.model.Resource.at(need.other()).kubernetesName(), need.otherNodes(), need.deviceNodes(), need.devices(),
                need.devices() == 1 ? "device" : "devices", need.devicesPerNode(), startNodes, STRONG_START_PERCENT);
    }

    /**
     * How far above the binding resource's volume bound a start may be for the device-bin start to be skipped
     * ({@link #devicesDoNotBind}): the groupings came out 15.5–19.4 % above it on the openb lists where CPU binds (3.3 %
     * on 32-core 4-GPU nodes, where the best heuristic was 3.2 %), the heuristics' best 3–12.5 %, FFD alone at 81,520
     * pods 20.9 %.
     */
    static final int STRONG_START_PERCENT = 15;

    /** The pattern method, then local search, on a problem without rule-placed groups. */
    /** @param floors whether the packing is final, so that hostname spreads may take floors ({@link PatternPacking#packFloored}) */
    private Outcome optimizeAll(PackingResult start, LowerBound bound, long seed, boolean floors) {
        PackingProblem problem = start.problem();
        List<ShapeEvaluation.StrategyRun> runs = new ArrayList<>();
        PackingResult best = start;
        if (best.nodeCount() <= bound.value()) {
            return new Outcome(best, bound, runs);
        }
        Start binned = withDeviceBins(best, bound, runs);
        best = binned.best();
        bound = binned.bound();
        if (best.nodeCount() <= bound.value()) {
            return new Outcome(best, bound, runs);
        }
        long t0 = System.nanoTime();
        PatternPacking.Outcome pattern = PatternPacking.pack(problem, settings.pattern(), best.nodeCount(), best.assignment(), bound.value());
        long patternNanos = System.nanoTime() - t0;
        LowerBound improved = bound;
        io.nodesizer.engine.HostnameSpreads hostname = io.nodesizer.engine.HostnameSpreads.of(problem.table());
        int lpBound = pattern.lpBound();
        if (hostname != null && hostname.capsBind(problem)) {
            // The LP's patterns keep at most maxSkew of a hostname spread per node, which bounds only
            // packings that keep it; the scheduler allows more: the bound is the LP's without those caps.
            long t1 = System.nanoTime();
            lpBound = PatternPacking.boundWithoutSpreadCaps(problem, settings.pattern()).lpBound();
            patternNanos += System.nanoTime() - t1;
        }
        if (lpBound > 0) {
            improved = bound.with(new LowerBound.Part("LP", lpBound));
        }
        if (pattern.nodes() >= 0 && pattern.nodes() < best.nodeCount()) {
            best = PackingEngine.fromAssignment(problem, NAME, pattern.nodes(), pattern.assignment(), improved, patternNanos);
        } else if (improved != bound) {
            // Same packing, higher bound: verified again against it.
            best = best.withBound(improved);
        }
        runs.add(new ShapeEvaluation.StrategyRun("pattern", pattern.nodes() >= 0 ? Integer.valueOf(pattern.nodes()) : null,
                patternNanos));
        if (best.nodeCount() > improved.value() && problem.schedulablePodCount() <= LOCAL_SEARCH_MAX_PODS) {
            LocalSearch.Limits limits = settings.timeLimitMillis() > 0
                    ? new LocalSearch.Limits(Integer.MAX_VALUE, Integer.MAX_VALUE, java.time.Duration.ofMillis(settings.timeLimitMillis()))
                    : LocalSearch.Limits.defaults();
            long t1 = System.nanoTime();
            PackingResult searched = LocalSearch.improve(best, improved, limits, seed, NAME);
            long searchNanos = System.nanoTime() - t1;
            runs.add(new ShapeEvaluation.StrategyRun("local-search", searched.nodeCount(), searchNanos));
            if (searched.nodeCount() < best.nodeCount()) {
                best = searched;
            }
        }
        if (floors && best.nodeCount() > improved.value() && hostname != null && hostname.capsBind(problem)) {
            // Patterns and moves keep at most maxSkew of a spread per node; with a floor on every node, more.
            long t2 = System.nanoTime();
            PatternPacking.Outcome floored = PatternPacking.packFloored(problem, settings.pattern(), best.nodeCount(), improved.value());
            long flooredNanos = System.nanoTime() - t2;
            runs.add(new ShapeEvaluation.StrategyRun(FLOORS_RUN,
                    floored == null ? null : Integer.valueOf(floored.nodes()), flooredNanos));
            if (floored != null && floored.nodes() < best.nodeCount()) {
                best = PackingEngine.fromAssignment(problem, NAME, floored.nodes(), floored.assignment(), improved, flooredNanos);
            }
        }
        return new Outcome(best, improved, runs);
    }
}

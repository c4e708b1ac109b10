package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Evaluates a workload on many shapes, in parallel, and ranks them. Each shape is an independent
 * run; results are collected by shape index (never completion order) and sorted by a total order,
 * so the output does not depend on the number of threads.
 */
public final class ShapeSweep {
    private ShapeSweep() {
    }

    /**
     * Ranking: fully schedulable shapes first; then fewer pods left out; then, among shapes that place no pod at all
     * (every one $0), the largest allocatable CPU then memory first (the nearest to placing one, not the first name);
     * then monthly cost to the cent ({@link #monthlyCents}; unpriced shapes after priced ones); then, for the same bill, the
     * cheaper node (a smaller share lost with one node, a cheaper N+1 spare); then fewer nodes; then more allocatable CPU
     * then memory (headroom: Azure's HB120rs_v2 before its constrained-core HB120-96rs_v2 at the same price); then shape name.
     */
    public static final Comparator<ShapeEvaluation> RANKING = Comparator
            .comparing((ShapeEvaluation e) -> e.complete() ? 0 : 1)
            .thenComparingInt(ShapeEvaluation::unschedulableCount)
            .thenComparingLong(e -> e.nodes() == 0 ? -e.shape().allocatable().cpuMillis() : 0)
            .thenComparingLong(e -> e.nodes() == 0 ? -e.shape().allocatable().memoryBytes() : 0)
            // To the cent: m5.24xlarge × 2, m5.12xlarge × 4 and m5.16xlarge × 3 each cost $6,727.68 but for the last bits of
            // their products, which ranked them 2, 4, 3 nodes (QA 66b M2).
            .thenComparingLong(ShapeSweep::monthlyCents)
            // The same bill on cheaper nodes first: a smaller share of the capacity lost with one node, a cheaper N+1 spare
            // (g6.24xlarge × 6 over g6.48xlarge × 3, QA 66b M2). Unpriced shapes go by their node count.
            .thenComparingDouble(e -> e.costPerMonth() == null || e.shape().pricePerHourUsd() == null ? 0 : e.shape().pricePerHourUsd())
            .thenComparingInt(ShapeEvaluation::nodes)
            .thenComparingLong(e -> -e.shape().allocatable().cpuMillis())
            .thenComparingLong(e -> -e.shape().allocatable().memoryBytes())
            .thenComparing(e -> e.shape().name());

    /**
     * The monthly cost in whole cents, {@link Long#MAX_VALUE} for an unpriced shape. A bill of exactly half a cent rounds up
     * whatever the last bits of its product (review 66: 3 × $0.0085/h and 1 × $0.0255/h, both $18.615 a month, came to 1862
     * and 1861 cents): the product is nudged up by far more than its rounding error and far less than a tenth of a cent.
     */
    public static long monthlyCents(ShapeEvaluation e) {
        Double month = e.costPerMonth();
        return month == null ? Long.MAX_VALUE : Math.round(month * 100 + Math.abs(month) * 1e-10);
    }

    public static List<ShapeEvaluation> run(Workload workload, List<NodeShape> shapes, List<PackingStrategies> strategies,
                                            long seed, int threads, ProgressListener progress) {
        return run(workload, shapes, strategies, seed, threads, progress, ShapeEvaluator.OptimizeMode.OFF,
                ShapeOptimizer.Settings.defaults());
    }

    /** Shapes the optimizer takes from the top of the heuristic ranking: at least this many... */
    public static final int OPTIMIZE_TOP = 10;
    /** ...and every shape whose monthly cost is within this many percent of the best one. */
    public static final double OPTIMIZE_WITHIN_PERCENT = 5.0;

    /**
     * Heuristics on every shape, then (unless the mode is OFF) the optimizer on the best shapes of
     * that ranking ({@link #OPTIMIZE_TOP}, and any within {@link #OPTIMIZE_WITHIN_PERCENT} of the
     * best cost), and the ranking again.
     */
    public static List<ShapeEvaluation> run(Workload workload, List<NodeShape> shapes, List<PackingStrategies> strategies,
                                            long seed, int threads, ProgressListener progress,
                                            ShapeEvaluator.OptimizeMode mode, ShapeOptimizer.Settings settings) {
        return sweep(workload, shapes, strategies, seed, threads, progress, mode, settings).ranked();
    }

    /**
     * The ranking, and the packings of the shapes the optimizer ran on and of those that hold a dominated shape's packing
     * ({@link DominatedPackings}), by shape name, which callers that need assignments (mixed pools, --assignments) use
     * instead of packing again.
     */
    public record Swept(List<ShapeEvaluation> ranked, java.util.Map<String, io.nodesizer.engine.PackingResult> optimizedPackings) {
        public Swept {
            ranked = List.copyOf(ranked);
            optimizedPackings = java.util.Map.copyOf(optimizedPackings);
        }
    }

    /** As {@link #run(Workload, List, List, long, int, ProgressListener, ShapeEvaluator.OptimizeMode, ShapeOptimizer.Settings)}, keeping the optimized packings. */
    public static Swept sweep(Workload workload, List<NodeShape> shapes, List<PackingStrategies> strategies,
                              long seed, int threads, ProgressListener progress,
                              ShapeEvaluator.OptimizeMode mode, ShapeOptimizer.Settings settings) {
        return sweep(workload, DemandTable.of(workload), shapes, strategies, seed, threads, progress, mode, settings);
    }

    /**
     * As above over the caller's demand table of the workload (built with the zones every shape's
     * nodes are spread over, whose zone spread constraints then bind).
     */
    public static Swept sweep(Workload workload, DemandTable table, List<NodeShape> shapes, List<PackingStrategies> strategies,
                              long seed, int threads, ProgressListener progress,
                              ShapeEvaluator.OptimizeMode mode, ShapeOptimizer.Settings settings) {
        return sweep(workload, table, shapes, strategies, seed, threads, progress, mode, settings, n -> ProgressListener.NONE);
    }

    /**
     * As above, with the optimizer's progress over the best shapes (it can take minutes: many distinct GPU-share pods)
     * reported to {@code optimizing}'s listener for that many shapes.
     */
    public static Swept sweep(Workload workload, DemandTable table, List<NodeShape> shapes, List<PackingStrategies> strategies,
                              long seed, int threads, ProgressListener progress,
                              ShapeEvaluator.OptimizeMode mode, ShapeOptimizer.Settings settings,
                              java.util.function.IntFunction<ProgressListener> optimizing) {
        ShapeEvaluator evaluator = new ShapeEvaluator(table, workload.daemonSets(), strategies, seed, mode, settings);
        // Shapes that pack identically are packed once (the first of them) and the result fanned out. One bar over both
        // phases, a shape packed or fanned out counting one of them all: the fan-out takes seconds over a whole catalog, and
        // the bar, whose total was the distinct shapes, ended before it (review 76b #3).
        int n = shapes.size();
        Parallel.Distinct<ShapeEvaluation> own = Parallel.mapDistinct(n, i -> evaluator.packingKey(shapes.get(i)),
                i -> evaluator.evaluate(shapes.get(i), false).evaluation(), threads, (done, distinct) -> progress.progress(done, n));
        int[] twins = java.util.stream.IntStream.range(0, n).filter(i -> !own.ran(i)).toArray();
        int packed = n - twins.length;
        // The twins on the sweep's threads too: each words its own unschedulable groups over the whole table (a GPU trace's
        // 130,000 groups on each of ~650 AWS shapes that pack as another does).
        List<ShapeEvaluation> fanned = Parallel.map(twins.length, threads, k -> evaluator.fanOut(own.of(twins[k]), shapes.get(twins[k])),
                (done, total) -> progress.progress(packed + done, n));
        ShapeEvaluation[] byShape = new ShapeEvaluation[n]; // in the shapes' order, as the sort below is stable on ties
        for (int i = 0; i < n; i++) {
            byShape[i] = own.ran(i) ? own.of(i) : null;
        }
        for (int k = 0; k < twins.length; k++) {
            byShape[twins[k]] = fanned.get(k);
        }
        List<ShapeEvaluation> ranked = new ArrayList<>(List.of(byShape));
        ranked.sort(RANKING);
        java.util.Map<String, io.nodesizer.engine.PackingResult> packings = new java.util.HashMap<>();
        if (!evaluator.optimizes()) {
            return new Swept(DominatedPackings.adopt(ranked, evaluator, packings, threads), packings);
        }
        List<ShapeEvaluation> merged = optimized(ranked, topForOptimizer(ranked), evaluator, threads, optimizing, packings);
        // Shapes below the cut whose lower bound costs less than the best packing may still beat it
        // once optimized: the cheapest-bound few of them are, so that the winner is proven where it can be.
        List<ShapeEvaluation> more = challengers(merged).stream().filter(e -> !e.optimized()).limit(OPTIMIZE_CHALLENGERS).toList();
        if (!more.isEmpty()) {
            merged = optimized(merged, more, evaluator, threads, optimizing, packings);
        }
        // The verdicts name each class's best shape (ratio, size) with its cost: within a class too, a shape whose bound costs
        // less than that best's packing may beat it once optimized (QA 69c F1: 20,814 pods, the 2 GiB/vCPU class was quoted
        // at c6i.8xlarge's heuristic $1,878,377.60 where c6i.12xlarge optimized costs $1,807,888.80). The few per class whose
        // bound costs least is (one each: each is an optimizer run more).
        List<ShapeEvaluation> inClasses = classChallengers(merged);
        if (!inClasses.isEmpty()) {
            merged = optimized(merged, inClasses, evaluator, threads, optimizing, packings);
        }
        // Last, as the optimizer's packings may be the ones a dominating shape takes.
        return new Swept(DominatedPackings.adopt(merged, evaluator, packings, threads), packings);
    }

    /** Shapes per verdict class that the optimizer also takes at most ({@link #classChallengers}). */
    public static final int OPTIMIZE_CLASS_CHALLENGERS = 1;

    /**
     * Per verdict class (the ratio classes and the size classes of {@link Verdicts}), the shapes not optimized yet that might
     * cost less than the class's best, a shape that places every pod and has a price: that best itself where its bound costs
     * less than its packing, and the others that place every pod whose bound costs less than it; the one
     * ({@link #OPTIMIZE_CLASS_CHALLENGERS}) of least bound cost per class, each shape once.
     */
    static List<ShapeEvaluation> classChallengers(List<ShapeEvaluation> ranked) {
        java.util.Map<Object, List<ShapeEvaluation>> classes = new java.util.LinkedHashMap<>();
        for (ShapeEvaluation e : ranked) { // ranked: each class's members in ranking order, its best first
            classes.computeIfAbsent(List.of("ratio", Verdicts.ratioClass(e)), k -> new ArrayList<>()).add(e);
            classes.computeIfAbsent(List.of("size", Verdicts.SizeClass.of(e)), k -> new ArrayList<>()).add(e);
        }
        java.util.Set<ShapeEvaluation> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        List<ShapeEvaluation> ordered = new ArrayList<>();
        for (List<ShapeEvaluation> members : classes.values()) {
            ShapeEvaluation best = members.get(0);
            if (!best.complete() || best.costPerHour() == null) {
                continue;
            }
            double cost = best.costPerHour();
            List<ShapeEvaluation> might = new ArrayList<>();
            for (ShapeEvaluation e : members) {
                Double bound = e.boundCostPerHour();
                if (!e.optimized() && e.complete() && bound != null && bound < cost * (1 - 1e-9)) {
                    might.add(e);
                }
            }
            might.sort(Comparator.comparing(ShapeEvaluation::boundCostPerHour).thenComparing(RANKING));
            for (ShapeEvaluation e : might.subList(0, Math.min(OPTIMIZE_CLASS_CHALLENGERS, might.size()))) {
                if (out.add(e)) {
                    ordered.add(e);
                }
            }
        }
        return ordered;
    }

    /** Shapes below the first cut that the optimizer also takes at most, those whose bound costs least first ({@link #challengers}). */
    public static final int OPTIMIZE_CHALLENGERS = 10;

    /** The ranking with {@code chosen} (shapes of it) optimized, ranked again; their packings go into {@code packings}. */
    private static List<ShapeEvaluation> optimized(List<ShapeEvaluation> ranked, List<ShapeEvaluation> chosen, ShapeEvaluator evaluator,
                                                   int threads, java.util.function.IntFunction<ProgressListener> optimizing,
                                                   java.util.Map<String, io.nodesizer.engine.PackingResult> packings) {
        List<ShapeEvaluator.Outcome> outcomes = Parallel.map(chosen.size(), threads,
                i -> evaluator.evaluate(chosen.get(i).shape(), true), optimizing.apply(chosen.size()));
        java.util.Set<ShapeEvaluation> replaced = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        replaced.addAll(chosen);
        List<ShapeEvaluation> merged = new ArrayList<>(ranked.size());
        for (ShapeEvaluation e : ranked) {
            if (!replaced.contains(e)) {
                merged.add(e);
            }
        }
        for (ShapeEvaluator.Outcome o : outcomes) {
            merged.add(o.evaluation());
            packings.put(o.evaluation().shape().name(), o.best());
        }
        merged.sort(RANKING);
        return merged;
    }

    /**
     * The shapes of a ranking that might still cost less than its first, a priced shape that places
     * every pod: those (other than it) that place every pod too and whose lower bound costs less
     * than its packing ({@link ShapeEvaluation#boundCostPerHour}), least bound cost first. Empty
     * when none: then no packing on any other shape can cost less — the first is the cheapest
     * shape, proven (up to the strategies' packings of the first itself, whose own gap says how
     * far it may be from its bound). Empty too when the first places not every pod or has no price.
     */
    public static List<ShapeEvaluation> challengers(List<ShapeEvaluation> ranked) {
        if (ranked.isEmpty() || !ranked.get(0).complete() || ranked.get(0).costPerHour() == null) {
            return List.of();
        }
        double best = ranked.get(0).costPerHour();
        List<ShapeEvaluation> out = new ArrayList<>();
        for (ShapeEvaluation e : ranked.subList(1, ranked.size())) {
            Double bound = e.boundCostPerHour();
            if (e.complete() && bound != null && bound < best * (1 - 1e-9)) {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing(ShapeEvaluation::boundCostPerHour).thenComparing(RANKING));
        return out;
    }

    /** A prefix of the ranking: the first {@link #OPTIMIZE_TOP}, extended while shapes stay within reach of the best. */
    static List<ShapeEvaluation> topForOptimizer(List<ShapeEvaluation> ranked) {
        if (ranked.isEmpty()) {
            return List.of();
        }
        Double best = ranked.get(0).costPerMonth();
        int n = Math.min(OPTIMIZE_TOP, ranked.size());
        while (n < ranked.size() && best != null && ranked.get(n).complete() == ranked.get(0).complete()) {
            Double c = ranked.get(n).costPerMonth();
            if (c == null || c > best * (1 + OPTIMIZE_WITHIN_PERCENT / 100)) {
                break;
            }
            n++;
        }
        return ranked.subList(0, n);
    }
}

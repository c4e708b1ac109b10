package io.nodesizer.pattern;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;

import java.util.ArrayList;
import java.util.List;

/**
 * The pattern method for one node shape: column generation gives the LP bound, then "diving"
 * turns the LP into a packing. Each dive step fixes every pattern the LP uses at least once
 * (⌊x_p⌋ nodes of it), or, when every value is fractional, one node of the largest; the demand
 * those nodes cover is removed and column generation runs again on what is left, reusing every
 * pattern seen so far. This is the residual-rounding scheme of cutting-stock practice (e.g.
 * Wäscher & Gau, "Heuristics for the integer one-dimensional cutting stock problem", OR Spektrum
 * 18, 1996): it generates new patterns for the residual instead of rounding a fixed pattern set.
 *
 * <p>Effort is bounded by counts (rounds, pricing nodes, pivots, dive steps), never time, so the
 * same input always gives the same packing.
 */
public final class PatternPacking {


    private PatternPacking() {
    }

    /**
     * Effort limits.
     *
     * @param maxDiveSteps   dive steps before the rest of the demand is packed first-fit
     * @param rootRounds     column generation rounds for the bound
     * @param stepRounds     rounds per dive step
     * @param pricingNodes   branch-and-bound nodes per pricing call
     * @param maxTypes       above this many distinct request vectors the method is not run
     */
    public record Limits(int maxDiveSteps, int rootRounds, int stepRounds, int columnsPerRound, long pricingNodes,
                         long pivotsPerRound, int maxTypes) {
        public static Limits defaults() {
            return new Limits(400, 2_000, 200, 12, 200_000, 200_000, 2_000);
        }
    }

    /**
     * The outcome: the LP bound and, when diving finished, a packing.
     *
     * @param lpValue     the master LP value at the root (an upper bound on the LP optimum)
     * @param lpBound     a valid lower bound on nodes, ⌈Farley bound⌉ (0 when not computed)
     * @param converged   the root column generation proved the LP optimum (bound = ⌈LP⌉)
     * @param nodes       nodes of the packing, or -1 when none was built
     * @param assignment  node per global pod (−1 for pods outside the schedulable groups); null without packing
     * @param types       distinct request vectors
     * @param columns     patterns generated
     */
    public record Outcome(double lpValue, int lpBound, boolean converged, int nodes, int[] assignment, int types,
                          int columns, int rootRounds, int diveSteps, long pivots) {
    }

    /** Runs only the root column generation: the LP bound. */
    public static Outcome bound(PackingProblem problem, Limits limits) {
        return run(problem, limits, Integer.MAX_VALUE, 0, false);
    }

    /**
     * Bound and packing. Diving stops early once it cannot beat {@code incumbentNodes} (a packing
     * the caller already has): then {@code nodes} is -1. No dive starts once a packing meets
     * {@code knownBound} (a lower bound the caller already has, such as L2) or the LP bound.
     */
    public static Outcome pack(PackingProblem problem, Limits limits, int incumbentNodes, int knownBound) {
        return run(problem, limits, incumbentNodes, knownBound, true);
    }

    private static Outcome run(PackingProblem problem, Limits limits, int incumbentNodes, int knownBound, boolean dive) {
        RequestTypes types = RequestTypes.of(problem);
        int n = types.count();
        if (n == 0) {
            return new Outcome(0, 0, true, 0, emptyAssignment(problem), 0, 0, 0, 0, 0);
        }
        if (n > limits.maxTypes()) {
            return new Outcome(Double.NaN, 0, false, -1, null, n, 0, 0, 0, 0);
        }
        PatternPricer pricer = new PatternPricer(types, limits.pricingNodes());
        long[] demand = new long[n];
        for (int t = 0; t < n; t++) {
            demand[t] = types.pods(t);
        }
        List<int[]> pool = new ArrayList<>();
        ColumnGeneration.Outcome root = ColumnGeneration.solve(types, demand, pool, pricer,
                new ColumnGeneration.Limits(limits.rootRounds(), limits.columnsPerRound(), limits.pricingNodes(),
                        limits.pivotsPerRound()));
        int lpBound = root.integerBound();
        int target = Math.max(lpBound, knownBound);
        Dive dive1 = null;
        int steps = 0;
        long pivots = root.pivots();
        List<int[]> best = null;
        int incumbent = incumbentNodes;
        for (DiveRule rule : DiveRule.values()) {
            if (!dive || target >= incumbent) {
                break;
            }
            if (rule == DiveRule.LARGEST && target > limits.maxDiveSteps()) {
                break; // one dive step per node: too many nodes for this rule within the limits
            }
            Dive d = new Dive(types, pricer, pool, limits, rule);
            List<int[]> nodes = d.run(root, demand, incumbent);
            steps += d.steps;
            pivots += d.pivots;
            if (nodes != null && nodes.size() < incumbent) {
                best = nodes;
                incumbent = nodes.size();
            }
        }
        if (best == null) {
            return new Outcome(root.lpValue(), lpBound, root.converged(), -1, null, n, pool.size() + n,
                    root.rounds(), steps, pivots);
        }
        return new Outcome(root.lpValue(), lpBound, root.converged(), best.size(), assign(problem, types, best), n,
                pool.size() + n, root.rounds(), steps, pivots);
    }

    /**
     * How a dive step rounds the LP: {@code ALL_FLOORS} fixes ⌊x_p⌋ nodes of every pattern at
     * once (few steps: suits large fleets), {@code LARGEST} only the pattern of largest value
     * (one node per step, more careful: it finds the optimum more often on small instances).
     * Both fall back to one node of the largest fractional pattern when nothing is ≥ 1.
     */
    private enum DiveRule { ALL_FLOORS, LARGEST }

    /** One dive from the root LP down to a complete packing. */
    private static final class Dive {
        private final RequestTypes types;
        private final PatternPricer pricer;
        private final List<int[]> pool;
        private final Limits limits;
        private final DiveRule rule;
        int steps;
        long pivots;

        Dive(RequestTypes types, PatternPricer pricer, List<int[]> pool, Limits limits, DiveRule rule) {
            this.types = types;
            this.pricer = pricer;
            this.pool = pool;
            this.limits = limits;
            this.rule = rule;
        }

        /** The nodes (pods per type), or null when the dive proved it cannot beat {@code incumbent}. */
        List<int[]> run(ColumnGeneration.Outcome root, long[] demand, int incumbent) {
            int n = types.count();
            long[] residual = demand.clone();
            List<int[]> nodes = new ArrayList<>();
            ColumnGeneration.Outcome step = root;
            ColumnGeneration.Limits stepLimits = new ColumnGeneration.Limits(limits.stepRounds(), limits.columnsPerRound(),
                    limits.pricingNodes(), limits.pivotsPerRound());
            while (true) {
                steps++;
                boolean fixed = false;
                double[] x = step.x();
                List<int[]> cols = step.columns();
                if (rule == DiveRule.ALL_FLOORS) {
                    for (int j = 0; j < cols.size(); j++) {
                        long copies = (long) Math.floor(x[j] + 1e-9);
                        for (long c = 0; c < copies; c++) {
                            fixed |= fix(cols.get(j), residual, nodes);
                        }
                    }
                }
                if (!fixed) {
                    int best = -1;
                    for (int j = 0; j < cols.size(); j++) {
                        if (x[j] > 1e-9 && (best < 0 || x[j] > x[best])) {
                            best = j;
                        }
                    }
                    if (best < 0 || !fix(cols.get(best), residual, nodes)) {
                        // The LP left nothing to round: cover what is left one type at a time.
                        for (int t = 0; t < n && !fixed; t++) {
                            if (residual[t] > 0) {
                                int[] single = new int[n];
                                single[t] = (int) Math.min(types.alone(t), residual[t]);
                                fixed = fix(single, residual, nodes);
                            }
                        }
                    }
                }
                if (isZero(residual)) {
                    return nodes;
                }
                if (steps >= limits.maxDiveSteps()) {
                    firstFit(types, residual, nodes);
                    return nodes;
                }
                step = ColumnGeneration.solve(types, residual, pool, pricer, stepLimits);
                pivots += step.pivots();
                if (nodes.size() + step.integerBound() >= incumbent) {
                    return null;
                }
            }
        }
    }

    /** Fixes one node of {@code pattern}, clipped to the open demand; false when it covers nothing. */
    private static boolean fix(int[] pattern, long[] residual, List<int[]> nodes) {
        int[] node = ColumnGeneration.clip(pattern, residual);
        boolean any = false;
        for (int t = 0; t < node.length; t++) {
            if (node[t] > 0) {
                any = true;
                residual[t] -= node[t];
            }
        }
        if (any) {
            nodes.add(node);
        }
        return any;
    }

    private static boolean isZero(long[] v) {
        for (long x : v) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** Packs the remaining pods first-fit decreasing by type (the types are few; pods go in bulk). */
    private static void firstFit(RequestTypes types, long[] residual, List<int[]> nodes) {
        int dims = types.dimensions();
        int n = types.count();
        List<long[]> free = new ArrayList<>();
        int firstNew = nodes.size();
        Integer[] order = new Integer[n];
        double[] share = new double[n];
        for (int t = 0; t < n; t++) {
            order[t] = t;
            for (int k = 0; k < dims; k++) {
                share[t] = Math.max(share[t], (double) types.size(t, k) / types.capacity(k));
            }
        }
        java.util.Arrays.sort(order, (a, b) -> {
            int c = Double.compare(share[b], share[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
        for (int t : order) {
            int from = 0;
            while (residual[t] > 0) {
                int node = -1;
                long k = 0;
                for (int i = from; i < free.size() && node < 0; i++) {
                    k = fitCount(types, t, free.get(i), residual[t]);
                    if (k > 0) {
                        node = i;
                    }
                }
                if (node < 0) {
                    long[] cap = new long[dims];
                    for (int d = 0; d < dims; d++) {
                        cap[d] = types.capacity(d);
                    }
                    free.add(cap);
                    nodes.add(new int[n]);
                    node = free.size() - 1;
                    k = fitCount(types, t, cap, residual[t]);
                }
                for (int d = 0; d < dims; d++) {
                    free.get(node)[d] -= k * types.size(t, d);
                }
                nodes.get(firstNew + node)[t] += (int) k;
                residual[t] -= k;
                from = node + 1;
            }
        }
    }

    private static long fitCount(RequestTypes types, int t, long[] free, long limit) {
        long k = limit;
        for (int d = 0; d < types.dimensions(); d++) {
            long s = types.size(t, d);
            if (s > 0) {
                k = Math.min(k, free[d] / s);
            }
        }
        return k;
    }

    /** Turns per-node pod counts by type into a pod → node assignment, pods of a type in input order. */
    private static int[] assign(PackingProblem problem, RequestTypes types, List<int[]> nodes) {
        DemandTable table = problem.table();
        int[] assignment = emptyAssignment(problem);
        int n = types.count();
        int[] groupCursor = new int[n];
        int[] podCursor = new int[n];
        for (int node = 0; node < nodes.size(); node++) {
            int[] counts = nodes.get(node);
            for (int t = 0; t < n; t++) {
                for (int c = 0; c < counts[t]; c++) {
                    int[] gs = types.groups(t);
                    while (podCursor[t] >= table.replicas(gs[groupCursor[t]])) {
                        groupCursor[t]++;
                        podCursor[t] = 0;
                    }
                    int g = gs[groupCursor[t]];
                    assignment[table.firstPod(g) + podCursor[t]++] = node;
                }
            }
        }
        return assignment;
    }

    private static int[] emptyAssignment(PackingProblem problem) {
        int[] a = new int[problem.table().podCount()];
        java.util.Arrays.fill(a, -1);
        return a;
    }
}

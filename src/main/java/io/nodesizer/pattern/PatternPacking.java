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
                         long pivotsPerRound, int maxTypes, int largestRuleMaxNodes, long simplexWork) {
        /**
         * Measured on BPPLIB and openb (README): the careful dive rule only up to 120 nodes, and
         * 1.5·10⁹ units of simplex work (pivots × rows², a few seconds) per run.
         */
        public static Limits defaults() {
            return new Limits(400, 2_000, 200, 12, 200_000, 200_000, 2_000, 120, 1_500_000_000L);
        }

        /** Root and dive-step limits sharing one effort budget. */
        ColumnGeneration.Limits root(ColumnGeneration.Effort effort) {
            return new ColumnGeneration.Limits(rootRounds, columnsPerRound, pricingNodes, pivotsPerRound, effort);
        }

        ColumnGeneration.Limits step(ColumnGeneration.Effort effort) {
            return new ColumnGeneration.Limits(stepRounds, columnsPerRound, pricingNodes, pivotsPerRound, effort);
        }

        ColumnGeneration.Effort effort() {
            return new ColumnGeneration.Effort(simplexWork, 1);
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
        return run(RequestTypes.of(problem), problem, limits, Integer.MAX_VALUE, null, 0, false);
    }

    /**
     * The LP bound with no cap per node for hostname spreads that the scheduler lets exceed
     * maxSkew on a node ({@link RequestTypes#withoutSpreadCaps}): a bound on the packings that
     * keep its rule, which the capped patterns do not give.
     */
    public static Outcome boundWithoutSpreadCaps(PackingProblem problem, Limits limits) {
        return run(RequestTypes.withoutSpreadCaps(problem), problem, limits, Integer.MAX_VALUE, null, 0, false);
    }

    /**
     * Bound and packing. Diving stops early once it cannot beat {@code incumbentNodes} (a packing
     * the caller already has): then {@code nodes} is -1. No dive starts once a packing meets
     * {@code knownBound} (a lower bound the caller already has, such as L2) or the LP bound.
     */
    public static Outcome pack(PackingProblem problem, Limits limits, int incumbentNodes, int knownBound) {
        return run(RequestTypes.of(problem), problem, limits, incumbentNodes, null, knownBound, true);
    }

    /**
     * As {@link #pack(PackingProblem, Limits, int, int)}, with the caller's packing itself (node per
     * global pod, -1 for pods left out): its node patterns start the master LP, so column
     * generation begins at that packing's node count instead of far above it.
     */
    public static Outcome pack(PackingProblem problem, Limits limits, int incumbentNodes, int[] incumbentAssignment, int knownBound) {
        return run(RequestTypes.of(problem), problem, limits, incumbentNodes, incumbentAssignment, knownBound, true);
    }

    private static Outcome run(RequestTypes types, PackingProblem problem, Limits limits, int incumbentNodes, int[] incumbentAssignment,
                               int knownBound, boolean dive) {
        int n = types.count();
        if (n == 0) {
            return new Outcome(0, 0, true, 0, emptyAssignment(problem), 0, 0, 0, 0, 0);
        }
        if (n > limits.maxTypes()) {
            return new Outcome(Double.NaN, 0, false, -1, null, n, 0, 0, 0, 0);
        }
        List<ColumnGeneration.Shape> shapes = List.of(new ColumnGeneration.Shape(types,
                new PatternPricer(types, limits.pricingNodes()), 1.0));
        long[] demand = new long[n];
        for (int t = 0; t < n; t++) {
            demand[t] = types.pods(t);
        }
        List<ColumnGeneration.Column> pool = new ArrayList<>();
        List<int[]> seeds = incumbentAssignment != null ? SeedPatterns.of(types, incumbentAssignment, incumbentNodes)
                : SeedPatterns.firstFitDecreasing(types, demand);
        for (int[] pattern : seeds) {
            pool.add(new ColumnGeneration.Column(0, pattern));
        }
        ColumnGeneration.Effort effort = limits.effort();
        ColumnGeneration.Outcome root = ColumnGeneration.solve(shapes, demand, pool, limits.root(effort), true);
        int lpBound = root.integerBound();
        int target = Math.max(lpBound, knownBound);
        Diving diving = new Diving(shapes, pool, limits.step(effort), limits.maxDiveSteps(), true);
        List<ColumnGeneration.Column> best = null;
        int incumbent = incumbentNodes;
        for (Diving.Rule rule : new Diving.Rule[] {Diving.Rule.ALL_FLOORS, Diving.Rule.LARGEST}) { // one shape: COSTLIEST is LARGEST
            if (!dive || target >= incumbent) {
                break;
            }
            if (rule == Diving.Rule.LARGEST && target > Math.min(limits.maxDiveSteps(), limits.largestRuleMaxNodes())) {
                break; // one dive step per node: too many nodes for this rule within the limits
            }
            List<ColumnGeneration.Column> nodes = diving.dive(root, demand, rule, incumbent);
            if (nodes != null && nodes.size() < incumbent) {
                best = nodes;
                incumbent = nodes.size();
            }
        }
        long pivots = root.pivots() + diving.pivots;
        if (best == null) {
            return new Outcome(root.lpValue(), lpBound, root.converged(), -1, null, n, pool.size() + n,
                    root.rounds(), diving.steps, pivots);
        }
        List<int[]> counts = best.stream().map(ColumnGeneration.Column::counts).toList();
        return new Outcome(root.lpValue(), lpBound, root.converged(), best.size(), assign(problem, types, counts), n,
                pool.size() + n, root.rounds(), diving.steps, pivots);
    }

    /** Turns per-node pod counts by type into a pod → node assignment, pods of a type in input order. */
    static int[] assign(PackingProblem problem, RequestTypes types, List<int[]> nodes) {
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

    static int[] emptyAssignment(PackingProblem problem) {
        int[] a = new int[problem.table().podCount()];
        java.util.Arrays.fill(a, -1);
        return a;
    }
}

package io.nodesizer.pattern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gilmore–Gomory column generation: the LP "how many nodes of shape s carry pattern p",
 * {@code min Σ c_s x_sp  s.t.  Σ a_tp x_sp ≥ demand_t}, over patterns generated on demand by one
 * {@link PatternPricer} per shape. One shape at cost 1 counts nodes; several shapes at their
 * hourly prices choose mixed pools. Several improving patterns are added per round and the
 * master keeps its basis between rounds ({@link CoveringLp}).
 *
 * <p>The lower bound does not trust the LP solver: for any duals π ≥ 0, π/ρ is feasible for the
 * dual of the full pattern LP when ρ ≥ max_s κ_s / c_s and κ_s bounds the value of every pattern
 * of shape s from above, so {@code Σ demand_t π_t / ρ} is a valid lower bound on the LP optimum
 * and hence on every packing (Farley, "A note on bounding a class of linear programming problems,
 * including cutting stock problems", Operations Research 38, 1990). κ_s is the pricing optimum,
 * or its relaxation when the search was cut short. The bound is taken every round, which also
 * lets the loop stop as soon as it meets the master's value (for node counts: their ceilings).
 *
 * <p>Patterns never hold more pods of a type than the demand still open: any packing can drop
 * the surplus pods, so this loses no solution and tightens the LP.
 */
final class ColumnGeneration {
    /** Tolerance under which a bound is rounded down to the integer below before its ceiling. */
    static final double CEIL_TOLERANCE = 1e-6;
    private static final double RELATIVE_GAP = 1e-6;
    /** A pricing search cut short without result is retried with up to this many times the node budget. */
    private static final long DEEPER_SEARCH = 16;

    private ColumnGeneration() {
    }

    /**
     * Effort limits, all counts (never time), so results are reproducible; {@code effort} is
     * shared by every solve of one run (the root and all dive steps).
     */
    record Limits(int maxRounds, int columnsPerRound, long pricingNodes, long pivotsPerRound, Effort effort) {
    }

    /**
     * The work of one run against fixed budgets: simplex work counted as pivots × rows² (the cost
     * of a pivot on the dense basis inverse), and branch-and-bound nodes of pricing. A run that
     * reaches either stops generating columns and its dives finish first-fit, so the worst case
     * has a bounded, machine-independent cost.
     */
    static final class Effort {
        /** Branch-and-bound nodes one run may spend on deeper retries of cut-short searches. */
        static final long DEEPER_NODES = 1_000_000;

        private final long limit;
        private final long pricingLimit;
        private long used;
        private long deeperNodes;

        /** One run's budgets: {@code scale} runs' worth of pricing, and simplex work {@code limit}. */
        Effort(long limit, int scale) {
            this.limit = limit;
            this.pricingLimit = PRICING_NODES * scale;
        }

        /** Branch-and-bound nodes one run may spend on pricing in all. */
        static final long PRICING_NODES = 80_000_000;
        private long pricingNodes;

        void addPricing(long nodes) {
            pricingNodes += nodes;
        }

        void addDeeper(long nodes) {
            deeperNodes += nodes;
        }

        boolean deeperLeft() {
            return deeperNodes < DEEPER_NODES * (pricingLimit / PRICING_NODES);
        }

        void add(long pivots, int rows) {
            used += pivots * (long) rows * rows;
        }

        boolean exhausted() {
            return used >= limit || pricingNodes >= pricingLimit;
        }

        /** Pivots still affordable on an LP of {@code rows} rows (at least 1). */
        long pivotsLeft(int rows) {
            return Math.max(1, (limit - used) / Math.max(1L, (long) rows * rows));
        }

        long used() {
            return used;
        }
    }

    /** One node shape: its view of the types, its pricer, and the cost of one node (1 to count nodes). */
    record Shape(RequestTypes types, PatternPricer pricer, double cost) {
    }

    /** A pattern (pods per type) on one shape (index into the shape list). */
    record Column(int shape, int[] counts) {
    }

    /**
     * @param lpValue   the master's optimum over the columns generated (an upper bound on the LP)
     * @param bound     the best Farley bound seen (a lower bound on the LP, so on any packing)
     * @param converged no column with negative reduced cost is left (or the bound met the value)
     * @param columns   the master's columns, in LP order
     * @param x         the master's primal solution, one value per column
     * @param duals     the master's final duals per type (clipped at 0; 0 for types without demand)
     */
    record Outcome(double lpValue, double bound, boolean converged, List<Column> columns, double[] x, int rounds,
                   long pivots, double[] duals) {
        int integerBound() {
            return (int) Math.ceil(bound - CEIL_TOLERANCE);
        }
    }

    /** One shape at cost 1: the node-count LP. */
    static Outcome solve(RequestTypes types, long[] demand, List<Column> pool, PatternPricer pricer, Limits limits) {
        return solve(List.of(new Shape(types, pricer, 1.0)), demand, pool, limits, true);
    }

    /**
     * Solves the pattern LP for {@code demand} (pods still open per type; some may be 0, every
     * open type must fit some shape), starting from the pool of known columns (clipped to the
     * demand), and adds every new column to the pool.
     *
     * @param integral the objective only takes integer values (node counts), so the loop may stop
     *                 once the bound's ceiling meets the value's
     */
    static Outcome solve(List<Shape> shapes, long[] demand, List<Column> pool, Limits limits, boolean integral) {
        return solve(shapes, demand, null, pool, limits, integral);
    }

    /**
     * As {@link #solve(List, long[], List, Limits, boolean)}, with every shape s bought at least
     * {@code minNodes[s]} times (null: no minimum): one more covering row per such shape, where
     * every column of s counts 1 (an empty node of s is a column too, which keeps the diagonal
     * start feasible). Its dual μ_s lowers what a pattern of s must be worth to improve
     * ({@code c_s − μ_s}), and enters the bound as {@code (Σ d_t π_t + Σ m_s μ_s) / ρ} with
     * {@code ρ ≥ max_s (κ_s + μ_s) / c_s}, which keeps (π, μ)/ρ dual feasible.
     */
    static Outcome solve(List<Shape> shapes, long[] demand, long[] minNodes, List<Column> pool, Limits limits, boolean integral) {
        int n = shapes.get(0).types().count();
        int[] rowOfType = new int[n];
        Arrays.fill(rowOfType, -1);
        int rows = 0;
        for (int t = 0; t < n; t++) {
            if (demand[t] > 0) {
                rowOfType[t] = rows++;
            }
        }
        int typeRows = rows;
        int[] rowOfShape = new int[shapes.size()];
        Arrays.fill(rowOfShape, -1);
        for (int s = 0; s < shapes.size(); s++) {
            if (minNodes != null && minNodes[s] > 0) {
                rowOfShape[s] = rows++;
            }
        }
        int[] typeOfRow = new int[typeRows];
        double[] b = new double[rows];
        for (int t = 0; t < n; t++) {
            if (rowOfType[t] >= 0) {
                typeOfRow[rowOfType[t]] = t;
                b[rowOfType[t]] = demand[t];
            }
        }
        for (int s = 0; s < shapes.size(); s++) {
            if (rowOfShape[s] >= 0) {
                b[rowOfShape[s]] = minNodes[s];
            }
        }
        if (rows == 0) {
            return new Outcome(0, 0, true, List.of(), new double[0], 0, 0, new double[n]);
        }
        Rows index = new Rows(rowOfType, rowOfShape);
        CoveringLp lp = new CoveringLp(b);
        List<Column> columns = new ArrayList<>();
        Set<ColumnKey> seen = new HashSet<>();
        for (int r = 0; r < typeRows; r++) {
            int t = typeOfRow[r];
            // The cheapest way to hold pods of this type alone: a feasible diagonal start.
            int bestShape = -1;
            double bestPerPod = Double.POSITIVE_INFINITY;
            for (int s = 0; s < shapes.size(); s++) {
                long alone = Math.min(shapes.get(s).types().alone(t), demand[t]);
                if (alone > 0 && shapes.get(s).cost() / alone < bestPerPod) {
                    bestPerPod = shapes.get(s).cost() / alone;
                    bestShape = s;
                }
            }
            if (bestShape < 0) {
                throw new IllegalArgumentException("Type " + t + " fits none of the shapes");
            }
            int[] single = new int[n];
            single[t] = (int) Math.min(shapes.get(bestShape).types().alone(t), demand[t]);
            add(lp, shapes, columns, seen, new Column(bestShape, single), index);
        }
        for (int s = 0; s < shapes.size(); s++) {
            if (rowOfShape[s] >= 0) {
                add(lp, shapes, columns, seen, new Column(s, new int[n]), index); // an empty node: the minimum's diagonal start
            }
        }
        for (Column c : pool) {
            add(lp, shapes, columns, seen, new Column(c.shape(), clip(c.counts(), demand)), index);
        }
        double bound = 0;
        boolean converged = false;
        int round = 0;
        double[] value = new double[n];
        long budget = limits.pricingNodes();
        while (round < limits.maxRounds() && !limits.effort().exhausted()) {
            round++;
            long before = lp.pivots();
            lp.solve(Math.min(limits.pivotsPerRound(), limits.effort().pivotsLeft(rows)));
            limits.effort().add(lp.pivots() - before, rows);
            double[] pi = lp.duals();
            Arrays.fill(value, 0);
            double duality = 0;
            for (int r = 0; r < typeRows; r++) {
                double v = Math.max(0, pi[r]);
                value[typeOfRow[r]] = v;
                duality += v * b[r];
            }
            double rho = 0;
            boolean exact = true;
            long searched = 0;
            List<Column> improving = new ArrayList<>();
            for (int s = 0; s < shapes.size(); s++) {
                Shape shape = shapes.get(s);
                double mu = rowOfShape[s] >= 0 ? Math.min(shape.cost(), Math.max(0, pi[rowOfShape[s]])) : 0;
                duality += mu * (rowOfShape[s] >= 0 ? b[rowOfShape[s]] : 0);
                PatternPricer.Result priced = shape.pricer().price(value, demand, (shape.cost() - mu) * (1 + 1e-9),
                        limits.columnsPerRound(), budget);
                exact &= priced.exact();
                searched += priced.nodes();
                limits.effort().addPricing(priced.nodes());
                rho = Math.max(rho, (priced.upperBound() + mu) / shape.cost());
                for (int i = priced.patterns().size() - 1; i >= 0; i--) {
                    improving.add(new Column(s, PatternPricer.fill(shape.types(), priced.patterns().get(i), demand)));
                }
            }
            // rho >= 1 whenever the master's basis prices its columns at their cost; dividing by
            // less would only come from numerical noise and is not trusted.
            bound = Math.max(bound, duality / Math.max(rho, 1.0));
            double z = lp.objective();
            if (exact && rho <= 1 + 1e-9) {
                converged = true;
                break;
            }
            if (integral ? Math.ceil(bound - CEIL_TOLERANCE) >= Math.ceil(z - CEIL_TOLERANCE) : z - bound <= RELATIVE_GAP * z) {
                converged = true; // the bound cannot usefully rise any more
                break;
            }
            int added = 0;
            for (Column c : improving) {
                if (add(lp, shapes, columns, seen, c, index)) {
                    pool.add(c);
                    added++;
                }
            }
            if (added == 0) {
                if (budget > limits.pricingNodes()) {
                    limits.effort().addDeeper(searched);
                }
                if (!exact && budget < limits.pricingNodes() * DEEPER_SEARCH && limits.effort().deeperLeft()) {
                    // The searches were cut short and found nothing: the duals are unchanged, so
                    // search the same knapsacks deeper before giving up on the LP.
                    budget *= 4;
                    continue;
                }
                break; // nothing new to add: numerical stalemate, keep what we have
            }
            budget = limits.pricingNodes();
        }
        long before = lp.pivots();
        lp.solve(Math.min(limits.pivotsPerRound(), limits.effort().pivotsLeft(rows)));
        limits.effort().add(lp.pivots() - before, rows);
        double[] pi = lp.duals();
        double[] duals = new double[n];
        for (int r = 0; r < typeRows; r++) {
            duals[typeOfRow[r]] = Math.max(0, pi[r]);
        }
        return new Outcome(lp.objective(), bound, converged, columns, lp.primal(), round, lp.pivots(), duals);
    }

    /** The pattern with at most {@code demand_t} pods of each type. */
    static int[] clip(int[] pattern, long[] demand) {
        int[] out = new int[pattern.length];
        for (int t = 0; t < pattern.length; t++) {
            out[t] = (int) Math.min(pattern[t], demand[t]);
        }
        return out;
    }

    /** Row of each type with demand, and of each shape with a minimum (-1: none). */
    private record Rows(int[] ofType, int[] ofShape) {
    }

    private static boolean add(CoveringLp lp, List<Shape> shapes, List<Column> columns, Set<ColumnKey> seen, Column column,
                               Rows index) {
        int[] pattern = column.counts();
        int[] rowOfType = index.ofType();
        int minRow = index.ofShape()[column.shape()];
        int nnz = minRow >= 0 ? 1 : 0;
        for (int t = 0; t < pattern.length; t++) {
            if (pattern[t] > 0 && rowOfType[t] >= 0) {
                nnz++;
            }
        }
        if (nnz == 0 || !seen.add(new ColumnKey(column.shape(), pattern))) {
            return false;
        }
        int[] rows = new int[nnz];
        double[] vals = new double[nnz];
        int w = 0;
        for (int t = 0; t < pattern.length; t++) {
            if (pattern[t] > 0 && rowOfType[t] >= 0) {
                rows[w] = rowOfType[t];
                vals[w++] = pattern[t];
            }
        }
        if (minRow >= 0) { // minimum rows follow every type row
            rows[w] = minRow;
            vals[w] = 1;
        }
        // rowOfType is increasing in t, so rows come out ascending.
        lp.addColumn(rows, vals, shapes.get(column.shape()).cost());
        columns.add(column);
        return true;
    }

    private record ColumnKey(int shape, int[] counts) {
        @Override
        public boolean equals(Object o) {
            return o instanceof ColumnKey k && shape == k.shape && Arrays.equals(counts, k.counts);
        }

        @Override
        public int hashCode() {
            return 31 * shape + Arrays.hashCode(counts);
        }
    }
}

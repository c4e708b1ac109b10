package io.nodesizer.pattern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Gilmore–Gomory column generation for one node shape: the LP "how many nodes carry pattern p",
 * {@code min Σ x_p  s.t.  Σ_p a_tp x_p ≥ demand_t}, over patterns generated on demand by
 * {@link PatternPricer}. Several improving patterns are added per round and the master keeps its
 * basis between rounds ({@link CoveringLp}).
 *
 * <p>The lower bound does not trust the LP solver: for any duals π ≥ 0, π/κ is feasible for the
 * dual of the full pattern LP when κ bounds the value of every pattern from above, so
 * {@code Σ demand_t π_t / κ} is a valid lower bound on the LP optimum and hence on the number of
 * nodes (Farley, "A note on bounding a class of linear programming problems, including cutting
 * stock problems", Operations Research 38, 1990). κ is the pricing optimum, or its relaxation when
 * the search was cut short. The bound is taken every round, which also lets the loop stop as soon
 * as its ceiling meets the ceiling of the master's value.
 *
 * <p>Patterns never hold more pods of a type than the demand still open: any packing can drop
 * the surplus pods, so this loses no solution and tightens the LP.
 */
final class ColumnGeneration {
    /** Tolerance under which a bound is rounded down to the integer below before its ceiling. */
    static final double CEIL_TOLERANCE = 1e-6;

    private static final boolean DEBUG = System.getenv("NODESIZER_CG_DEBUG") != null;

    private ColumnGeneration() {
    }

    /** Effort limits, all counts (never time), so results are reproducible. */
    record Limits(int maxRounds, int columnsPerRound, long pricingNodes, long pivotsPerRound) {
    }

    /**
     * @param lpValue   the master's optimum over the columns generated (an upper bound on the LP)
     * @param bound     the best Farley bound seen (a lower bound on the LP, so on any packing)
     * @param converged no pattern with negative reduced cost is left (or the bounds' ceilings met)
     * @param columns   the master's columns (dense patterns per type), in LP order
     * @param x         the master's primal solution, one value per column
     */
    record Outcome(double lpValue, double bound, boolean converged, List<int[]> columns, double[] x, int rounds,
                   long pivots) {
        int integerBound() {
            return (int) Math.ceil(bound - CEIL_TOLERANCE);
        }
    }

    /**
     * Solves the pattern LP for {@code demand} (pods still open per type; some may be 0), starting
     * from the pool of known patterns (clipped to the demand), and adds every new pattern to the pool.
     */
    static Outcome solve(RequestTypes types, long[] demand, List<int[]> pool, PatternPricer pricer, Limits limits) {
        int n = types.count();
        int[] rowOfType = new int[n];
        Arrays.fill(rowOfType, -1);
        int rows = 0;
        for (int t = 0; t < n; t++) {
            if (demand[t] > 0) {
                rowOfType[t] = rows++;
            }
        }
        int[] typeOfRow = new int[rows];
        double[] b = new double[rows];
        for (int t = 0; t < n; t++) {
            if (rowOfType[t] >= 0) {
                typeOfRow[rowOfType[t]] = t;
                b[rowOfType[t]] = demand[t];
            }
        }
        if (rows == 0) {
            return new Outcome(0, 0, true, List.of(), new double[0], 0, 0);
        }
        CoveringLp lp = new CoveringLp(b);
        List<int[]> columns = new ArrayList<>();
        Set<PatternKey> seen = new HashSet<>();
        for (int r = 0; r < rows; r++) {
            int t = typeOfRow[r];
            int[] single = new int[n];
            single[t] = (int) Math.min(types.alone(t), demand[t]);
            add(lp, columns, seen, single, rowOfType);
        }
        for (int[] p : pool) {
            add(lp, columns, seen, clip(p, demand), rowOfType);
        }
        double bound = 0;
        boolean converged = false;
        int round = 0;
        double[] value = new double[n];
        while (round < limits.maxRounds()) {
            round++;
            lp.solve(limits.pivotsPerRound());
            double[] pi = lp.duals();
            Arrays.fill(value, 0);
            double duality = 0;
            for (int r = 0; r < rows; r++) {
                double v = Math.max(0, pi[r]);
                value[typeOfRow[r]] = v;
                duality += v * b[r];
            }
            PatternPricer.Result priced = pricer.price(value, demand, 1 + 1e-9, limits.columnsPerRound());
            double kappa = Math.max(priced.upperBound(), 1e-12);
            // kappa >= 1 whenever the master holds a column priced at 1; dividing by less would
            // only come from numerical noise and is not trusted.
            bound = Math.max(bound, duality / Math.max(kappa, 1.0 - 1e-9));
            double z = lp.objective();
            if (DEBUG) {
                System.err.printf("round %d: z %.4f duality %.4f kappa %.4f exact %s nodes %d found %d cols %d%n", round, z, duality, kappa,
                        priced.exact(), priced.nodes(), priced.patterns().size(), columns.size());
            }
            if (priced.exact() && priced.best() <= 1 + 1e-9) {
                converged = true;
                break;
            }
            if (Math.ceil(bound - CEIL_TOLERANCE) >= Math.ceil(z - CEIL_TOLERANCE)) {
                converged = true; // the integer bound cannot rise any more
                break;
            }
            int added = 0;
            for (int i = priced.patterns().size() - 1; i >= 0; i--) {
                int[] p = PatternPricer.fill(types, priced.patterns().get(i), demand);
                if (add(lp, columns, seen, p, rowOfType)) {
                    pool.add(p);
                    added++;
                }
            }
            if (added == 0) {
                break; // nothing new to add: numerical stalemate, keep what we have
            }
        }
        lp.solve(limits.pivotsPerRound());
        return new Outcome(lp.objective(), bound, converged, columns, lp.primal(), round, lp.pivots());
    }

    /** The pattern with at most {@code demand_t} pods of each type. */
    static int[] clip(int[] pattern, long[] demand) {
        int[] out = new int[pattern.length];
        for (int t = 0; t < pattern.length; t++) {
            out[t] = (int) Math.min(pattern[t], demand[t]);
        }
        return out;
    }

    private static boolean add(CoveringLp lp, List<int[]> columns, Set<PatternKey> seen, int[] pattern, int[] rowOfType) {
        int nnz = 0;
        for (int t = 0; t < pattern.length; t++) {
            if (pattern[t] > 0 && rowOfType[t] >= 0) {
                nnz++;
            }
        }
        if (nnz == 0 || !seen.add(new PatternKey(pattern))) {
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
        // rowOfType is increasing in t, so rows come out ascending.
        lp.addColumn(rows, vals, 1.0);
        columns.add(pattern);
        return true;
    }

    private record PatternKey(int[] counts) {
        @Override
        public boolean equals(Object o) {
            return o instanceof PatternKey k && Arrays.equals(counts, k.counts);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(counts);
        }
    }
}

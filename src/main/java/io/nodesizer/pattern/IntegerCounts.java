package io.nodesizer.pattern;

import java.util.Arrays;
import java.util.List;

/**
 * Raises the per-set bounds of {@link SetBound} with the integrality of node counts. Every dual
 * vector π ≥ 0 and upper bounds κ_s on what one node of s can carry under it give a cut that any
 * packing satisfies, {@code Σ_s κ_s y_s ≥ π·d} (its nodes carry all the demand); so does every
 * resource. The LP bound of a set is what those cuts allow with fractional y; with whole nodes
 * and every pool at least m, the least cost they allow can be higher — by most of a node where a
 * set's LP wants 2.4 nodes of its largest shape. This is Benders' decomposition with an integer
 * master over the node counts of at most k shapes, solved exactly by enumeration.
 *
 * <p>Sets are taken in the order of their LP bound; the bound over all of them is the least of
 * what was proved for the sets taken and the LP bound of the first set not taken, so a spent work
 * budget only stops the strengthening, never makes it wrong.
 */
final class IntegerCounts {
    /** Enumeration steps over all sets; past this the LP bounds stand for the rest. */
    static final long WORK = 20_000_000L;
    /** Sets strengthened per call, those of least LP bound. */
    static final int SETS = 256;
    /** Slack on every cut, so rounding in κ or π never cuts off a packing. */
    private static final double EPS = 1e-7;

    private IntegerCounts() {
    }

    /**
     * The least bound over the sets, the set that has it (-1 when no set is below the cap), and
     * the node counts per shape of that set (in the set's field order) where the cuts gave it, else null.
     */
    record Least(double bound, int set, long[] counts) {
    }

    /**
     * @param sets    the covering sets, of useful shapes
     * @param lpBound each set's bound so far (from the LP)
     * @param cost    per useful shape, $/h of a node
     * @param kappa   per cut, κ per useful shape
     * @param rhs     per cut, its right-hand side
     * @param least   the least node count of a pool in a set (1, or the minimum pool size)
     * @param cap     no need to prove more than this (the best mix known), or +∞
     * @param work    enumeration steps left (spent here)
     * @return a lower bound on the cost of every mix over any one of the sets, and the set it comes from
     */
    static Least strengthen(ShapeSets sets, double[] lpBound, double[] cost, List<double[]> kappa, List<Double> rhs,
                            int least, double cap, long[] work) {
        double[][] a = kappa.toArray(new double[0][]);
        double[] b = rhs.stream().mapToDouble(Double::doubleValue).toArray();
        // The set of least LP bound first; then only the sets whose LP bound is below what it
        // proved can be lower (one scan over primitive bounds: the sets can be millions).
        int first = -1;
        for (int j = 0; j < lpBound.length; j++) {
            if (lpBound[j] < cap && (first < 0 || lpBound[j] < lpBound[first])) {
                first = j;
            }
        }
        if (first < 0) {
            return new Least(cap, -1, null);
        }
        Master master = new Master(sets.members(first), cost, a, b, least, work);
        double v = master.solve(cap);
        if (Double.isNaN(v)) {
            return new Least(lpBound[first], first, null); // out of work: every set keeps its LP bound
        }
        double running = Math.max(lpBound[first], v);
        int at = first;
        long[] atCounts = master.best;
        int[] below = new int[16];
        int n = 0;
        for (int j = 0; j < lpBound.length; j++) {
            if (j != first && lpBound[j] < running) {
                if (n == below.length) {
                    below = Arrays.copyOf(below, 2 * n);
                }
                below[n++] = j;
            }
        }
        // With the first, at most SETS of them, the least: the bound they must not pass is found
        // on primitives first, so only those are sorted as objects.
        int room = SETS - 1;
        boolean leftOut = n > room;
        if (n > room) {
            double[] values = new double[n];
            for (int k = 0; k < n; k++) {
                values[k] = lpBound[below[k]];
            }
            Arrays.sort(values);
            double limit = values[room - 1];
            int kept = 0;
            for (int k = 0; k < n; k++) {
                if (lpBound[below[k]] <= limit) {
                    below[kept++] = below[k];
                }
            }
            n = kept;
        }
        Integer[] order = new Integer[n];
        for (int k = 0; k < n; k++) {
            order[k] = below[k];
        }
        Arrays.sort(order, java.util.Comparator.comparingDouble((Integer j) -> lpBound[j]).thenComparingInt(j -> j));
        int taken = Math.min(n, room);
        for (int k = 0; k < taken; k++) {
            int j = order[k];
            if (lpBound[j] >= running) {
                return new Least(running, at, atCounts); // every set left is bounded at least as high by its LP
            }
            Master m = new Master(sets.members(j), cost, a, b, least, work);
            double w = m.solve(running);
            if (Double.isNaN(w)) {
                return new Least(lpBound[j], j, null); // out of work: this set and the rest keep their LP bounds
            }
            if (Math.max(lpBound[j], w) < running) {
                running = Math.max(lpBound[j], w);
                at = j;
                atCounts = m.best;
            }
        }
        // Sets left out are bounded by their LP, no lower than the last set taken: that one is
        // named, so the caller solves its LP next (and its bound, and the others', can rise).
        int last = taken > 0 ? order[taken - 1] : first;
        if (leftOut && lpBound[last] < running) {
            return new Least(lpBound[last], last, null);
        }
        return new Least(running, at, atCounts);
    }

    /** A set (its index) and the least cost of whole node counts that its LP bound and the cuts allow. */
    record Ranked(int set, double bound) {
    }

    /**
     * The {@code count} sets of least whole-count bound below {@code cap}, least first (ties: the
     * LP bound, then the index). Only the {@link #SETS} sets of least LP bound are looked at, in
     * that order, and the scan stops once the LP bound reaches the last bound kept (a set's
     * whole-count bound is never below its LP bound). A ranking for the dives, not a bound: once
     * the work budget is spent the remaining sets are ranked by their LP bound alone.
     */
    static List<Ranked> mostPromising(ShapeSets sets, double[] lpBound, double[] cost, List<double[]> kappa, List<Double> rhs,
                                      int least, double cap, long[] work, int count) {
        double[][] a = kappa.toArray(new double[0][]);
        double[] b = rhs.stream().mapToDouble(Double::doubleValue).toArray();
        int[] below = leastByLpBound(sets.size(), lpBound, cap, SETS);
        List<Ranked> kept = new java.util.ArrayList<>();
        java.util.Comparator<Ranked> order = java.util.Comparator.comparingDouble(Ranked::bound)
                .thenComparingDouble(r -> lpBound[r.set()]).thenComparingInt(Ranked::set);
        boolean spent = false;
        for (int j : below) {
            double limit = kept.size() < count ? cap : kept.get(count - 1).bound();
            if (lpBound[j] >= limit) {
                break;
            }
            double w = spent ? Double.NaN : new Master(sets.members(j), cost, a, b, least, work).solve(limit);
            spent = Double.isNaN(w); // out of work: this set and the rest are ranked by their LP bound alone
            double v = spent ? lpBound[j] : Math.max(lpBound[j], w);
            if (v < limit) {
                kept.add(new Ranked(j, v));
                kept.sort(order);
                if (kept.size() > count) {
                    kept.remove(count);
                }
            }
        }
        return kept;
    }

    /** At most {@code max} of the sets with an LP bound below {@code cap}, least LP bound first (ties: index). */
    private static int[] leastByLpBound(int sets, double[] lpBound, double cap, int max) {
        double[] values = new double[sets];
        int n = 0;
        for (int j = 0; j < sets; j++) {
            if (lpBound[j] < cap) {
                values[n++] = lpBound[j];
            }
        }
        double limit = cap;
        if (n > max) {
            // The bound the first max must not pass, found on primitives so only those are sorted as objects.
            double[] sorted = Arrays.copyOf(values, n);
            Arrays.sort(sorted);
            limit = Math.nextUp(sorted[max - 1]);
        }
        List<Integer> out = new java.util.ArrayList<>();
        for (int j = 0; j < sets; j++) {
            if (lpBound[j] < limit) {
                out.add(j);
            }
        }
        out.sort(java.util.Comparator.comparingDouble((Integer j) -> lpBound[j]).thenComparingInt(j -> j));
        return out.stream().limit(max).mapToInt(Integer::intValue).toArray();
    }

    /** The least {@code Σ c_s y_s} over whole {@code y_s ≥ least} meeting every cut, for the shapes of one set. */
    static final class Master {
        private final double[] c;
        private final double[][] col;
        private final double[] b;
        private final int least;
        private final double[] restAtLeast;
        private final long[] work;
        private final long[] y;
        /** The counts of the least cost found, or null (none below the cap). */
        long[] best;

        Master(int[] shapes, double[] cost, double[][] a, double[] b, int least, long[] work) {
            int n = shapes.length;
            this.c = new double[n];
            this.col = new double[n][];
            for (int i = 0; i < n; i++) {
                c[i] = cost[shapes[i]];
                col[i] = new double[b.length];
                for (int j = 0; j < b.length; j++) {
                    col[i][j] = a[j][shapes[i]];
                }
            }
            this.b = b;
            this.least = least;
            this.restAtLeast = new double[n + 1];
            for (int i = n - 1; i >= 0; i--) {
                restAtLeast[i] = restAtLeast[i + 1] + c[i] * least;
            }
            this.work = work;
            this.y = new long[n];
        }

        /** The least cost, or {@code cap} when it is at least that; NaN when the work ran out (spent from {@code work}). */
        double solve(double cap) {
            double v = search(0, 0, b.clone(), cap);
            return work[0] < 0 ? Double.NaN : Math.min(v, cap);
        }

        private double search(int level, double partial, double[] residual, double cap) {
            int n = c.length;
            if (level == n - 1) {
                long need = least;
                for (int j = 0; j < residual.length; j++) {
                    double r = residual[j] - EPS * (1 + Math.abs(residual[j]));
                    if (r > 0) {
                        if (col[level][j] <= 0) {
                            return Double.POSITIVE_INFINITY;
                        }
                        need = Math.max(need, (long) Math.ceil(r / col[level][j]));
                    }
                }
                double v = partial + c[level] * need;
                if (v < cap) {
                    y[level] = need;
                    best = y.clone();
                }
                return v;
            }
            double bestCost = cap;
            double[] next = new double[residual.length];
            for (long count = least; ; count++) {
                if (--work[0] < 0) {
                    return bestCost;
                }
                double cost = partial + c[level] * count;
                if (cost + restAtLeast[level + 1] >= bestCost) {
                    return bestCost; // more nodes of this shape only cost more
                }
                boolean met = true;
                boolean helps = false;
                for (int j = 0; j < residual.length; j++) {
                    next[j] = residual[j] - col[level][j] * count;
                    boolean open = next[j] - EPS * (1 + Math.abs(next[j])) > 0;
                    met &= !open;
                    helps |= open && col[level][j] > 0;
                }
                y[level] = count;
                bestCost = Math.min(bestCost, search(level + 1, cost, next, bestCost));
                if (met || !helps) {
                    return bestCost; // the other shapes at their least meet every cut, or more of this one helps no cut
                }
            }
        }
    }

}

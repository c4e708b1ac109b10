package io.nodesizer.pattern;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The cost LP bound of mixes of at most k shapes, each pool of at least m nodes: the least, over
 * every set S of at most k candidates that holds every pod, of the pattern LP restricted to S
 * (with the row {@code Σ_p x_sp ≥ m} for each s in S when m ≥ 2). The LP over all candidates
 * ignores both limits and can sit several percent lower: it blends five shapes where a mix may
 * use three, or buys one large node for the pods only large shapes hold where every pool must
 * run two.
 *
 * <p>Every set is bounded from duals, never from a solver's say-so (Farley, as in
 * {@link ColumnGeneration}): for duals π ≥ 0 of the type rows and upper bounds κ_s on what a
 * pattern of s is worth under π, {@code ρ_S = max_{s∈S} κ_s/c_s} makes π/ρ_S feasible for S's
 * dual, and the minimum rows take what each shape of S has left, {@code μ_s = c_s − κ_s/ρ_S ≥ 0},
 * so {@code Σ_t d_t π_t / ρ_S + m Σ_{s∈S} μ_s} is below S's LP. One π serves every set at once,
 * so the bound over millions of sets costs one pricing pass per π.
 *
 * <p>The duals are collected as in Benders' decomposition: start from the duals of the LP over
 * all candidates, find the set of least bound, solve its own LP (column generation with the
 * minimum rows), price every candidate under its duals, and repeat; each round can only raise the
 * least bound. It stops when the least set was solved already (the bound is then its LP, or
 * what column generation could prove of it when its pattern searches were cut short), when the
 * bound reaches the target, or at the round limit. Only shapes that no other dominates
 * take part (another with at most its price, at least its capacity on every resource, holding
 * every type it holds: moving a pool there, or merging it into that pool, never costs more nor
 * breaks k or m).
 */
final class SetBound {
    /** Sets of candidates kept for the bound; above this the caller keeps its other bounds. */
    static final int MAX_SETS = 2_000_000;
    static final int MAX_ROUNDS = 40;
    /** Sets named as the most promising for dives (of least whole-count bound under the last cuts). */
    static final int PROMISING = 8;

    /**
     * The sets solved during the bound, with their LP values: the most promising for dives.
     *
     * @param counts null, or the whole node counts per shape of {@code shapes} that the LP was
     *               solved with as its minimum: the counts the bound's cuts leave at least cost
     */
    record Solved(int[] shapes, double lpValue, long[] counts) {
    }

    /**
     * A set and a lower bound on every mix over it: its LP bound, raised to the least cost of whole
     * node counts (every pool at least m) that meet every cut.
     */
    record Promising(int[] shapes, double bound) {
    }

    /**
     * @param bound     a lower bound on every mix of at most k candidates with pools of at least m
     *                  nodes (0 when the sets were too many to enumerate)
     * @param solved    every set whose LP was solved, in the order solved
     * @param promising the sets of least whole-count bound under the last cuts, least first, below the
     *                  target: where a better mix can still be, whichever sets the rounds solved
     */
    record Outcome(double bound, List<Solved> solved, List<Promising> promising) {
    }

    private SetBound() {
    }

    /**
     * @param all       every candidate (column generation's view), with costs
     * @param capacity  per candidate, what a node offers its pods on every resource (for dominance)
     * @param duals     a first set of duals per type (the LP over all candidates)
     * @param kappa     per candidate, the pricing searches' upper bound on a pattern's value under
     *                  {@code duals} when the caller priced every candidate under them already, else null
     * @param maxShapes k
     * @param minNodes  m (1: no minimum rows)
     * @param target    stop once the bound reaches this (the best mix known), or +∞
     */
    static Outcome of(List<ColumnGeneration.Shape> all, long[][] capacity, long[] demand, List<ColumnGeneration.Column> pool,
                      double[] duals, double[] kappa, int maxShapes, int minNodes, double target, ColumnGeneration.Limits limits) {
        return of(all, capacity, demand, pool, duals, kappa, maxShapes, minNodes, target, limits, MAX_ROUNDS);
    }

    /** As above, with at most {@code maxRounds} rounds (sets solved). */
    static Outcome of(List<ColumnGeneration.Shape> all, long[][] capacity, long[] demand, List<ColumnGeneration.Column> pool,
                      double[] duals, double[] kappa, int maxShapes, int minNodes, double target, ColumnGeneration.Limits limits,
                      int maxRounds) {
        int[] useful = nonDominated(all, capacity, demand);
        ShapeSets sets = coveringSets(all, useful, demand, maxShapes);
        if (sets == null || sets.size() == 0) {
            return new Outcome(0, List.of(), List.of());
        }
        int m = minNodes >= 2 ? minNodes : 0;
        double[] cost = new double[useful.length];
        for (int i = 0; i < useful.length; i++) {
            cost[i] = all.get(useful[i]).cost();
        }
        int[] members = sets.buffer();
        double[] best = new double[sets.size()];
        for (int j = 0; j < best.length; j++) {
            double fixed = 0; // π = 0: the minimum fleet alone
            for (int i = 0, n = sets.members(j, members); i < n; i++) {
                fixed += m * cost[members[i]];
            }
            best[j] = fixed;
        }
        List<Solved> solved = new ArrayList<>();
        // Every π gives a cut on the node counts y of any packing: Σ_s κ_s y_s ≥ π·d. So does every
        // resource (π_t = what a pod of t requests, κ_s = what a node of s offers).
        List<double[]> cutKappa = resourceCuts(all, useful, capacity, demand);
        List<Double> cutRhs = new ArrayList<>();
        for (double[] row : cutKappa) {
            cutRhs.add(row[useful.length]);
        }
        java.util.Set<Integer> done = new java.util.HashSet<>();
        java.util.Set<String> tried = new java.util.HashSet<>();
        double[] pi = duals;
        int least;
        double bound;
        long[] work = {IntegerCounts.WORK};
        for (int round = 0; ; round++) {
            double[] usefulKappa = new double[useful.length];
            for (int i = 0; i < useful.length; i++) {
                ColumnGeneration.Shape shape = all.get(useful[i]);
                usefulKappa[i] = round == 0 && kappa != null ? kappa[useful[i]]
                        : shape.pricer().price(pi, demand, shape.cost() * (1 + 1e-6), 1).upperBound();
            }
            double duality = 0;
            for (int t = 0; t < demand.length; t++) {
                duality += pi[t] * demand[t];
            }
            cutKappa.add(usefulKappa);
            cutRhs.add(duality);
            for (int j = 0; j < best.length; j++) {
                double v = value(members, sets.members(j, members), usefulKappa, cost, duality, m);
                if (v > best[j]) {
                    best[j] = v;
                }
            }
            // The set to solve next is the one of least bound once whole node counts are asked for.
            IntegerCounts.Least found = IntegerCounts.strengthen(sets, best, cost, cutKappa, cutRhs, Math.max(1, minNodes), target, work);
            bound = found.bound();
            least = found.set();
            if (least < 0 || bound >= target || round == maxRounds || limits.effort().exhausted()) {
                break;
            }
            int[] subset = decode(sets, least, useful);
            long[] minimum;
            boolean counts = false;
            if (done.add(least)) {
                minimum = MixedPools.minimum(subset, minNodes);
            } else if (found.counts() != null && tried.add(least + Arrays.toString(found.counts()))) {
                // The set's LP is solved and the cuts allow these whole counts: the LP with at
                // least these nodes per shape either packs every pod on exactly them (then no
                // cut of this kind proves more) or its duals cut them off.
                minimum = found.counts();
                counts = true;
            } else {
                break;
            }
            ColumnGeneration.Outcome lp = MixedPools.solveOn(all, subset, demand, minimum, pool, limits);
            solved.add(new Solved(subset, lp.lpValue(), counts ? minimum : null));
            if (counts && lp.lpValue() <= dot(minimum, subset, all) * (1 + 1e-9)) {
                break; // a fractional packing on exactly these counts: the bound stands at their cost
            }
            // Column generation's own bound is the best of its rounds over exactly these shapes
            // (with their minimum rows): it holds for this set even where the final duals are worse.
            if (!counts) {
                best[least] = Math.max(best[least], lp.bound());
            }
            pi = lp.duals();
        }
        // The rounds follow the duals, and a degenerate LP has many: which sets they solve depends
        // on the path. The last cuts bound every set, so the most promising are named whatever it was.
        List<Promising> promising = new ArrayList<>();
        for (IntegerCounts.Ranked r : IntegerCounts.mostPromising(sets, best, cost, cutKappa, cutRhs, Math.max(1, minNodes), target,
                new long[] {IntegerCounts.WORK}, PROMISING)) {
            promising.add(new Promising(decode(sets, r.set(), useful), r.bound()));
        }
        return new Outcome(bound, solved, promising);
    }

    private static double dot(long[] counts, int[] subset, List<ColumnGeneration.Shape> all) {
        double v = 0;
        for (int i = 0; i < subset.length; i++) {
            v += counts[i] * all.get(subset[i]).cost();
        }
        return v;
    }

    /**
     * One cut per resource some pod requests: a node of s carries at most its capacity, so
     * {@code Σ_s cap_s y_s ≥ Σ_t d_t size_t}. Each row holds κ per useful shape, then the right-hand side.
     */
    private static List<double[]> resourceCuts(List<ColumnGeneration.Shape> all, int[] useful, long[][] capacity, long[] demand) {
        double[] need = new double[capacity[0].length];
        boolean[] seen = new boolean[need.length];
        for (ColumnGeneration.Shape shape : all) {
            RequestTypes types = shape.types();
            for (int k = 0; k < types.dimensions(); k++) {
                int r = types.resource(k);
                if (!seen[r]) {
                    seen[r] = true;
                    for (int t = 0; t < demand.length; t++) {
                        need[r] += (double) demand[t] * types.size(t, k);
                    }
                }
            }
        }
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < need.length; r++) {
            if (need[r] > 0) {
                double[] row = new double[useful.length + 1];
                for (int i = 0; i < useful.length; i++) {
                    row[i] = capacity[useful[i]][r];
                }
                row[useful.length] = need[r];
                rows.add(row);
            }
        }
        return rows;
    }

    /** The bound of one set (the first {@code count} of {@code members}) under one π (see the class comment). */
    private static double value(int[] members, int count, double[] kappa, double[] cost, double duality, int m) {
        double rho = 0;
        for (int k = 0; k < count; k++) {
            int i = members[k];
            rho = Math.max(rho, kappa[i] / cost[i]);
        }
        if (rho <= 0) {
            return 0; // π is 0 on every type the set holds; the minimum fleet alone is in best[] already
        }
        double v = duality / rho;
        for (int k = 0; k < count; k++) {
            int i = members[k];
            v += m * Math.max(0, cost[i] - kappa[i] / rho);
        }
        return v;
    }

    /** Set {@code j}'s candidates (indices into {@code all}), ascending. */
    private static int[] decode(ShapeSets sets, int j, int[] useful) {
        int[] out = sets.members(j);
        for (int i = 0; i < out.length; i++) {
            out[i] = useful[out[i]];
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * Every set of at most k of the useful shapes (indices into {@code useful}) that holds every
     * type with demand; null when there would be more than {@link #MAX_SETS}.
     */
    static ShapeSets coveringSets(List<ColumnGeneration.Shape> all, int[] useful, long[] demand, int k) {
        int n = useful.length;
        k = Math.min(k, n);
        if (k < 1) {
            return null;
        }
        double count = 0;
        double c = 1;
        for (int j = 1; j <= k; j++) {
            c = c * (n - j + 1) / j;
            count += c;
        }
        if (count > MAX_SETS) {
            return null;
        }
        int types = demand.length;
        int words = (types + 63) / 64;
        long[][] fits = new long[n][words];
        long[] needed = new long[words];
        for (int t = 0; t < types; t++) {
            if (demand[t] > 0) {
                needed[t >> 6] |= 1L << t;
                for (int i = 0; i < n; i++) {
                    if (all.get(useful[i]).types().fits(t)) {
                        fits[i][t >> 6] |= 1L << t;
                    }
                }
            }
        }
        ShapeSets out = new ShapeSets(n, k, (int) count);
        collect(fits, needed, n, k, 0, new int[k], 0, new long[words], out);
        return out;
    }

    private static void collect(long[][] fits, long[] needed, int n, int k, int from, int[] chosen, int depth,
                                long[] covered, ShapeSets out) {
        for (int i = from; i < n; i++) {
            long[] union = covered.clone();
            boolean all = true;
            for (int w = 0; w < union.length; w++) {
                union[w] |= fits[i][w];
                all &= (union[w] & needed[w]) == needed[w];
            }
            chosen[depth] = i;
            if (all) {
                out.add(chosen, depth + 1);
            }
            if (depth + 1 < k) {
                collect(fits, needed, n, k, i + 1, chosen, depth + 1, union, out);
            }
        }
    }

    /** Candidates no other dominates (of identical ones, the first). */
    static int[] nonDominated(List<ColumnGeneration.Shape> all, long[][] capacity, long[] demand) {
        List<Integer> kept = new ArrayList<>();
        for (int s = 0; s < all.size(); s++) {
            boolean dominated = false;
            for (int o = 0; o < all.size() && !dominated; o++) {
                dominated = o != s && dominates(all, capacity, demand, o, s) && (o < s || !dominates(all, capacity, demand, s, o));
            }
            if (!dominated) {
                kept.add(s);
            }
        }
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private static boolean dominates(List<ColumnGeneration.Shape> all, long[][] capacity, long[] demand, int o, int s) {
        if (all.get(o).cost() > all.get(s).cost()) {
            return false;
        }
        for (int r = 0; r < capacity[s].length; r++) {
            if (capacity[o][r] < capacity[s][r]) {
                return false;
            }
        }
        for (int t = 0; t < demand.length; t++) {
            if (demand[t] > 0 && all.get(s).types().fits(t) && !all.get(o).types().fits(t)) {
                return false;
            }
        }
        return true;
    }
}

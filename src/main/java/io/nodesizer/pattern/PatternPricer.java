package io.nodesizer.pattern;

import io.nodesizer.engine.GpuDevices;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The pricing problem of column generation: the node pattern (pods per type) of greatest dual
 * value, a bounded knapsack over every active resource at once:
 * {@code max Σ v_t a_t  s.t.  Σ a_t size_tk ≤ cap_k for every resource k, 0 ≤ a_t ≤ ub_t}.
 *
 * <p>Solved exactly by depth-first branch and bound over the types in decreasing order of value
 * per normalised size, each type taking its largest feasible count first. A node is pruned by the
 * least of three relaxations: the fractional knapsack of the surrogate constraint (the resources
 * summed as shares of the node), per resource the remaining capacity times the best value per
 * unit of that resource among the types still to decide, and the Lagrangian with the duals of the
 * root's LP relaxation ({@link KnapsackLp}). A search that reaches its node limit stops with the
 * best pattern found and reports the greatest relaxation of the subtrees it left open (at most
 * the root's, so at most the LP bound), the global bound of branch and bound, so the bounds built
 * on it stay valid. With GPU devices the upper bound is also the
 * {@link DeviceBound} (a Lagrangian of the LP over device configurations), whose rounded LP
 * solution is one more pattern.
 */
final class PatternPricer {
    private static final double EPS = 1e-12;
    /** The pooled bounding search gets this fraction (1/n) of a pricing call's node budget. */
    static final long POOLED_SHARE = 16;

    private final RequestTypes types;
    private final long nodeLimit;
    private final DeviceBound deviceBound;
    private final boolean roundedPatterns;
    /** The last multipliers (in node shares), the start of the next descent. */
    private double[] warmMu;
    /** Pivots (and bound flips) the root LP may take per variable; past them its last duals serve. */
    private static final int LP_PIVOTS_PER_TYPE = 20;

    /**
     * When the exact table ({@link KnapsackDp}) prices, where one resource decides which patterns fit ({@link
     * #priceByTable}).
     */
    enum Table {
        /**
         * Before the search: the node-count LP of one shape, where branch and bound cut short left the LP unproven and its
         * bound below L1 (BPPLIB's Schwerin instances, QA 71b F5) and the table is the faster of the two.
         */
        FIRST,
        /**
         * Only where the search was cut short at its node limit: the table's optimum is then the upper bound, and its
         * patterns join the search's. Mixed pools: their dives follow the columns, and where the search finishes the two
         * are equally exact but offer other columns — on {@code MixedPoolsTest}'s six shapes, 814 pricing calls the
         * table could take, the search finished on every one at the same optimum, 41 of them with another pattern of
         * equal value, and the table offered 1,353 patterns to the search's 576 (its best at each lesser capacity,
         * filled up); the dives then took another path and the mix went from its proven optimum, $16.752/h, to
         * $16.88/h, in 9.4 s instead of 1.5 s. Here both price the same wherever the search finishes.
         */
        WHEN_CUT_SHORT
    }

    private final Table table;

    /** The node-count LP's pricer: exact by the table where one resource decides ({@link KnapsackDp}), else the search. */
    PatternPricer(RequestTypes types, long nodeLimit) {
        this(types, nodeLimit, false, Table.FIRST);
    }

    /**
     * @param roundedPatterns offer the device configuration LP's rounded solution when the search
     *                        finds no improving pattern. Mixed pools want it: over 30 shapes the
     *                        searches miss columns it finds (openb default K = 3: $9,897/h →
     *                        $9,774/h). The node-count LP of one shape does not: its dives got
     *                        worse with it (openb cpu050, multigpu30 on 96-core 8-GPU nodes: one
     *                        node more each).
     * @param table           when to price by {@link KnapsackDp} where one resource decides
     */
    PatternPricer(RequestTypes types, long nodeLimit, boolean roundedPatterns, Table table) {
        this.roundedPatterns = roundedPatterns;
        this.table = table;
        this.types = types;
        this.nodeLimit = nodeLimit;
        this.deviceBound = new DeviceBound(types);
    }

    /**
     * @param best        the greatest value found, with {@code patterns.get(last)} attaining it
     * @param upperBound  an upper bound on the optimum (equal to best when exact)
     * @param exact       the search finished within the node limit
     * @param patterns    improving patterns found on the way (value above the threshold), best last;
     *                    dense counts per type
     */
    record Result(double best, double upperBound, boolean exact, List<int[]> patterns, long nodes) {
    }

    /**
     * @param value     dual value per type (types with value <= 0 are left out)
     * @param ub        most pods of each type a pattern may hold
     * @param threshold patterns worth more than this are collected (1 for reduced cost < 0)
     */
    Result price(double[] value, long[] ub, double threshold, int maxPatterns) {
        return price(value, ub, threshold, maxPatterns, nodeLimit);
    }

    /** As {@link #price(double[], long[], double, int)} with another node budget for this call. */
    Result price(double[] value, long[] ub, double threshold, int maxPatterns, long budget) {
        if (table == Table.FIRST) {
            Result exact = priceByTable(value, ub, threshold, maxPatterns);
            if (exact != null) {
                return exact;
            }
        }
        Search s = new Search(value, ub, threshold, maxPatterns, budget, true);
        s.run();
        if (table == Table.WHEN_CUT_SHORT && !s.exact()) {
            Result exact = priceByTable(value, ub, threshold, maxPatterns);
            if (exact != null) {
                // The search's columns first, then the table's (best last: the optimum, which the result's best is).
                List<int[]> out = new ArrayList<>(s.found);
                out.addAll(exact.patterns());
                return new Result(exact.best(), exact.upperBound(), true, out, s.nodes + exact.nodes());
            }
        }
        List<int[]> out = new ArrayList<>(s.found);
        double upper = s.upperBound();
        long nodes = s.nodes;
        if (s.devices > 0) {
            // The device search places each pod on the devices as it goes (best fit), which can
            // miss an arrangement that holds more: its optimum is a pattern, not a bound. The
            // search with GPUs pooled bounds every arrangement. It gets a small share of the
            // budget: when it cannot finish in that, a longer search rarely lowers its bound much
            // (openb default, last duals: 1.25 after 400 k nodes, 1.21 after 56 M, against a best
            // pattern of 1.03), and it was half the pricing time.
            Search pooled = new Search(value, ub, Double.POSITIVE_INFINITY, 0, Math.max(1, budget / POOLED_SHARE), false);
            pooled.run();
            nodes += pooled.nodes;
            double pooledUpper = pooled.upperBound();
            if (pooledUpper > s.best) {
                // The pooled relaxation lets shares that cannot share a device fill a node
                // (openb default, last duals on a 128-core 8-GPU node: 1.22 against 1.00–1.09);
                // the configuration bound is within ~1 % of the device optimum there, and its
                // rounded LP solution is often better than the pattern the search found.
                DeviceBound.Result dev = deviceBound.bound(value, ub);
                if (roundedPatterns && dev.pattern() != null && s.best <= threshold) {
                    // Only as a fallback when the search found no improving pattern: it is a
                    // rounding, and the search's own columns come first.
                    s.offer(dev.pattern(), out);
                }
                upper = Math.max(s.best, Math.min(pooledUpper, dev.bound()));
            } else {
                upper = Math.max(s.best, pooledUpper);
            }
        }
        // A bound that meets the best pattern proves it optimal, however the search ended.
        return new Result(s.best, upper, s.exact() || upper <= s.best, out, nodes);
    }

    /**
     * The exact optimum by {@link KnapsackDp} where one resource alone decides which patterns fit, no pod rules
     * (anti-affinity, which the table does not model) and no GPU pods placed on devices; null elsewhere, or where the
     * table would be too large, and the search prices.
     */
    private Result priceByTable(double[] value, long[] ub, double threshold, int maxPatterns) {
        if (types.hasRules()) {
            return null;
        }
        int n = types.count();
        long[] ubs = new long[n];
        for (int t = 0; t < n; t++) {
            if (value[t] > EPS && ub[t] > 0) {
                if (types.devices() > 0 && types.gpu(t) > 0) {
                    return null;
                }
                ubs[t] = Math.min(ub[t], types.alone(t));
            }
        }
        int b = KnapsackDp.decidingDimension(types, ubs);
        return b < 0 ? null : KnapsackDp.solve(types, b, value, ubs, threshold, maxPatterns);
    }

    private final class Search {
        final double[] value;
        final int[] items;      // types in branching order
        final long[] ub;
        final double[] weight;  // Σ_k λ_k size_k, per position
        final double[] lambda;  // surrogate multipliers per dimension
        final double[] ratioByDim; // suffix maxima of value/size per dim, [pos * dims + k]
        final double[] muPerUnit;  // LP duals per unit of each resource
        final double[] reduced;    // per position, max(0, v − Σ_k μ_k size_k): its Lagrangian gain per pod
        final double[] lagSuffix;  // per position, Σ_{i ≥ pos} ub_i · reduced_i
        final long[] remaining;
        final int[] count;      // per type
        final int[] bestCount;
        final double threshold;
        final int maxPatterns;
        final long limit;
        final List<int[]> found = new ArrayList<>();
        double best;
        double rootBound;
        double unexplored;
        /** The best value of a complete pattern turned down because its GPUs do not fit the devices. */
        double rejected;
        /** GPU devices per node this search places pods on (0: GPUs pooled). */
        final int devices;
        /** Device loads along the current path, thousandths. */
        final int[] deviceLoad;
        /** Per type, how many types on the current path repel it (required anti-affinity); null without rules. */
        final int[] blocked;
        long nodes;

        final int dims;

        Search(double[] v, long[] ubByType, double threshold, int maxPatterns, long limit, boolean onDevices) {
            this.dims = types.dimensions();
            this.limit = limit;
            this.value = v;
            this.threshold = threshold;
            this.maxPatterns = maxPatterns;
            int n = types.count();
            List<Integer> candidates = new ArrayList<>();
            for (int t = 0; t < n; t++) {
                if (v[t] > EPS && ubByType[t] > 0) {
                    candidates.add(t);
                }
            }
            long[] ubs = new long[n];
            for (int t : candidates) {
                ubs[t] = Math.min(ubByType[t], types.alone(t));
            }
            this.lambda = surrogateMultipliers(candidates, v, ubs, dims);
            double[] w = new double[n];
            for (int t : candidates) {
                for (int k = 0; k < dims; k++) {
                    w[t] += lambda[k] * types.size(t, k);
                }
            }
            candidates.sort((a, b) -> {
                int c = Double.compare(v[b] * w[a], v[a] * w[b]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            int c = candidates.size();
            this.items = new int[c];
            this.ub = new long[c];
            this.weight = new double[c];
            for (int i = 0; i < c; i++) {
                int t = candidates.get(i);
                items[i] = t;
                weight[i] = w[t];
                ub[i] = ubs[t];
            }
            this.ratioByDim = new double[(c + 1) * dims];
            for (int i = c - 1; i >= 0; i--) {
                int t = items[i];
                for (int k = 0; k < dims; k++) {
                    long sz = types.size(t, k);
                    double r = sz == 0 ? Double.POSITIVE_INFINITY : v[t] / sz;
                    ratioByDim[i * dims + k] = Math.max(r, ratioByDim[(i + 1) * dims + k]);
                }
            }
            this.muPerUnit = lpDuals(items, v, ub, dims);
            this.reduced = new double[c];
            this.lagSuffix = new double[c + 1];
            for (int i = c - 1; i >= 0; i--) {
                double r = v[items[i]];
                for (int k = 0; k < dims; k++) {
                    r -= muPerUnit[k] * types.size(items[i], k);
                }
                reduced[i] = Math.max(0, r);
                lagSuffix[i] = lagSuffix[i + 1] + ub[i] * reduced[i];
            }
            this.remaining = new long[dims];
            for (int k = 0; k < dims; k++) {
                remaining[k] = types.capacity(k);
            }
            this.count = new int[n];
            this.bestCount = new int[n];
            boolean gpus = false;
            for (int t : items) {
                gpus |= types.gpu(t) > 0;
            }
            this.devices = onDevices && gpus ? types.devices() : 0;
            this.deviceLoad = new int[devices];
            this.blocked = types.hasRules() ? new int[n] : null;
        }

        /** The search finished within its node limit. */
        boolean exact() {
            return nodes < limit;
        }

        /**
         * An upper bound on the optimum: the best found (or turned down by the device check) when
         * exact, else also the relaxation of what was left unexplored.
         */
        double upperBound() {
            double found = Math.max(best, rejected);
            return exact() ? found : Math.max(found, Math.min(rootBound, unexplored));
        }

        void run() {
            rootBound = bound(0, 0, Long.MAX_VALUE);
            greedy(identity());
            if (items.length > 0) {
                dfs(0, 0);
            }
        }

        private Integer[] identity() {
            Integer[] order = new Integer[items.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            return order;
        }

        /** A first incumbent: every type in {@code order} (positions) at its largest feasible count. */
        private void greedy(Integer[] order) {
            long[] rem = remaining.clone();
            int[] a = new int[count.length];
            double val = 0;
            int[] load = deviceLoad.clone();
            for (int i : order) {
                int t = items[i];
                long c = maxCount(i, rem, load);
                if (c > 0) {
                    a[t] = (int) c;
                    block(t, 1);
                    val += c * value[t];
                    for (int k = 0; k < c && devices > 0 && types.gpu(t) > 0; k++) {
                        GpuDevices.take(load, 0, devices, types.gpu(t));
                    }
                    for (int k = 0; k < dims; k++) {
                        rem[k] -= c * types.size(t, k);
                    }
                }
            }
            for (int i : order) {
                if (a[items[i]] > 0) {
                    block(items[i], -1);
                }
            }
            record(a, val);
        }

        /**
         * The most pods of the type at position {@code pos} that fit {@code rem} and, when this
         * search places GPUs on devices, the device loads {@code load} (empty when GPUs are
         * pooled); at most its bound.
         */
        private long maxCount(int pos, long[] rem, int[] load) {
            if (blocked != null && blocked[items[pos]] > 0) {
                return 0;
            }
            return types.fitCount(items[pos], rem, load, ub[pos]);
        }

        /** Marks (or, with −1, clears) the types that type t repels, while t is on the path. */
        private void block(int t, int delta) {
            if (blocked != null) {
                for (int u : types.repels(t)) {
                    blocked[u] += delta;
                }
            }
        }

        /** A pattern found outside the search (dense counts per type): kept when it beats the best. */
        void offer(int[] a, List<int[]> out) {
            double val = 0;
            for (int t = 0; t < a.length; t++) {
                val += a[t] * value[t];
            }
            if (val > best + EPS) {
                best = val;
                System.arraycopy(a, 0, bestCount, 0, a.length);
                if (val > threshold) {
                    out.add(a.clone());
                    if (out.size() > maxPatterns) {
                        out.remove(0);
                    }
                }
            }
        }

        private void record(int[] a, double val) {
            // Pods placed one by one fit the devices; the check that the engine's offline
            // assignment finds room too is a safety net (it has never fired in the tests).
            if (devices > 0 && val > best + EPS && !types.holdsOnDevices(a)) {
                rejected = Math.max(rejected, val);
                return;
            }
            if (val > best + EPS) {
                best = val;
                System.arraycopy(a, 0, bestCount, 0, a.length);
                if (val > threshold) {
                    found.add(a.clone());
                    if (found.size() > maxPatterns) {
                        found.remove(0);
                    }
                }
            }
        }

        private void dfs(int pos, double val) {
            if (nodes++ >= limit) {
                unexplored = Math.max(unexplored, pos == items.length ? val : bound(pos, val, Long.MAX_VALUE));
                return;
            }
            if (pos == items.length) {
                record(count, val);
                return;
            }
            if (bound(pos, val, Long.MAX_VALUE) <= best + EPS * Math.max(1, best)) {
                return;
            }
            int t = items[pos];
            long c = maxCount(pos, remaining, deviceLoad);
            long g = devices > 0 ? types.gpu(t) : 0;
            // Best fit places identical pods in one sequence: the first a of the c placements are
            // the placements of a, so place c now and give one back per smaller count.
            long[] masks = g > 0 ? new long[(int) c] : null;
            for (int i = 0; g > 0 && i < c; i++) {
                masks[i] = GpuDevices.take(deviceLoad, 0, devices, g);
            }
            for (long a = c; a >= 0; a--) {
                count[t] = (int) a;
                for (int k = 0; k < dims; k++) {
                    remaining[k] -= a * types.size(t, k);
                }
                if (a > 0) {
                    block(t, 1);
                }
                dfs(pos + 1, val + a * value[t]);
                if (a > 0) {
                    block(t, -1);
                }
                for (int k = 0; k < dims; k++) {
                    remaining[k] += a * types.size(t, k);
                }
                if (g > 0 && a > 0) {
                    GpuDevices.release(deviceLoad, 0, masks[(int) a - 1], g);
                }
                if (nodes >= limit) {
                    if (a > 0) {
                        // counts a-1 .. 0 of this type were never tried
                        unexplored = Math.max(unexplored, bound(pos, val, a - 1));
                    }
                    for (int i = 0; g > 0 && i < a - 1; i++) {
                        GpuDevices.release(deviceLoad, 0, masks[i], g);
                    }
                    break;
                }
            }
            count[t] = 0;
            if (pos + 1 == items.length || nodes >= limit) {
                return;
            }
        }

        /**
         * Upper bound on what positions pos.. can add to val with the remaining capacity, with at
         * most {@code firstCap} pods of the type at position pos: the least of three relaxations.
         * The surrogate's fractional knapsack and the per-resource ratios order and prune the
         * search as they always did; the Lagrangian with the root LP's duals
         * {@code Σ_k μ_k·remaining_k + Σ_{i ≥ pos} ub_i·max(0, v_i − Σ_k μ_k·size_ik)} costs a few
         * operations (suffix sums) and caps every node at the LP bound at most. Why a third: the
         * surrogate's multipliers come from a coordinate descent that can stall far from the LP
         * (a root bound of 4.97 against an LP of 4.19 on the shop over AWS), and a search cut
         * short reports the greatest bound of its open nodes, so a loose relaxation there was a
         * loose upper bound for every lower bound built on it. The descent's multipliers stay for
         * the branching order: the LP's duals leave many types at a reduced cost of zero, whose
         * ties ordered the search worse (e2-standard-32 on the shop: 6 nodes where 5 pack it).
         */
        private double bound(int pos, double val, long firstCap) {
            double lagrangian = lagSuffix[pos];
            if (pos < items.length && firstCap < ub[pos]) {
                lagrangian -= (ub[pos] - firstCap) * reduced[pos];
            }
            for (int k = 0; k < dims; k++) {
                lagrangian += muPerUnit[k] * remaining[k];
            }
            double perDim = Double.POSITIVE_INFINITY;
            for (int k = 0; k < dims; k++) {
                double r = ratioByDim[pos * dims + k];
                if (r != Double.POSITIVE_INFINITY) {
                    perDim = Math.min(perDim, remaining[k] * r);
                }
            }
            double room = 0;
            for (int k = 0; k < dims; k++) {
                room += lambda[k] * remaining[k];
            }
            double surrogate = 0;
            for (int i = pos; i < items.length && room > EPS; i++) {
                int t = items[i];
                if (weight[i] <= 0) {
                    surrogate += (i == pos ? Math.min(ub[i], firstCap) : ub[i]) * value[t];
                    continue;
                }
                double take = Math.min(i == pos ? Math.min(ub[i], firstCap) : ub[i], room / weight[i]);
                surrogate += take * value[t];
                room -= take * weight[i];
            }
            return val + Math.min(Math.min(perDim, surrogate), lagrangian);
        }
    }

    /**
     * The duals of the knapsack's LP relaxation over the types at {@code items} (positions), per
     * unit of each resource: the multipliers of least Lagrangian bound, so the root's Lagrangian is
     * the LP bound itself. Any duals ≥ 0 give a valid bound; a simplex stopped at its pivot limit
     * only gives a looser one.
     */
    private double[] lpDuals(int[] items, double[] v, long[] ub, int dims) {
        int n = items.length;
        double[][] share = new double[dims][n];
        double[] values = new double[n];
        double[] upper = new double[n];
        for (int i = 0; i < n; i++) {
            int t = items[i];
            values[i] = v[t];
            upper[i] = ub[i];
            for (int k = 0; k < dims; k++) {
                share[k][i] = (double) types.size(t, k) / types.capacity(k);
            }
        }
        double[] mu = KnapsackLp.solve(share, values, upper, LP_PIVOTS_PER_TYPE * (n + dims)).mu();
        double[] perUnit = new double[dims];
        for (int k = 0; k < dims; k++) {
            perUnit[k] = mu[k] / types.capacity(k);
        }
        return perUnit;
    }

    /**
     * Multipliers for the surrogate constraint Σ_k λ_k·size_k ≤ Σ_k λ_k·cap_k, close to the optimal
     * duals of the knapsack's LP relaxation, which make the surrogate's fractional knapsack about
     * as tight as that LP at the root. They minimise the Lagrangian bound
     * {@code L(μ) = Σ_k μ_k + Σ_t ub_t·max(0, v_t − Σ_k μ_k·share_tk)} (μ_k = λ_k·cap_k, shares of a
     * node) by coordinate descent with exact line search — L is convex and piecewise linear in at
     * most five variables, and each line search is a sort of breakpoints — warm-started from the
     * previous call's μ, since consecutive rounds of column generation have similar duals. Any
     * λ ≥ 0 gives a valid relaxation, so an inexact minimum only costs search nodes, never
     * correctness; a tiny share is added to every λ_k so that no pod weighs nothing.
     */
    private double[] surrogateMultipliers(List<Integer> candidates, double[] v, long[] ubs, int dims) {
        double[] warm = warmMu;
        int n = candidates.size();
        double[][] share = new double[dims][n];
        for (int i = 0; i < n; i++) {
            int t = candidates.get(i);
            for (int k = 0; k < dims; k++) {
                share[k][i] = (double) types.size(t, k) / types.capacity(k);
            }
        }
        double[] mu = warm == null ? new double[dims] : warm.clone();
        double[] slack = new double[n]; // v_t − Σ_k μ_k share_tk
        double[] breakpoint = new double[n];
        double[] weight = new double[n];
        Integer[] order = new Integer[n];
        for (int sweep = 0; sweep < 6; sweep++) {
            for (int k = 0; k < dims; k++) {
                int m = 0;
                for (int i = 0; i < n; i++) {
                    double c = v[candidates.get(i)];
                    for (int j = 0; j < dims; j++) {
                        if (j != k) {
                            c -= mu[j] * share[j][i];
                        }
                    }
                    slack[i] = c;
                    if (c > 0 && share[k][i] > 0) {
                        breakpoint[m] = c / share[k][i];
                        weight[m] = ubs[candidates.get(i)] * share[k][i];
                        order[m] = m;
                        m++;
                    }
                }
                // d/dx at x between breakpoints = 1 − Σ weights of breakpoints above x: the minimum
                // is at the breakpoint where that sum, taken from the largest down, first reaches 1.
                Integer[] sorted = java.util.Arrays.copyOf(order, m);
                double[] bp = breakpoint;
                java.util.Arrays.sort(sorted, (x, y) -> Double.compare(bp[y], bp[x]));
                double sum = 0;
                double best = 0;
                for (int idx : sorted) {
                    sum += weight[idx];
                    if (sum >= 1) {
                        best = breakpoint[idx];
                        break;
                    }
                }
                mu[k] = best;
            }
        }
        warmMu = mu.clone();
        double total = 0;
        for (double x : mu) {
            total += x;
        }
        double[] lambda = new double[dims];
        for (int k = 0; k < dims; k++) {
            lambda[k] = (total > 0 ? mu[k] + 1e-6 * total : 1.0) / types.capacity(k);
        }
        return lambda;
    }

    /**
     * Fills a pattern up with more pods while they fit (any type, in type order), for better
     * roundings; GPU pods only as many as the devices take.
     */
    static int[] fill(RequestTypes types, int[] pattern, long[] ub) {
        int dims = types.dimensions();
        long[] rem = new long[dims];
        for (int k = 0; k < dims; k++) {
            rem[k] = types.capacity(k);
        }
        for (int t = 0; t < pattern.length; t++) {
            for (int k = 0; k < dims; k++) {
                rem[k] -= pattern[t] * types.size(t, k);
            }
        }
        int[] out = Arrays.copyOf(pattern, pattern.length);
        for (int t = 0; t < out.length; t++) {
            if (!types.fits(t)) {
                continue;
            }
            long c = Math.min(ub[t] - out[t], types.ruleRoom(t, out));
            for (int k = 0; k < dims && c > 0; k++) {
                long sz = types.size(t, k);
                if (sz > 0) {
                    c = Math.min(c, rem[k] / sz);
                }
            }
            if (c > 0 && types.gpu(t) > 0) {
                int base = out[t];
                while (c > 0) {
                    out[t] = base + (int) c;
                    if (types.holdsOnDevices(out)) {
                        break;
                    }
                    c--;
                }
                out[t] = base;
            }
            if (c > 0) {
                out[t] += (int) c;
                for (int k = 0; k < dims; k++) {
                    rem[k] -= c * types.size(t, k);
                }
            }
        }
        return out;
    }
}

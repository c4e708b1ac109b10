package io.nodesizer.pattern;

import io.nodesizer.engine.GpuDevices;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An upper bound on the pricing problem of a shape with GPU devices that models the devices: the
 * value of the best pattern whose GPU pods fit the node's devices (a share on one device, whole
 * GPUs on devices of their own), for use when the pattern search is cut short.
 *
 * <p>Why: pooling the GPUs (and even adding rows of dual feasible functions, {@link GpuDevices#dff}) lets
 * shares that cannot share a device fill a node: at the last duals of openb default on a 128-core
 * 8-GPU node the pooled optimum is ~1.22 and the best device pattern ~1.00–1.09, so the Farley
 * bound built on the pooled value lost ~15 %.
 *
 * <p>How: a device holds a <em>configuration</em>, a multiset of shares of at most
 * {@link GpuDevices#UNIT}. For multipliers λ ≥ 0 on the node's other resources and β_t ≥ 0 on the
 * share types' bounds {@code a_t ≤ ub_t}, every device pattern a satisfies
 * <pre>
 *   v·a ≤ λ·cap + Σ_shares β_t ub_t + Σ_t a_t (v_t − λ·s_t − β_t)
 *       ≤ λ·cap + Σ β_t ub_t + Σ_{no GPU} ub_t (v_t − λ·s_t)⁺ + max_q [Σ_{whole} q_t (v_t − λ·s_t)
 *                                                                   + (devices − Σ q_t w_t)·V⁺]
 * </pre>
 * where V is the best configuration under the values {@code v_t − λ·s_t − β_t} (a knapsack of
 * capacity 1,000 by dynamic programming, each share at most ub_t times): the devices not taken
 * by whole-GPU pods each carry one configuration. The last term is a knapsack over at most 64
 * devices, solved exactly. So the bound is valid for <em>any</em> λ, β ≥ 0; it is the Lagrangian
 * of the configuration LP (Gilmore–Gomory over devices). Good multipliers come from that LP,
 * solved by column generation (configurations priced by the same dynamic program) on
 * {@link DenseSimplex}; every round's duals give a bound and the least is kept, so neither the
 * LP's optimality nor its solver's accuracy is trusted. Pod rules (anti-affinity, caps per node)
 * are left out, which only loosens it.
 */
final class DeviceBound {
    private static final double EPS = 1e-12;
    /** Column-generation rounds of the configuration LP: each is one dynamic program and a re-solve. */
    static final int MAX_ROUNDS = 40;
    private static final long PIVOTS_PER_ROUND = 2_000;

    private final RequestTypes types;
    /** The node's resources other than the pooled GPU row (the devices replace it). */
    private final int[] dims;
    private final int devices;

    DeviceBound(RequestTypes types) {
        this.types = types;
        this.devices = types.devices();
        List<Integer> d = new ArrayList<>();
        for (int k = 0; k < types.dimensions(); k++) {
            if (types.resource(k) != Resource.GPU.ordinal()) {
                d.add(k);
            }
        }
        this.dims = d.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * An upper bound on {@code max v·a} over the patterns a ≤ ub (and each type at most its
     * {@link RequestTypes#alone} count) whose pods fit the shape's resources and GPU devices;
     * +∞ when the shape has no devices.
     */
    Result bound(double[] value, long[] ubByType) {
        if (devices == 0) {
            return new Result(Double.POSITIVE_INFINITY, null);
        }
        Problem p = new Problem(value, ubByType);
        double bound = p.solve();
        return new Result(bound, p.rounded());
    }

    /**
     * @param bound   the upper bound
     * @param pattern a device pattern (pods per type) from the LP's solution rounded down, then
     *                filled up; null when there is none. Not necessarily optimal: the search it
     *                backs up misses patterns the LP sees (openb default: 1.00 found where 1.09
     *                exists).
     */
    record Result(double bound, int[] pattern) {
    }

    /** One pricing problem's configuration LP and its Lagrangian bounds. */
    private final class Problem {
        final int[] items;   // candidate types
        final long[] ub;     // per item
        final double[] v;    // per item
        final boolean[] share;
        final int[] whole;   // devices a whole-GPU item holds (0 for others)
        final int rows;      // dims, the device row, one bound row per item
        /** The LP's configuration columns: column index → counts per item (null for a type's own column). */
        final List<int[]> columns = new ArrayList<>();
        final List<Integer> columnItem = new ArrayList<>();
        DenseSimplex lp;
        /** Per item, its value less what its resources (and bound) cost at the last duals. */
        double[] lastReduced;

        Problem(double[] value, long[] ubByType) {
            List<Integer> c = new ArrayList<>();
            for (int t = 0; t < types.count(); t++) {
                if (value[t] > EPS && ubByType[t] > 0 && types.alone(t) > 0) {
                    c.add(t);
                }
            }
            int n = c.size();
            items = new int[n];
            ub = new long[n];
            v = new double[n];
            share = new boolean[n];
            whole = new int[n];
            for (int i = 0; i < n; i++) {
                int t = c.get(i);
                items[i] = t;
                ub[i] = Math.min(ubByType[t], types.alone(t));
                v[i] = value[t];
                long g = types.gpu(t);
                share[i] = g > 0 && g < GpuDevices.UNIT;
                whole[i] = GpuDevices.whole(g);
            }
            rows = dims.length + 1 + n;
        }

        double solve() {
            int n = items.length;
            double[] b = new double[rows];
            for (int k = 0; k < dims.length; k++) {
                b[k] = 1; // resource rows in shares of the node: memory in bytes would swamp the pivots
            }
            b[dims.length] = devices;
            for (int i = 0; i < n; i++) {
                b[dims.length + 1 + i] = ub[i];
            }
            lp = new DenseSimplex(b);
            for (int i = 0; i < n; i++) {
                if (share[i]) {
                    // A device of this share alone starts the configurations.
                    int[] conf = new int[n];
                    conf[i] = (int) Math.min(ub[i], GpuDevices.UNIT / types.gpu(items[i]));
                    addConfiguration(lp, conf);
                } else {
                    double[] a = new double[rows];
                    for (int k = 0; k < dims.length; k++) {
                        a[k] = (double) types.size(items[i], dims[k]) / types.capacity(dims[k]);
                    }
                    a[dims.length] = whole[i];
                    a[dims.length + 1 + i] = 1;
                    lp.addColumn(a, v[i]);
                    columns.add(null);
                    columnItem.add(i);
                }
            }
            double best = Double.POSITIVE_INFINITY;
            double[] reduced = lastReduced = new double[n];
            for (int round = 0; round < MAX_ROUNDS; round++) {
                lp.solve(PIVOTS_PER_ROUND);
                double[] y = lp.duals();
                double[] lambda = new double[dims.length];
                for (int k = 0; k < dims.length; k++) {
                    lambda[k] = Math.max(0, y[k]) / types.capacity(dims[k]);
                }
                double delta = Math.max(0, y[dims.length]);
                double fixed = 0;
                for (int k = 0; k < dims.length; k++) {
                    fixed += lambda[k] * types.capacity(dims[k]);
                }
                for (int i = 0; i < n; i++) {
                    double r = v[i];
                    for (int k = 0; k < dims.length; k++) {
                        r -= lambda[k] * types.size(items[i], dims[k]);
                    }
                    if (share[i]) {
                        double beta = Math.max(0, y[dims.length + 1 + i]);
                        fixed += beta * ub[i];
                        r -= beta;
                    }
                    reduced[i] = r;
                }
                int[] conf = new int[n];
                double config = bestConfiguration(reduced, conf);
                best = Math.min(best, lagrangian(fixed, reduced, config));
                if (config - delta <= 1e-9 * Math.max(1, Math.abs(delta)) || !addConfiguration(lp, conf)) {
                    break; // no configuration improves the LP: its duals are optimal (up to tolerance)
                }
            }
            // Every term is a sum of a few dozen products: a relative margin far above their
            // rounding keeps the bound above the exact value.
            return best * (1 + 1e-9) + 1e-12;
        }

        /**
         * The LP's last solution rounded down (whole devices of each configuration, whole pods of
         * each other type), which keeps every row, then filled up by {@link PatternPricer#fill};
         * null when the pods break a pod rule or the engine's device assignment refuses them.
         */
        int[] rounded() {
            if (lp == null) {
                return null;
            }
            double[] x = lp.primal();
            int[] counts = new int[types.count()];
            for (int j = 0; j < x.length; j++) {
                long whole = (long) Math.floor(x[j] + 1e-9);
                if (whole <= 0) {
                    continue;
                }
                int[] conf = columns.get(j);
                if (conf == null) {
                    counts[items[columnItem.get(j)]] += (int) whole;
                } else {
                    for (int i = 0; i < conf.length; i++) {
                        counts[items[i]] += (int) (whole * conf[i]);
                    }
                }
            }
            long[] cap = new long[types.count()];
            for (int i = 0; i < items.length; i++) {
                cap[items[i]] = ub[i];
                if (counts[items[i]] > ub[i]) {
                    return null; // only through rounding noise in x
                }
            }
            if (!types.admitsRules(counts) || !types.holdsOnDevices(counts)) {
                return null;
            }
            for (int k = 0; k < types.dimensions(); k++) {
                long used = 0;
                for (int t = 0; t < counts.length; t++) {
                    used += counts[t] * types.size(t, k);
                }
                if (used > types.capacity(k)) {
                    return null;
                }
            }
            if (types.hasRules()) {
                return counts;
            }
            // The LP's fractions left room: fill it with the pods the last duals value most
            // (their reduced value), then with anything that fits.
            Integer[] order = new Integer[items.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            java.util.Arrays.sort(order, (a, b) -> {
                int c = Double.compare(lastReduced[b], lastReduced[a]);
                return c != 0 ? c : Integer.compare(a, b);
            });
            long[] free = new long[types.dimensions()];
            for (int k = 0; k < free.length; k++) {
                free[k] = types.capacity(k);
                for (int t = 0; t < counts.length; t++) {
                    free[k] -= counts[t] * types.size(t, k);
                }
            }
            for (int i : order) {
                int t = items[i];
                long c = ub[i] - counts[t];
                for (int k = 0; k < free.length && c > 0; k++) {
                    long sz = types.size(t, k);
                    if (sz > 0) {
                        c = Math.min(c, free[k] / sz);
                    }
                }
                int base = counts[t];
                while (c > 0 && types.gpu(t) > 0) {
                    counts[t] = base + (int) c;
                    if (types.holdsOnDevices(counts)) {
                        break;
                    }
                    c--;
                }
                counts[t] = base + (int) Math.max(0, c);
                for (int k = 0; k < free.length && c > 0; k++) {
                    free[k] -= c * types.size(t, k);
                }
            }
            return PatternPricer.fill(types, counts, cap);
        }

        /** The Lagrangian bound for the reduced values (shares already less β) and multiplier terms {@code fixed}. */
        private double lagrangian(double fixed, double[] reduced, double config) {
            double total = fixed;
            double perDevice = Math.max(0, config);
            // Whole-GPU pods against configurations, over the devices: f[d] = best value of whole
            // pods on at most d devices.
            double[] f = new double[devices + 1];
            for (int i = 0; i < items.length; i++) {
                if (share[i]) {
                    continue;
                }
                if (whole[i] == 0) {
                    total += ub[i] * Math.max(0, reduced[i]);
                    continue;
                }
                if (reduced[i] <= 0) {
                    continue;
                }
                long copies = Math.min(ub[i], devices / whole[i]);
                for (long c = 0; c < copies; c++) {
                    for (int d = devices; d >= whole[i]; d--) {
                        f[d] = Math.max(f[d], f[d - whole[i]] + reduced[i]);
                    }
                }
            }
            double dev = 0;
            for (int d = 0; d <= devices; d++) {
                dev = Math.max(dev, f[d] + (devices - d) * perDevice);
            }
            return total + dev;
        }

        /**
         * The best configuration of one device under {@code reduced} (shares only, each at most
         * its bound and what one device holds): a bounded knapsack of capacity
         * {@link GpuDevices#UNIT}, by dynamic programming over binary-split copies. Writes the
         * counts to {@code conf} and returns its value.
         */
        private double bestConfiguration(double[] reduced, int[] conf) {
            int cap = GpuDevices.UNIT;
            List<int[]> parts = new ArrayList<>(); // {item, copies}
            for (int i = 0; i < items.length; i++) {
                if (!share[i] || reduced[i] <= 0) {
                    continue;
                }
                long left = Math.min(ub[i], cap / types.gpu(items[i]));
                for (long k = 1; left > 0; k *= 2) {
                    long q = Math.min(k, left);
                    parts.add(new int[]{i, (int) q});
                    left -= q;
                }
            }
            double[] dp = new double[cap + 1];
            boolean[][] took = new boolean[parts.size()][];
            for (int j = 0; j < parts.size(); j++) {
                int i = parts.get(j)[0];
                int q = parts.get(j)[1];
                int w = (int) (q * types.gpu(items[i]));
                double val = q * reduced[i];
                took[j] = new boolean[cap + 1];
                for (int c = cap; c >= w; c--) {
                    double cand = dp[c - w] + val;
                    if (cand > dp[c]) {
                        dp[c] = cand;
                        took[j][c] = true;
                    }
                }
            }
            Arrays.fill(conf, 0);
            int c = cap;
            for (int j = parts.size() - 1; j >= 0; j--) {
                if (took[j][c]) {
                    int i = parts.get(j)[0];
                    conf[i] += parts.get(j)[1];
                    c -= (int) (parts.get(j)[1] * types.gpu(items[i]));
                }
            }
            return dp[cap];
        }

        /** Adds a configuration column; false when it is empty. */
        private boolean addConfiguration(DenseSimplex lp, int[] conf) {
            double[] a = new double[rows];
            double cost = 0;
            boolean any = false;
            for (int i = 0; i < conf.length; i++) {
                if (conf[i] == 0) {
                    continue;
                }
                any = true;
                for (int k = 0; k < dims.length; k++) {
                    a[k] += conf[i] * (double) types.size(items[i], dims[k]) / types.capacity(dims[k]);
                }
                a[dims.length + 1 + i] = conf[i];
                cost += conf[i] * v[i];
            }
            a[dims.length] = 1;
            if (any) {
                lp.addColumn(a, cost);
                columns.add(conf.clone());
                columnItem.add(-1);
            }
            return any;
        }
    }
}

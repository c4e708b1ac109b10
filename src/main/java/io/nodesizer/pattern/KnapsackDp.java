package io.nodesizer.pattern;

import java.util.ArrayList;
import java.util.List;

/**
 * The pricing problem solved exactly by dynamic programming where one resource alone decides which patterns fit: the
 * bounded knapsack {@code max Σ v_t a_t  s.t.  Σ a_t w_t ≤ C, 0 ≤ a_t ≤ u_t} over whole capacities, for node shapes
 * whose other resources no pattern can exceed (BPPLIB's items, pods that only CPU limits). Branch and bound on such
 * instances can need far more nodes than its limit (Schwerin's 100 distinct items of 15–20 % of a node, five or six to
 * a node: millions of subsets of near-equal value per pricing call), and a search cut short gives the master a loose
 * bound or no column, so column generation stopped below the volume bound; the table here costs (C ÷ g + 1) cells per
 * 0/1 item (g the greatest common divisor of the sizes and, with each type split into 1, 2, 4, … pods, ⌈log₂(u_t + 1)⌉
 * items per type), whatever the values.
 *
 * <p>When does one resource decide? Resource b decides when, for every other resource k, even the best fractional
 * filling of k subject to b's capacity (types by size_k ÷ size_b, largest first, each up to u_t; those with no size on b
 * whole) stays within cap_k: then every count vector within b's capacity and the bounds u_t fits every resource.
 */
final class KnapsackDp {
    /** Above this many cells (0/1 items × capacities) the table is not built: branch and bound prices instead. */
    static final long MOST_CELLS = 40_000_000L;
    /** Above this many capacities (after dividing by the sizes' common divisor) neither: the table's row alone is 8 bytes each. */
    static final long MOST_CAPACITY = 1L << 22;
    /** Table cells that count as one branch-and-bound node against the pricing budget (a cell is a few operations). */
    static final long CELLS_PER_NODE = 64;

    private KnapsackDp() {
    }

    /**
     * The resource (active dimension) that alone decides which patterns of the types with {@code ub[t] > 0} fit, or −1
     * when none does.
     */
    static int decidingDimension(RequestTypes types, long[] ub) {
        int dims = types.dimensions();
        for (int b = 0; b < dims; b++) {
            boolean decides = true;
            for (int k = 0; k < dims && decides; k++) {
                decides = k == b || mostWithin(types, ub, b, k) <= types.capacity(k);
            }
            if (decides) {
                return b;
            }
        }
        return -1;
    }

    /** An upper bound on Σ a_t size_tk over count vectors a ≤ ub within b's capacity: the fractional knapsack. */
    private static double mostWithin(RequestTypes types, long[] ub, int b, int k) {
        List<Integer> order = new ArrayList<>();
        double total = 0;
        for (int t = 0; t < ub.length; t++) {
            if (ub[t] <= 0 || types.size(t, k) == 0) {
                continue;
            }
            if (types.size(t, b) == 0) {
                total += (double) ub[t] * types.size(t, k); // free on b: all of them
            } else {
                order.add(t);
            }
        }
        order.sort((x, y) -> Double.compare((double) types.size(y, k) / types.size(y, b), (double) types.size(x, k) / types.size(x, b)));
        double room = types.capacity(b);
        for (int t : order) {
            if (room <= 0) {
                break;
            }
            double take = Math.min(ub[t], room / types.size(t, b));
            total += take * types.size(t, k);
            room -= take * types.size(t, b);
        }
        return total;
    }

    /**
     * The optimum, exactly, and up to {@code maxPatterns} patterns worth more than {@code threshold} (best last); null
     * when the table would exceed {@link #MOST_CELLS} or {@link #MOST_CAPACITY}.
     *
     * @param b     the deciding dimension ({@link #decidingDimension})
     * @param value dual value per type; types at most 0 are left out
     * @param ub    most pods of each type (already at most what one node holds alone)
     */
    static PatternPricer.Result solve(RequestTypes types, int b, double[] value, long[] ub, double threshold, int maxPatterns) {
        int n = ub.length;
        long g = 0;
        double freeValue = 0;
        int[] free = new int[n];
        List<long[]> items = new ArrayList<>(); // {type, pods, weight in units of g}
        for (int t = 0; t < n; t++) {
            if (value[t] <= 0 || ub[t] <= 0) {
                continue;
            }
            long w = types.size(t, b);
            if (w == 0) {
                free[t] = (int) Math.min(Integer.MAX_VALUE, ub[t]);
                freeValue += free[t] * value[t];
                continue;
            }
            g = gcd(g, w);
        }
        long capacity = g == 0 ? 0 : types.capacity(b) / g;
        if (capacity > MOST_CAPACITY) {
            return null; // bytes of memory whose requests share no large divisor, say: the search prices
        }
        for (int t = 0; t < n; t++) {
            if (value[t] <= 0 || ub[t] <= 0 || types.size(t, b) == 0) {
                continue;
            }
            long w = types.size(t, b) / g;
            long left = Math.min(ub[t], capacity / w);
            for (long piece = 1; left > 0; piece *= 2) {
                long take = Math.min(piece, left);
                items.add(new long[] {t, take, take * w});
                left -= take;
            }
        }
        long cells = (capacity + 1) * (long) Math.max(1, items.size());
        if (cells > MOST_CELLS) {
            return null;
        }
        int c = (int) capacity;
        double[] best = new double[c + 1]; // best[x]: the most value within weight x
        int words = (c >> 6) + 1;
        long[][] took = new long[items.size()][];
        for (int i = 0; i < items.size(); i++) {
            long[] item = items.get(i);
            int w = (int) item[2];
            double v = item[1] * value[(int) item[0]];
            long[] bits = new long[words];
            for (int x = c; x >= w; x--) {
                double with = best[x - w] + v;
                if (with > best[x]) {
                    best[x] = with;
                    bits[x >> 6] |= 1L << x;
                }
            }
            took[i] = bits;
        }
        // The optimum at the full capacity, then the best within smaller capacities wherever the value drops: distinct
        // patterns, each improving when worth more than the threshold (the caller fills them up).
        List<int[]> patterns = new ArrayList<>();
        double last = Double.POSITIVE_INFINITY;
        for (int x = c; x >= 0 && patterns.size() < Math.max(1, maxPatterns); x--) {
            if (best[x] >= last || best[x] + freeValue <= threshold && !patterns.isEmpty()) {
                continue;
            }
            last = best[x];
            int[] pattern = free.clone();
            int at = x;
            for (int i = items.size() - 1; i >= 0; i--) {
                if ((took[i][at >> 6] >>> at & 1) != 0) {
                    long[] item = items.get(i);
                    pattern[(int) item[0]] += (int) item[1];
                    at -= (int) item[2];
                }
            }
            patterns.add(0, pattern); // best last
            if (best[x] + freeValue <= threshold) {
                break; // the optimum itself improves nothing: it alone is reported
            }
        }
        double optimum = best[c] + freeValue;
        List<int[]> improving = optimum > threshold ? patterns : List.of();
        long nodes = Math.max(1, cells / CELLS_PER_NODE);
        return new PatternPricer.Result(optimum, optimum, true, improving, nodes);
    }

    private static long gcd(long a, long b) {
        while (b != 0) {
            long r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}

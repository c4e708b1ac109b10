package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;

/**
 * The item order of the "decreasing" heuristics: groups by dominant share (the largest fraction
 * of the node's pod capacity the pod takes on any resource) descending, then by the sum of its
 * shares descending, then input order (a stable sort, so results never depend on hashing).
 * Identical pods end up next to each other, which lets strategies place replicas in bulk.
 */
final class DecreasingOrder {
    /**
     * From this many groups on they are radix sorted: a merge sort through double keys took 22 ms
     * of FFD's 160 ms on 150,000 distinct pods; below, it is cheaper than passes over 2,048 buckets.
     */
    private static final int RADIX_FROM = 2048;

    private DecreasingOrder() {
    }

    static int[] of(PackingProblem problem) {
        int[] groups = problem.schedulableGroups().clone();
        int n = groups.length;
        long[] demand = problem.flatDemand();
        long[] cap = problem.podCapacity();
        int[] dims = problem.activeDims();
        double[] dominant = new double[problem.table().groupCount()];
        double[] total = new double[dominant.length];
        long[] keys = n < RADIX_FROM ? null : new long[n];
        long top = 0;
        for (int i = 0; i < n; i++) {
            int g = groups[i];
            double max = 0;
            double sum = 0;
            for (int r : dims) {
                double share = (double) demand[g * DemandTable.D + r] / cap[r];
                sum += share;
                if (share > max) {
                    max = share;
                }
            }
            dominant[g] = max;
            total[g] = sum;
            if (keys != null) {
                // For finite non-negative doubles the raw bits order as the values do (-0.0 + 0.0 is 0.0, which it equals).
                double d = max + 0.0;
                keys = d >= 0 && d != Double.POSITIVE_INFINITY ? keys : null;
                if (keys != null) {
                    keys[i] = Double.doubleToRawLongBits(d);
                    top = Math.max(top, keys[i]);
                }
            }
        }
        int[] buffer = new int[n];
        if (keys == null) {
            mergeSort(groups, buffer, 0, n, dominant, total);
            return groups;
        }
        // Large inputs: a stable radix sort by dominant share descending (keys top − bits, so only
        // as many digits as the spread of shares needs), then the merge sort orders each run of
        // equal dominant shares, which the radix sort left in input order, by total.
        for (int i = 0; i < n; i++) {
            keys[i] = top - keys[i];
        }
        StableRadixSort.sort(keys, groups);
        for (int from = 0; from < n; ) {
            int to = from + 1;
            while (to < n && keys[to] == keys[from]) {
                to++;
            }
            if (to - from > 1) {
                mergeSort(groups, buffer, from, to, dominant, total);
            }
            from = to;
        }
        return groups;
    }

    /** Stable top-down merge sort of group indices by (dominant desc, total desc). */
    private static void mergeSort(int[] a, int[] buf, int from, int to, double[] k1, double[] k2) {
        if (to - from < 2) {
            return;
        }
        if (to - from <= 16) {
            for (int i = from + 1; i < to; i++) {
                int v = a[i];
                int j = i - 1;
                while (j >= from && before(v, a[j], k1, k2)) {
                    a[j + 1] = a[j];
                    j--;
                }
                a[j + 1] = v;
            }
            return;
        }
        int mid = (from + to) >>> 1;
        mergeSort(a, buf, from, mid, k1, k2);
        mergeSort(a, buf, mid, to, k1, k2);
        if (!before(a[mid], a[mid - 1], k1, k2)) {
            return;
        }
        System.arraycopy(a, from, buf, from, to - from);
        int i = from;
        int j = mid;
        int k = from;
        while (i < mid && j < to) {
            a[k++] = before(buf[j], buf[i], k1, k2) ? buf[j++] : buf[i++];
        }
        while (i < mid) {
            a[k++] = buf[i++];
        }
        while (j < to) {
            a[k++] = buf[j++];
        }
    }

    /** Strictly before: larger dominant share, or equal and larger total share. */
    private static boolean before(int x, int y, double[] k1, double[] k2) {
        if (k1[x] != k1[y]) {
            return k1[x] > k1[y];
        }
        return k2[x] > k2[y];
    }

    /**
     * Suffix minima of demand along {@code order}: row {@code p} holds, per active resource, the
     * smallest demand among groups at positions p..end. A node whose free amount of some resource
     * is below that can never take another pod and may be dropped from scans.
     */
    static long[] suffixMinima(PackingProblem problem, int[] order) {
        int[] dims = problem.activeDims();
        int a = dims.length;
        long[] demand = problem.flatDemand();
        long[] min = new long[(order.length + 1) * a];
        for (int k = 0; k < a; k++) {
            min[order.length * a + k] = Long.MAX_VALUE;
        }
        for (int p = order.length - 1; p >= 0; p--) {
            int g = order[p];
            for (int k = 0; k < a; k++) {
                min[p * a + k] = Math.min(min[(p + 1) * a + k], demand[g * DemandTable.D + dims[k]]);
            }
        }
        return min;
    }
}

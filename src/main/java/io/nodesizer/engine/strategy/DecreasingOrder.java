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
        int[] groups = problem.schedulableGroups();
        int n = groups.length;
        long[] demand = problem.flatDemand();
        long[] cap = problem.podCapacity();
        int[] dims = problem.activeDims();
        // Shares per position in the input (not per group index), so both sorts read them in order.
        double[] dominant = new double[n];
        double[] total = new double[n];
        for (int i = 0; i < n; i++) {
            int row = groups[i] * DemandTable.D;
            double max = 0;
            double sum = 0;
            for (int r : dims) {
                double share = (double) demand[row + r] / cap[r];
                sum += share;
                max = share > max ? share : max;
            }
            dominant[i] = max;
            total[i] = sum;
        }
        int[] positions = n >= RADIX_FROM ? radixSort(dominant, total) : null;
        if (positions == null) {
            positions = new int[n];
            for (int i = 0; i < n; i++) {
                positions[i] = i;
            }
            mergeSort(positions, new int[n], 0, n, dominant, total);
        }
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = groups[positions[k]];
        }
        return order;
    }

    /**
     * The positions in order by (dominant desc, total desc, position asc): a stable LSD radix sort
     * by dominant share on the shares' bits (for finite non-negative doubles the raw bits order as
     * the values do; keys are top − bits, so descending and only as many digits as the spread of
     * shares needs), then each run of equal dominant shares by total. The runs are sorted on
     * copies of their keys side by side: through the shares at random (CPU requests repeat, so on
     * 150,000 distinct pods half the pods share their dominant share) that was 3 ms; a second radix
     * sort of everything by total, 2.5 ms. Null when some share is not a finite non-negative number.
     */
    private static int[] radixSort(double[] dominant, double[] total) {
        int n = dominant.length;
        long[] key = new long[n];
        long top = 0;
        for (int i = 0; i < n; i++) {
            double d = dominant[i] + 0.0; // -0.0 + 0.0 is 0.0, which it equals
            double t = total[i] + 0.0;
            if (!(d >= 0 && d < Double.POSITIVE_INFINITY && t >= 0 && t < Double.POSITIVE_INFINITY)) {
                return null;
            }
            key[i] = Double.doubleToRawLongBits(d);
            top = Math.max(top, key[i]);
        }
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            key[i] = top - key[i];
            positions[i] = i;
        }
        StableRadixSort.sort(key, positions);
        long[] runKeys = new long[RUN_BY_INSERTION];
        for (int from = 0; from < n; ) {
            int to = from + 1;
            while (to < n && key[to] == key[from]) {
                to++;
            }
            if (to - from > 1) {
                sortRunByTotal(positions, from, to, total, runKeys);
            }
            from = to;
        }
        return positions;
    }

    /** Runs up to this long are insertion sorted; longer ones radix sorted. */
    private static final int RUN_BY_INSERTION = 128;

    /** Stable sort of positions[from, to) by total share descending (they are in position order). */
    private static void sortRunByTotal(int[] positions, int from, int to, double[] total, long[] scratch) {
        int len = to - from;
        // Keys: MAX − bits, so ascending keys are descending totals (finite non-negative, checked).
        long[] keys = len <= RUN_BY_INSERTION ? scratch : new long[len];
        for (int k = 0; k < len; k++) {
            keys[k] = Long.MAX_VALUE - Double.doubleToRawLongBits(total[positions[from + k]] + 0.0);
        }
        if (len > RUN_BY_INSERTION) {
            int[] run = java.util.Arrays.copyOfRange(positions, from, to);
            StableRadixSort.sort(keys, run);
            System.arraycopy(run, 0, positions, from, len);
            return;
        }
        for (int i = 1; i < len; i++) {
            long k = keys[i];
            int p = positions[from + i];
            int j = i - 1;
            while (j >= 0 && keys[j] > k) {
                keys[j + 1] = keys[j];
                positions[from + j + 1] = positions[from + j];
                j--;
            }
            keys[j + 1] = k;
            positions[from + j + 1] = p;
        }
    }

    /** Stable top-down merge sort of positions by (dominant desc, total desc). */
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

package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandClasses;
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

    /**
     * With at most one demand class per this many groups, the order is sorted per class
     * ({@link #byClass}); with more, sorting the groups themselves is as cheap.
     */
    private static final int GROUPS_PER_CLASS = 4;

    private DecreasingOrder() {
    }

    static int[] of(PackingProblem problem) {
        int[] groups = problem.schedulableGroups();
        int n = groups.length;
        long[] demand = problem.flatDemand();
        long[] cap = problem.podCapacity();
        int[] dims = problem.activeDims();
        if (n >= RADIX_FROM) {
            DemandClasses classes = problem.table().demandClasses();
            if (classes.count() <= n / GROUPS_PER_CLASS) {
                int[] order = byClass(groups, classes, demand, cap, dims);
                if (order != null) {
                    return order;
                }
            }
        }
        int[] positions = n >= RADIX_FROM ? radixSort(groups, demand, cap, dims) : null;
        if (positions == null) {
            // Shares per position in the input (not per group index), so the sort reads them in order.
            double[] dominant = new double[n];
            double[] total = new double[n];
            shares(groups, n, demand, cap, dims, dominant, total);
            positions = new int[n];
            for (int i = 0; i < n; i++) {
                positions[i] = i;
            }
            mergeSort(positions, new int[n], 0, n, dominant, total);
        }
        if (n == problem.table().groupCount()) {
            return positions; // every group is schedulable: groups[i] is i (they ascend), no lookup at random
        }
        int[] order = new int[n];
        for (int k = 0; k < n; k++) {
            order[k] = groups[positions[k]];
        }
        return order;
    }

    /**
     * The same order from the groups' demand classes: groups of one class have equal shares, so
     * only the classes are sorted (by the same keys, as doubles), and each set of classes with equal
     * keys then takes its groups in input order. A cold 150,000-pod trace (~120 classes) spent
     * ~40 ms computing shares and radix sorting positions; this is two passes over the groups.
     * Null when some share is not a finite non-negative number (the general sort decides those).
     */
    private static int[] byClass(int[] groups, DemandClasses classes, long[] demand, long[] cap, int[] dims) {
        int n = groups.length;
        int[] local = new int[classes.count()]; // a class's number among these groups, -1 until seen
        java.util.Arrays.fill(local, -1);
        int[] ofPosition = new int[n];
        int[] first = new int[Math.min(n, classes.count())];
        int[] size = new int[first.length];
        int m = 0;
        int[] classOf = classes.ofGroup();
        for (int i = 0; i < n; i++) {
            int c = classOf[groups[i]];
            int l = local[c];
            if (l < 0) {
                l = m++;
                local[c] = l;
                first[l] = groups[i];
            }
            ofPosition[i] = l;
            size[l]++;
        }
        double[] dominant = new double[m];
        double[] total = new double[m];
        if (!shares(first, m, demand, cap, dims, dominant, total)) {
            return null;
        }
        int[] sorted = new int[m];
        for (int l = 0; l < m; l++) {
            sorted[l] = l;
        }
        mergeSort(sorted, new int[m], 0, m, dominant, total);
        // Classes with equal keys form one tie set, whose groups interleave in input order: each
        // class points at its set's next free slot, and one pass over the positions fills them.
        int[] setOf = new int[m];
        int[] next = new int[m];
        int sets = 0;
        int offset = 0;
        for (int k = 0; k < m; k++) {
            int l = sorted[k];
            if (k == 0 || before(sorted[k - 1], l, dominant, total)) {
                next[sets++] = offset;
            }
            setOf[l] = sets - 1;
            offset += size[l];
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[next[setOf[ofPosition[i]]]++] = groups[i];
        }
        return order;
    }

    /**
     * The dominant and total share of {@code groups[0..n)} into {@code dominant[i]} and
     * {@code total[i]}; false when some share is not a finite non-negative number.
     */
    private static boolean shares(int[] groups, int n, long[] demand, long[] cap, int[] dims, double[] dominant, double[] total) {
        boolean finite = true;
        for (int i = 0; i < n; i++) {
            int row = groups[i] * DemandTable.D;
            double max = 0;
            double sum = 0;
            for (int r : dims) {
                double share = (double) demand[row + r] / cap[r];
                sum += share;
                max = share > max ? share : max;
                finite &= share >= 0 && share < Double.POSITIVE_INFINITY;
            }
            dominant[i] = max;
            total[i] = sum;
        }
        return finite;
    }

    /** Bits of the coarse key the radix sort orders by: two passes of 12-bit digits. */
    private static final int COARSE_BITS = 24;

    /**
     * The positions in order by (dominant desc, total desc, position asc), or null when some
     * share is not a finite non-negative number. For those the raw bits of a double order as its
     * values, so the dominant share is the largest share's bits (a long maximum compiles to a
     * conditional move; a double comparison branches, on which resource dominates). The dominant
     * shares of 150,000 distinct pods spread over ~55 bits, five radix passes of 11 bits; the
     * radix sort here orders by the top 24 bits of that spread only (dropping low bits keeps the
     * order and only joins neighbours), two passes of 12, then sorts each run of equal coarse
     * keys by the whole dominant share and the total: 6.5 → 4.9 ms. Most runs are true ties anyway
     * (CPU requests repeat: half the pods share their dominant share with another pod); they are
     * sorted on copies of their keys side by side (through the shares at random that was 3 ms).
     */
    private static int[] radixSort(int[] groups, long[] demand, long[] cap, int[] dims) {
        int n = groups.length;
        long[] dominant = new long[n];
        long[] total = new long[n];
        long top = 0;
        long bottom = Long.MAX_VALUE;
        boolean finite = true;
        for (int i = 0; i < n; i++) {
            int row = groups[i] * DemandTable.D;
            long max = 0; // the bits of 0.0; negative shares have the sign bit and lose, as in the double comparison
            double sum = 0;
            for (int r : dims) {
                double share = (double) demand[row + r] / cap[r];
                sum += share;
                max = Math.max(max, Double.doubleToRawLongBits(share));
            }
            // A NaN share makes the sum NaN; an infinite one the maximum infinite.
            finite &= max < POSITIVE_INFINITY_BITS && sum >= 0 && sum < Double.POSITIVE_INFINITY;
            dominant[i] = max;
            total[i] = Long.MAX_VALUE - Double.doubleToRawLongBits(sum + 0.0); // ascending: total descending
            top = Math.max(top, max);
            bottom = Math.min(bottom, max);
        }
        if (!finite) {
            return null;
        }
        int drop = Math.max(0, 64 - Long.numberOfLeadingZeros(top - bottom) - COARSE_BITS);
        long[] key = new long[n];
        int[] positions = new int[n];
        for (int i = 0; i < n; i++) {
            dominant[i] = top - dominant[i]; // ascending: dominant descending
            key[i] = dominant[i] >>> drop;
            positions[i] = i;
        }
        StableRadixSort.sort(key, positions);
        long[] runKeys = new long[2 * RUN_BY_INSERTION];
        for (int from = 0; from < n; ) {
            int to = from + 1;
            while (to < n && key[to] == key[from]) {
                to++;
            }
            if (to - from > 1) {
                sortRun(positions, from, to, dominant, total, runKeys);
            }
            from = to;
        }
        return positions;
    }

    private static final long POSITIVE_INFINITY_BITS = Double.doubleToRawLongBits(Double.POSITIVE_INFINITY);

    /** Runs up to this long are insertion sorted; longer ones radix sorted. */
    private static final int RUN_BY_INSERTION = 128;

    /**
     * Stable sort of positions[from, to) (in position order) by (dominant, total) ascending, both
     * keys per position as the radix sort made them.
     */
    private static void sortRun(int[] positions, int from, int to, long[] dominant, long[] total, long[] scratch) {
        int len = to - from;
        if (len > RUN_BY_INSERTION) {
            int[] run = java.util.Arrays.copyOfRange(positions, from, to);
            long[] keys = new long[len];
            boolean tie = true;
            for (int k = 0; k < len; k++) {
                keys[k] = total[run[k]];
                tie &= dominant[run[k]] == dominant[run[0]];
            }
            StableRadixSort.sort(keys, run);
            if (!tie) { // the coarse key joined different dominant shares: by those last, stably
                for (int k = 0; k < len; k++) {
                    keys[k] = dominant[run[k]];
                }
                StableRadixSort.sort(keys, run);
            }
            System.arraycopy(run, 0, positions, from, len);
            return;
        }
        // (dominant, total) pairs side by side in the scratch
        for (int k = 0; k < len; k++) {
            scratch[2 * k] = dominant[positions[from + k]];
            scratch[2 * k + 1] = total[positions[from + k]];
        }
        for (int i = 1; i < len; i++) {
            long d = scratch[2 * i];
            long t = scratch[2 * i + 1];
            int p = positions[from + i];
            int j = i - 1;
            while (j >= 0 && (scratch[2 * j] > d || scratch[2 * j] == d && scratch[2 * j + 1] > t)) {
                scratch[2 * j + 2] = scratch[2 * j];
                scratch[2 * j + 3] = scratch[2 * j + 1];
                positions[from + j + 1] = positions[from + j];
                j--;
            }
            scratch[2 * j + 2] = d;
            scratch[2 * j + 3] = t;
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

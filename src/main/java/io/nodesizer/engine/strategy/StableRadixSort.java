package io.nodesizer.engine.strategy;

import java.util.Arrays;

/**
 * A stable LSD radix sort of int values by non-negative long keys, ascending, on digits of at most
 * 12 bits: only the bits the largest key has are sorted, split into as few digits as that allows
 * (24 bits: two passes of 12 rather than three of 11), and one sweep counts every digit, so a
 * pass costs one sequential sweep and a scatter. For the orders of large inputs, where a
 * comparison sort through double keys was most of FFD's time (150,000 distinct pods: 22 ms of
 * merge sort).
 */
final class StableRadixSort {
    /** 4,096 counters (16 KB) stay in the L1 cache, and the scatter's 4,096 write positions in L2. */
    private static final int MOST_BITS = 12;

    private StableRadixSort() {
    }

    /** Reorders {@code values} (and {@code keys} with them) by key ascending, equal keys in their given order. */
    static void sort(long[] keys, int[] values) {
        int n = keys.length;
        long max = 0;
        for (long k : keys) {
            if (k < 0) {
                throw new IllegalArgumentException("negative key " + k);
            }
            max |= k;
        }
        int significant = 64 - Long.numberOfLeadingZeros(max);
        if (significant == 0) {
            return;
        }
        int passes = (significant + MOST_BITS - 1) / MOST_BITS;
        int bits = (significant + passes - 1) / passes;
        int buckets = 1 << bits;
        int mask = buckets - 1;
        int[] count = new int[passes * buckets];
        for (long k : keys) {
            for (int q = 0; q < passes; q++) {
                count[q * buckets + ((int) (k >>> (q * bits)) & mask)]++;
            }
        }
        long[] keyFrom = keys;
        int[] valueFrom = values;
        long[] keyTo = new long[n];
        int[] valueTo = new int[n];
        for (int q = 0; q < passes; q++) {
            int shift = q * bits;
            int at = q * buckets;
            if (count[at + ((int) (keyFrom[0] >>> shift) & mask)] == n) {
                continue; // every key has this digit: the pass would not move anything
            }
            for (int d = at, sum = 0; d < at + buckets; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (int i = 0; i < n; i++) {
                int to = count[at + ((int) (keyFrom[i] >>> shift) & mask)]++;
                keyTo[to] = keyFrom[i];
                valueTo[to] = valueFrom[i];
            }
            long[] ks = keyFrom;
            keyFrom = keyTo;
            keyTo = ks;
            int[] vs = valueFrom;
            valueFrom = valueTo;
            valueTo = vs;
        }
        if (keyFrom != keys) {
            System.arraycopy(keyFrom, 0, keys, 0, n);
            System.arraycopy(valueFrom, 0, values, 0, n);
        }
    }
}

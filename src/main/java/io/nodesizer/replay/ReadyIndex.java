package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;

import java.util.Arrays;

/**
 * A max segment tree over the positions of the ready-node list: per subtree, the largest free
 * amount of each resource. It finds the next position at or after a given one whose node fits a
 * request, skipping whole stretches of full nodes in O(log n), so the scheduler visits the same
 * feasible nodes in the same round-robin order as a linear scan would, without touching the
 * infeasible ones. Empty positions hold -1, which no request fits.
 */
final class ReadyIndex {
    private static final int D = DemandTable.D;

    private int capacity;
    /** Per resource r, a tree of 2 * capacity maxima; leaves at capacity + position. */
    private long[][] max = new long[D][];

    ReadyIndex() {
        grow(16);
    }

    private void grow(int minCapacity) {
        int c = Math.max(16, Integer.highestOneBit(Math.max(1, minCapacity - 1)) << 1);
        long[][] old = max;
        int oldCap = capacity;
        capacity = c;
        max = new long[D][];
        for (int r = 0; r < D; r++) {
            max[r] = new long[2 * c];
            Arrays.fill(max[r], -1);
            if (old[r] != null) {
                System.arraycopy(old[r], oldCap, max[r], c, oldCap);
            }
            for (int i = c - 1; i >= 1; i--) {
                max[r][i] = Math.max(max[r][2 * i], max[r][2 * i + 1]);
            }
        }
    }

    /** Position {@code pos} now holds a node with this free capacity (stride D from {@code offset}). */
    void set(int pos, long[] free, int offset) {
        if (pos >= capacity) {
            grow(pos + 1);
        }
        for (int r = 0; r < D; r++) {
            long[] t = max[r];
            int i = capacity + pos;
            t[i] = free[offset + r];
            for (i >>= 1; i >= 1; i >>= 1) {
                long m = Math.max(t[2 * i], t[2 * i + 1]);
                if (t[i] == m) {
                    break;
                }
                t[i] = m;
            }
        }
    }

    /** The free amount of resource {@code r} recorded for position {@code pos} (for verification). */
    long leaf(int pos, int r) {
        return pos < capacity ? max[r][capacity + pos] : -1;
    }

    /** Position {@code pos} is empty. */
    void clear(int pos) {
        for (int r = 0; r < D; r++) {
            long[] t = max[r];
            int i = capacity + pos;
            t[i] = -1;
            for (i >>= 1; i >= 1; i >>= 1) {
                t[i] = Math.max(t[2 * i], t[2 * i + 1]);
            }
        }
    }

    /**
     * The first position in [{@code from}, {@code to}) whose node fits the request (stride D from
     * {@code offset}), or -1.
     */
    int first(int from, int to, long[] demand, int offset) {
        if (from >= to || from >= capacity) {
            return -1;
        }
        int i = capacity + from;
        if (fits(i, demand, offset)) {
            return from;
        }
        // Walk right from the leaf: climb to the nearest right sibling whose maxima fit, then
        // descend into it. The maxima of a subtree are per resource and may come from different
        // leaves, so a descent can dead-end; the climb then continues from there. The cost is
        // O(log distance) per call, and O(1) when the next node fits.
        while (true) {
            while (i > 1 && ((i & 1) == 1 || !fits(i + 1, demand, offset))) {
                i >>= 1;
            }
            if (i <= 1) {
                return -1;
            }
            i++;
            while (i < capacity) {
                if (fits(2 * i, demand, offset)) {
                    i = 2 * i;
                } else if (fits(2 * i + 1, demand, offset)) {
                    i = 2 * i + 1;
                } else {
                    break;
                }
            }
            if (i >= capacity) {
                int pos = i - capacity;
                return pos < to ? pos : -1;
            }
        }
    }

    private boolean fits(int node, long[] demand, int offset) {
        for (int r = 0; r < D; r++) {
            if (max[r][node] < demand[offset + r]) {
                return false;
            }
        }
        return true;
    }
}

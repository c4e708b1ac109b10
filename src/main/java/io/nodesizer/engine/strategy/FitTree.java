package io.nodesizer.engine.strategy;

import io.nodesizer.engine.NodeLedger;

import java.util.Arrays;

/**
 * A segment tree over node indices holding, per active resource, the largest free amount in each
 * subtree. {@link #findFirst} descends only into subtrees whose maxima cover the demand, so the
 * search skips full regions of the fleet. With several resources the maxima may come from
 * different nodes, so a subtree can pass the check and still hold no fitting node; the descent
 * then backtracks, which stays cheap because packings fill nodes from the left.
 */
final class FitTree {
    private final int[] dims;
    private final int a;
    private int leaves;
    private long[] max;

    FitTree(int[] dims, int initialLeaves) {
        this.dims = dims;
        this.a = dims.length;
        this.leaves = Integer.highestOneBit(Math.max(2, initialLeaves) - 1) << 1;
        this.max = new long[2 * leaves * a];
    }

    /** Refreshes node {@code node}'s leaf from the ledger and its ancestors' maxima. */
    void update(int node, NodeLedger ledger) {
        if (node >= leaves) {
            grow(node + 1, ledger);
            return;
        }
        int v = leaves + node;
        for (int k = 0; k < a; k++) {
            max[v * a + k] = ledger.free(node, dims[k]);
        }
        refreshAncestors(v);
    }

    private void refreshAncestors(int leaf) {
        for (int v = leaf >>> 1; v >= 1; v >>>= 1) {
            int l = 2 * v;
            int r = l + 1;
            for (int k = 0; k < a; k++) {
                max[v * a + k] = Math.max(max[l * a + k], max[r * a + k]);
            }
        }
    }

    private void grow(int needed, NodeLedger ledger) {
        while (leaves < needed) {
            leaves <<= 1;
        }
        max = new long[2 * leaves * a];
        Arrays.fill(max, 0);
        for (int node = 0; node < ledger.nodeCount(); node++) {
            int v = leaves + node;
            for (int k = 0; k < a; k++) {
                max[v * a + k] = ledger.free(node, dims[k]);
            }
        }
        for (int v = leaves - 1; v >= 1; v--) {
            int l = 2 * v;
            int r = l + 1;
            for (int k = 0; k < a; k++) {
                max[v * a + k] = Math.max(max[l * a + k], max[r * a + k]);
            }
        }
    }

    /** Lowest node index in [from, nodeCount) that fits the demand row, or -1. */
    int findFirst(long[] demand, int offset, int from, int nodeCount) {
        if (from >= nodeCount) {
            return -1;
        }
        return descend(1, 0, leaves - 1, demand, offset, from, nodeCount);
    }

    /**
     * Removes a node from all future searches (its leaf becomes zero, which no pod covers since
     * every pod takes a pod slot). For nodes that can never take another pod.
     */
    void kill(int node) {
        if (node >= leaves) {
            return;
        }
        int v = leaves + node;
        for (int k = 0; k < a; k++) {
            max[v * a + k] = 0;
        }
        refreshAncestors(v);
    }

    private int descend(int v, int lo, int hi, long[] demand, int offset, int from, int nodeCount) {
        if (hi < from || lo >= nodeCount || !covers(v, demand, offset)) {
            return -1;
        }
        if (lo == hi) {
            return lo;
        }
        int mid = (lo + hi) >>> 1;
        int left = descend(2 * v, lo, mid, demand, offset, from, nodeCount);
        if (left >= 0) {
            return left;
        }
        return descend(2 * v + 1, mid + 1, hi, demand, offset, from, nodeCount);
    }

    private boolean covers(int v, long[] demand, int offset) {
        int base = v * a;
        for (int k = 0; k < a; k++) {
            if (max[base + k] < demand[offset + dims[k]]) {
                return false;
            }
        }
        return true;
    }
}

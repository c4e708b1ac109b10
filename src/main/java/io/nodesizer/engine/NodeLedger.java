package io.nodesizer.engine;

import java.util.Arrays;

/**
 * Free capacity of every open node, one node after another in a flat {@code long[]} with stride
 * {@link DemandTable#D} (struct-of-arrays would spread one fit check over five cache lines; this
 * layout keeps a node's five amounts together). All nodes share one shape, whose pod-allocatable
 * (allocatable minus DaemonSet pods) is {@code capacity}. Mutable by design: it is the engine's
 * hot-path state and never leaves the engine.
 */
public final class NodeLedger {
    private static final int D = DemandTable.D;

    private final long[] capacity;
    private long[] free;
    private int nodeCount;

    public NodeLedger(long[] capacity, int expectedNodes) {
        this.capacity = capacity.clone();
        this.free = new long[Math.max(16, expectedNodes) * D];
    }

    public int nodeCount() {
        return nodeCount;
    }

    public long capacity(int r) {
        return capacity[r];
    }

    public long free(int node, int r) {
        return free[node * D + r];
    }

    /** Opens an empty node and returns its index. */
    public int open() {
        if ((nodeCount + 1) * D > free.length) {
            free = Arrays.copyOf(free, free.length * 2);
        }
        System.arraycopy(capacity, 0, free, nodeCount * D, D);
        return nodeCount++;
    }

    /** True when one replica of {@code demand} (stride-D row at {@code offset}) fits {@code node}. */
    public boolean fits(int node, long[] demand, int offset, int[] dims) {
        int base = node * D;
        for (int dim : dims) {
            if (demand[offset + dim] > free[base + dim]) {
                return false;
            }
        }
        return true;
    }

    /** How many replicas of {@code demand} fit {@code node}, at most {@code limit}. */
    public int fitCount(int node, long[] demand, int offset, int[] dims, int limit) {
        int base = node * D;
        long k = limit;
        for (int dim : dims) {
            long d = demand[offset + dim];
            if (d > 0) {
                long fit = free[base + dim] / d;
                if (fit < k) {
                    k = fit;
                }
            }
        }
        return (int) k;
    }

    /** Takes {@code count} replicas of {@code demand} from {@code node}; the caller has checked the fit. */
    public void take(int node, long[] demand, int offset, int[] dims, int count) {
        int base = node * D;
        for (int dim : dims) {
            free[base + dim] -= demand[offset + dim] * count;
        }
    }
}

package io.nodesizer.replay;

import java.util.Arrays;

/**
 * The drains whose pods PodDisruptionBudgets held on their cordoned nodes: per node, when its drain began, how it retries
 * ({@link EvictionRetry}) and how many tries it made. Rare beside the nodes (only with budgets), so kept by node in
 * arrays grown as needed; a node no held drain is on has no entry.
 */
final class HeldDrains {
    private long[] start = new long[0];
    private int[] tries = new int[0];
    private EvictionRetry[] retry = new EvictionRetry[0];
    private int[][] rank = new int[0][];

    /**
     * {@code node}'s drain, begun at {@code start}, kept pods: it retries by {@code how}, evicting in the order of
     * {@code groupRank} (null: the nodes' own; see {@link ClusterEvents#drainAll}).
     */
    void hold(int node, long start, EvictionRetry how, int[] groupRank) {
        if (node >= this.start.length) {
            int n = Math.max(node + 1, this.start.length * 2);
            int was = this.start.length;
            this.start = Arrays.copyOf(this.start, n);
            Arrays.fill(this.start, was, n, -1);
            tries = Arrays.copyOf(tries, n);
            retry = Arrays.copyOf(retry, n);
            rank = Arrays.copyOf(rank, n);
        }
        if (this.start[node] < 0) {
            count++;
        }
        this.start[node] = start;
        tries[node] = 1;
        retry[node] = how;
        rank[node] = groupRank;
    }

    /** How many drains are held now. */
    private int count;

    int count() {
        return count;
    }

    /** Whether a held drain is on {@code node}. */
    boolean held(int node) {
        return node < start.length && start[node] >= 0;
    }

    /** Whether the held drain on {@code node} is the one begun at {@code begun}. */
    boolean held(int node, long begun) {
        return held(node) && start[node] == begun;
    }

    long start(int node) {
        return start[node];
    }

    EvictionRetry retry(int node) {
        return retry[node];
    }

    /** The rank order {@code node}'s held drain evicts in, or null. */
    int[] rank(int node) {
        return rank[node];
    }

    /** Counts another try of {@code node}'s drain; returns the number of the try just made (0: the drain's first). */
    int tried(int node) {
        return tries[node]++;
    }

    /** The nodes a held drain is on now, in node order. */
    int[] nodes() {
        int[] out = new int[count];
        int n = 0;
        for (int node = 0; node < start.length; node++) {
            if (start[node] >= 0) {
                out[n++] = node;
            }
        }
        return out;
    }

    /** {@code node}'s drain is over: its pods are gone, or it was given up. */
    void end(int node) {
        if (start[node] >= 0) {
            count--;
        }
        start[node] = -1;
        retry[node] = null;
        rank[node] = null;
    }
}

package io.nodesizer.engine.strategy;

import io.nodesizer.engine.NodeLedger;

/**
 * The open nodes that may still take a pod, for strategies that must look at every candidate
 * (best fit, dot product, scheduler scoring). A node is dropped for good once some resource's
 * free amount is below the smallest demand for it among the pods still to come (suffix minima of
 * the placement order): no later pod can fit it. Keeps node-index order, so scans and tie-breaks
 * see nodes lowest index first.
 */
final class LiveNodes {
    private int[] nodes = new int[64];
    private int size;
    private int dead;

    void add(int node) {
        if (size == nodes.length) {
            nodes = java.util.Arrays.copyOf(nodes, size * 2);
        }
        nodes[size++] = node;
    }

    int size() {
        return size;
    }

    int get(int i) {
        return nodes[i];
    }

    /** Marks position {@code i} dead; call {@link #compact()} after the scan. */
    void kill(int i) {
        nodes[i] = -1 - nodes[i];
        dead++;
    }

    boolean isDead(int i) {
        return nodes[i] < 0;
    }

    /** Removes dead entries, keeping order; cheap when nothing died. */
    void compact() {
        if (dead == 0) {
            return;
        }
        int w = 0;
        for (int i = 0; i < size; i++) {
            if (nodes[i] >= 0) {
                nodes[w++] = nodes[i];
            }
        }
        size = w;
        dead = 0;
    }

    /** True when {@code node} can never take any pod whose demand is at least {@code min} (per active dim). */
    static boolean exhausted(NodeLedger ledger, int node, int[] dims, long[] min, int row) {
        int a = dims.length;
        for (int k = 0; k < a; k++) {
            if (ledger.free(node, dims[k]) < min[row * a + k]) {
                return true;
            }
        }
        return false;
    }
}

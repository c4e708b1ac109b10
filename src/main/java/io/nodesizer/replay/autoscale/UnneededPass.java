package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.replay.Cluster;
import io.nodesizer.replay.WhatIfCapacity;

import java.util.Arrays;
import java.util.BitSet;

/**
 * CA's unneeded-node pass ({@link ClusterAutoscaler}) where only the free amounts decide where a
 * pod may go ({@link Cluster#amountsAlone}): the same first fits as {@link Headroom} makes there,
 * node after node in node order, earlier moves kept, with nothing else to ask. {@link Headroom}
 * serves every rule (zones, repelling pods, co-location, GPU devices, upcoming nodes) and is made
 * anew for each what-if; this pass runs every loop (60,000 times a replay of a week), and without
 * those per-pod checks of rules that cannot apply and that per-loop set-up a replay of 1M events
 * under the default profile ran 6–9 % faster (benchmarks/BENCHMARKS.md, session 20).
 */
final class UnneededPass {
    private static final int D = DemandTable.D;

    private final WhatIfCapacity capacity;
    private final long[] demand;
    /** Check every first fit from a group's remembered start against one from the first node (tests). */
    private final boolean check;
    /** Where a group's first fit may start, as in {@link Headroom} (every group's admission narrows here). */
    private final FitStarts starts = new FitStarts();
    private final java.util.function.IntPredicate closed;
    /** Where the node being emptied sent each of its pods so far. */
    private int[] to = new int[16];

    /**
     * Per node, its pods' request offsets in eviction order as the pass last read them, while the
     * cluster has not changed the node since ({@link #stale}): a candidate is tried loop after
     * loop, and reading its pods (a list through the pods' links, then each one's group) cost more
     * than reading them back.
     */
    private int[][] offsetsOf = new int[0][];
    private int[] countOf = new int[0];
    private final BitSet known = new BitSet();
    private final BitSet stale = new BitSet();

    UnneededPass(Cluster cluster) {
        this.capacity = cluster.whatIf();
        capacity.track(stale);
        this.demand = cluster.demand();
        this.check = cluster.checks();
        this.closed = capacity::closed;
    }

    /** Sets in {@code found} the ready nodes under {@code threshold} whose pods all fit elsewhere, node after node. */
    void run(Cluster cluster, double threshold, int[][] scratch, BitSet found) {
        int node = cluster.nextUnderUtilised(0, threshold);
        if (node < 0) {
            return;
        }
        known.andNot(stale);
        stale.clear();
        if (offsetsOf.length < cluster.nodeCount()) {
            int c = Math.max(cluster.nodeCount(), offsetsOf.length * 2);
            offsetsOf = Arrays.copyOf(offsetsOf, c);
            countOf = Arrays.copyOf(countOf, c);
        }
        starts.forget(); // a new what-if
        capacity.begin(false);
        try {
            for (; node >= 0; node = cluster.nextUnderUtilised(node + 1, threshold)) {
                // Pods of a node found unneeded earlier in this pass are planned onto it: CA keeps the
                // destinations of its removal simulation (removing it too would strand those pods).
                if (capacity.received(node) > 0) {
                    continue;
                }
                if (!known.get(node)) {
                    readOffsets(cluster, node, scratch);
                }
                if (moveAll(node, offsetsOf[node], countOf[node])) {
                    found.set(node);
                }
            }
        } finally {
            capacity.end();
        }
    }

    /** Reads {@code node}'s pods' request offsets, in eviction order, into {@link #offsetsOf}. */
    private void readOffsets(Cluster cluster, int node, int[][] scratch) {
        int n = cluster.podsOn(node) == 0 ? 0 : cluster.podsInEvictionOrder(node, scratch); // the order the scheduler would meet them in
        int[] offsets = offsetsOf[node];
        if (offsets == null || offsets.length < n) {
            offsets = offsetsOf[node] = new int[Math.max(n, 8)];
        }
        for (int j = 0; j < n; j++) {
            offsets[j] = cluster.offset(scratch[0][j]);
        }
        countOf[node] = n;
        known.set(node);
    }

    /** Whether the pods with the first {@code n} request {@code offsets} all fit on other open nodes; if so they stay moved and the node closes. */
    private boolean moveAll(int node, int[] offsets, int n) {
        if (to.length < n) {
            to = new int[Math.max(n, to.length * 2)];
        }
        for (int j = 0; j < n; j++) {
            to[j] = place(offsets[j], node);
            if (to[j] < 0) {
                for (int k = 0; k < j; k++) {
                    starts.forget(); // room comes back: a group's pods may fit before where the last one landed
                    capacity.move(to[k], demand, offsets[k], -1);
                }
                return false;
            }
        }
        capacity.close(node);
        return true;
    }

    /** First fit of a pod with the row at {@code o} on an open node other than {@code except}; takes the room and returns the node, or -1. */
    private int place(int o, int except) {
        int group = o / D;
        int start = starts.start(group, except, closed);
        if (check && start > 0 && search(o, except, 0) != search(o, except, start)) {
            throw new IllegalStateException("first fit of group " + group + " from node " + start + " differs from the one from node 0");
        }
        int node = search(o, except, start);
        starts.landed(group, node, except);
        if (node >= 0) {
            capacity.move(node, demand, o, 1);
        }
        return node;
    }

    /** The first open node at or after {@code from}, other than {@code except}, whose free amounts hold the row at {@code o}, or -1. */
    private int search(int o, int except, int from) {
        int i = capacity.first(from, demand, o);
        return i == except ? capacity.first(i + 1, demand, o) : i;
    }
}

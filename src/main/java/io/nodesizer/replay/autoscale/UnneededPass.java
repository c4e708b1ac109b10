package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.replay.Cluster;
import io.nodesizer.replay.WhatIfCapacity;

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

    UnneededPass(Cluster cluster) {
        this.capacity = cluster.whatIf();
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
        starts.forget(); // a new what-if
        capacity.begin(false);
        try {
            for (; node >= 0; node = cluster.nextUnderUtilised(node + 1, threshold)) {
                // Pods of a node found unneeded earlier in this pass are planned onto it: CA keeps the
                // destinations of its removal simulation (removing it too would strand those pods).
                if (capacity.received(node) > 0) {
                    continue;
                }
                int n = cluster.podsOn(node) == 0 ? 0 : cluster.podsInEvictionOrder(node, scratch); // the order the scheduler would meet them in
                if (moveAll(cluster, node, scratch[0], n)) {
                    found.set(node);
                }
            }
        } finally {
            capacity.end();
        }
    }

    /** Whether the first {@code n} of {@code pods} all fit on other open nodes; if so they stay moved and the node closes. */
    private boolean moveAll(Cluster cluster, int node, int[] pods, int n) {
        if (to.length < n) {
            to = new int[Math.max(n, to.length * 2)];
        }
        for (int j = 0; j < n; j++) {
            to[j] = place(cluster.offset(pods[j]), node);
            if (to[j] < 0) {
                for (int k = 0; k < j; k++) {
                    starts.forget(); // room comes back: a group's pods may fit before where the last one landed
                    capacity.move(to[k], demand, cluster.offset(pods[k]), -1);
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

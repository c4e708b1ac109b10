package io.nodesizer.replay.autoscale;

import io.nodesizer.replay.Cluster;

import java.util.BitSet;

/**
 * CA's unneeded-node pass ({@link ClusterAutoscaler}) where only the free amounts decide where a
 * pod may go ({@link Cluster#amountsAlone}): candidate after candidate, each one's pods moved
 * first fit onto the others ({@link PlainMoves}), earlier moves kept. {@link Headroom} serves every
 * rule (zones, repelling pods, co-location, GPU devices, upcoming nodes) and is made anew for each
 * what-if; this pass runs every loop (60,000 times a replay of a week).
 */
final class UnneededPass {
    private final PlainMoves moves;

    UnneededPass(Cluster cluster, RemovalHints hints) {
        this.moves = new PlainMoves(cluster, hints);
    }

    /**
     * Sets in {@code found} the first {@code count} nodes of {@code candidates} (in that order) whose
     * pods all fit elsewhere, and in {@code failed} those whose pods do not; the nodes in {@code skip}
     * (recently unremovable) are not simulated. Stops once {@code limit} nodes are found (CA's
     * unneeded-nodes limit) and says whether it did so before the last candidate. With {@code budgets} (null when no
     * PodDisruptionBudget covers pods) a node whose covered pods their budgets cannot let go is failed before its pods move.
     */
    boolean run(Cluster cluster, int[] candidates, int count, int limit, int[][] scratch, BitSet skip, BitSet found, BitSet failed,
                RemainingBudgets budgets, SnapshotPods snapshotPods) {
        if (count == 0) {
            return false;
        }
        if (budgets != null) {
            budgets.begin(true);
        }
        int unneeded = 0;
        moves.begin(cluster);
        try {
            for (int i = 0; i < snapshotPods.count(); i++) {
                moves.reserve(snapshotPods.node(i), cluster.offset(snapshotPods.pod(i)));
            }
            for (int i = 0; i < count; i++) {
                if (unneeded >= limit) {
                    return true;
                }
                int node = candidates[i];
                if (skip.get(node)) {
                    continue;
                }
                // Pods of a node found unneeded earlier in this pass are planned onto it: CA keeps the
                // destinations of its removal simulation (removing it too would strand those pods).
                if (moves.received(node) > 0) {
                    continue;
                }
                if (budgets != null && budgets.blocks(node)) {
                    failed.set(node);
                    continue;
                }
                // The count first: extras may replace extraOffsets with a larger array, which the call must then get.
                int extra = extras(cluster, snapshotPods, node);
                if (moves.moveAll(cluster, node, scratch, extraOffsets, extra)) {
                    found.set(node);
                    unneeded++;
                    if (budgets != null) {
                        budgets.take(node);
                    }
                } else {
                    failed.set(node);
                }
            }
            return false;
        } finally {
            moves.end();
        }
    }

    private final int[][] extraPods = {new int[4]};
    private int[] extraOffsets = new int[4];

    /** The request offsets of the snapshot's pods on {@code node} into {@link #extraOffsets}; returns how many. */
    private int extras(Cluster cluster, SnapshotPods snapshotPods, int node) {
        if (snapshotPods.count() == 0) {
            return 0;
        }
        int n = snapshotPods.podsOn(node, extraPods);
        if (extraOffsets.length < n) {
            extraOffsets = new int[n];
        }
        for (int j = 0; j < n; j++) {
            extraOffsets[j] = cluster.offset(extraPods[0][j]);
        }
        return n;
    }
}

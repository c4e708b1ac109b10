package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.replay.Cluster;
import io.nodesizer.replay.WhatIfCapacity;

import java.util.Arrays;
import java.util.BitSet;
import java.util.function.IntPredicate;

/**
 * What-if moves of a node's pods onto the other ready nodes where only the free amounts decide
 * where a pod may go ({@link Cluster#amountsAlone}: every pool takes every group, no pod repels
 * another, no zone or hostname rule, no required co-location, no GPUs): the same first fits in
 * node order as {@link Headroom#moveAllFrom} makes there, without its per-pod checks of rules that
 * cannot apply and its per-what-if set-up. CA's unneeded pass ({@link UnneededPass}) and Karpenter's
 * consolidation tries ({@link Karpenter}) run one what-if per loop or poll; with these moves a
 * replay of 1M events under the default profile ran 6–9 % faster with {@code ca}
 * (benchmarks/BENCHMARKS.md, session 20) and ~9 % with {@code karpenter} at ~280 nodes (session 21).
 */
final class PlainMoves {
    private static final int D = DemandTable.D;

    private final WhatIfCapacity capacity;
    private final long[] demand;
    /** Check every first fit from a group's remembered start against one from the first node (tests). */
    private final boolean check;
    /** Where a group's first fit may start, as in {@link Headroom} (every group's admission narrows here). */
    private final FitStarts starts = new FitStarts();
    private final IntPredicate closed;
    /** Where the node being emptied sent each of its pods so far. */
    private int[] to = new int[16];
    /**
     * Per node, its pods' request offsets in eviction order as last read, while the cluster has not
     * changed the node since ({@link #stale}): a node is tried loop after loop, and reading its pods
     * (a list through the pods' links, then each one's group) cost more than reading them back.
     */
    private int[][] offsetsOf = new int[0][];
    private int[] countOf = new int[0];
    private final BitSet known = new BitSet();
    private final BitSet stale = new BitSet();

    /** CA's removal hints, tried before a search; null where none apply (Karpenter). */
    private final RemovalHints hints;
    /** Per node, its pods in eviction order as last read (beside {@link #offsetsOf}), for the hints. */
    private int[][] podsOf = new int[0][];

    PlainMoves(Cluster cluster, RemovalHints hints) {
        this.hints = hints;
        this.capacity = cluster.whatIf();
        capacity.track(stale);
        this.demand = cluster.demand();
        this.check = cluster.checks();
        this.closed = capacity::closed;
    }

    /** Opens a what-if on the ready nodes; {@link #end} must follow before the cluster changes. */
    void begin(Cluster cluster) {
        known.andNot(stale);
        stale.clear();
        if (offsetsOf.length < cluster.nodeCount()) {
            int c = Math.max(cluster.nodeCount(), offsetsOf.length * 2);
            offsetsOf = Arrays.copyOf(offsetsOf, c);
            podsOf = Arrays.copyOf(podsOf, c);
            countOf = Arrays.copyOf(countOf, c);
        }
        starts.forget(); // a new what-if
        capacity.begin(false);
        open = true;
    }

    /** Gives the cluster's capacity back as it was; idempotent. */
    void end() {
        if (open) {
            open = false;
            capacity.end();
        }
    }

    private boolean open;

    /** Pods this what-if moved onto {@code node}. */
    int received(int node) {
        return capacity.received(node);
    }

    /**
     * Whether all pods of {@code node} fit on the other open nodes, in eviction order, each on its
     * hinted node if that still takes it ({@link RemovalHints}), else first fit in node order; if so
     * they stay moved and the node closes, otherwise nothing changes (but the hints set).
     */
    boolean moveAll(Cluster cluster, int node, int[][] scratch) {
        if (!known.get(node)) {
            readOffsets(cluster, node, scratch);
        }
        int[] offsets = offsetsOf[node];
        int[] pods = podsOf[node];
        int n = countOf[node];
        if (to.length < n) {
            to = new int[Math.max(n, to.length * 2)];
        }
        for (int j = 0; j < n; j++) {
            to[j] = hints == null ? place(offsets[j], node) : placeHinted(pods[j], offsets[j], node);
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

    /** Reads {@code node}'s pods' request offsets, in eviction order, into {@link #offsetsOf}. */
    private void readOffsets(Cluster cluster, int node, int[][] scratch) {
        int n = cluster.podsOn(node) == 0 ? 0 : cluster.podsInEvictionOrder(node, scratch); // the order the scheduler would meet them in
        int[] offsets = offsetsOf[node];
        if (offsets == null || offsets.length < n) {
            offsets = offsetsOf[node] = new int[Math.max(n, 8)];
            podsOf[node] = new int[offsets.length];
        }
        int[] pods = podsOf[node];
        for (int j = 0; j < n; j++) {
            pods[j] = scratch[0][j];
            offsets[j] = cluster.offset(pods[j]);
        }
        countOf[node] = n;
        known.set(node);
    }

    /**
     * {@code pod} (its row at {@code o}) on its hinted node when that is open, other than
     * {@code except}, and holds it, else first fit; takes the room, sets the hint and returns the
     * node, or -1. A hinted move only takes room, so the groups' remembered starts hold.
     */
    private int placeHinted(int pod, int o, int except) {
        int hinted = hints.get(pod);
        int node;
        if (hinted >= 0 && hinted != except && capacity.takeIfHolds(hinted, demand, o)) {
            node = hinted;
        } else {
            node = place(o, except);
        }
        if (node >= 0) {
            hints.set(pod, node);
        }
        return node;
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

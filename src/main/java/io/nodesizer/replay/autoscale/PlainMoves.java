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
    /**
     * Per node, its pods' hints as stored ({@link RemovalHints#entry}) beside {@link #podsOf}: read
     * when the pods are, written with the hints. A pod's hint changes only through these moves, and
     * a pod that starts or stops on a node makes its list stale; the hints by pod number, a pass's
     * ~480 reads at random among millions of pods, were ~3 % of a replay's samples.
     */
    private long[][] hintsOf = new long[0][];

    PlainMoves(Cluster cluster, RemovalHints hints) {
        this.hints = hints;
        this.capacity = cluster.whatIf();
        capacity.track(stale);
        this.demand = cluster.demand();
        this.check = cluster.checks();
        this.closed = this::closed;
    }

    /** Opens a what-if on the ready nodes; {@link #end} must follow before the cluster changes. */
    void begin(Cluster cluster) {
        known.andNot(stale);
        stale.clear();
        if (offsetsOf.length < cluster.nodeCount()) {
            int c = Math.max(cluster.nodeCount(), offsetsOf.length * 2);
            offsetsOf = Arrays.copyOf(offsetsOf, c);
            podsOf = Arrays.copyOf(podsOf, c);
            hintsOf = Arrays.copyOf(hintsOf, c);
            countOf = Arrays.copyOf(countOf, c);
        }
        starts.forget(); // a new what-if
        capacity.begin(false);
        if (++whatIf == 0) { // wrapped: no node may look touched already
            Arrays.fill(touchedIn, 0);
            whatIf = 1;
        }
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
        return touched(node) ? movedOnto[node] : 0;
    }

    /**
     * The what-if's own changes: the moves leave the capacity's index as the cluster made it, so
     * that its end has nothing to put back. Per node the what-if touched (while {@code touchedIn}
     * holds {@link #whatIf}): its free amounts as the moves changed them at node * D (-1 each once
     * closed), and the pods moved onto it. A pass moved ~480 pods onto ~190 nodes a loop, and the
     * index's own what-if logged each node, lowered its leaf and row bits and wrote them all back
     * at the end (~13 % of synthetic1M's samples under the default profile; without them the replay
     * ran ~6 % faster, BENCHMARKS.md session 24); first fit still searches the index, whose answers
     * are then checked here ({@link #first}).
     */
    private long[] free = new long[16 * D];
    private int[] movedOnto = new int[16];
    private int[] touchedIn = new int[16];
    private int whatIf;

    private boolean touched(int node) {
        return node < touchedIn.length && touchedIn[node] == whatIf;
    }

    /** Makes {@code node}'s amounts this what-if's own, as the capacity has them, at its first change. */
    private void touch(int node) {
        if (node >= touchedIn.length) {
            int c = Math.max(node + 1, touchedIn.length * 2);
            touchedIn = Arrays.copyOf(touchedIn, c);
            movedOnto = Arrays.copyOf(movedOnto, c);
            free = Arrays.copyOf(free, c * D);
        }
        if (touchedIn[node] != whatIf) {
            touchedIn[node] = whatIf;
            capacity.copyFree(node, free, node * D);
            movedOnto[node] = 0;
        }
    }

    /** Whether {@code node} as this what-if changed it holds the row at {@code o} (a closed node or one not taking part holds nothing). */
    private boolean holds(int node, int o) {
        if (!touched(node)) {
            return capacity.holds(node, demand, o);
        }
        int b = node * D;
        for (int r = 0; r < D; r++) {
            if (free[b + r] < demand[o + r]) {
                return false;
            }
        }
        return true;
    }

    /** Moves the row at {@code o} onto {@code node} ({@code sign} 1; it holds it) or off it again (-1). */
    private void move(int node, int o, int sign) {
        touch(node);
        int b = node * D;
        for (int r = 0; r < D; r++) {
            free[b + r] -= sign * demand[o + r];
        }
        movedOnto[node] += sign;
    }

    private void close(int node) {
        touch(node);
        Arrays.fill(free, node * D, node * D + D, -1);
    }

    /** Whether {@code node} takes no pod in this what-if (closed, or not taking part). */
    private boolean closed(int node) {
        return touched(node) ? free[node * D] < 0 : capacity.closed(node);
    }

    /**
     * The first node numbered {@code from} or more that holds the row at {@code o} as this what-if
     * changed it, or -1: the index's first fit on the amounts before the moves, as long as what it
     * finds is a node the moves have since filled or closed (they only take room, so a node the
     * index passes over holds no more now).
     */
    private int first(int from, int o) {
        while (true) {
            int node = capacity.first(from, demand, o);
            if (node < 0 || !touched(node) || holds(node, o)) {
                return node;
            }
            from = node + 1;
        }
    }

    /**
     * Whether all pods of {@code node} fit on the other open nodes, in eviction order, each on its
     * hinted node if that still takes it ({@link RemovalHints}), else first fit in node order; if so
     * they stay moved and the node closes, otherwise nothing changes (but the hints set).
     */
    boolean moveAll(Cluster cluster, int node, int[][] scratch) {
        return moveAll(cluster, node, scratch, null, 0);
    }

    /**
     * {@link #moveAll(Cluster, int, int[][])} for a node that also holds the first {@code extra}
     * request offsets of {@code extraOffsets} in this what-if ({@link #reserve}: pods CA's snapshot
     * puts there): they move after its own pods, each first fit, and all stay where they were
     * unless every one finds room.
     */
    boolean moveAll(Cluster cluster, int node, int[][] scratch, int[] extraOffsets, int extra) {
        if (!known.get(node)) {
            readOffsets(cluster, node, scratch);
        }
        int[] offsets = offsetsOf[node];
        int[] pods = podsOf[node];
        long[] podHints = hintsOf[node];
        int n = countOf[node];
        if (to.length < n) {
            to = new int[Math.max(n, to.length * 2)];
        }
        for (int j = 0; j < n; j++) {
            to[j] = hints == null ? place(offsets[j], node) : placeHinted(pods, podHints, j, offsets[j], node);
            if (to[j] < 0) {
                for (int k = 0; k < j; k++) {
                    starts.forget(); // room comes back: a group's pods may fit before where the last one landed
                    move(to[k], offsets[k], -1);
                }
                return false;
            }
        }
        for (int j = 0; j < extra; j++) {
            // Placed by first fit alone: CA's removal hints know the pods of the node, not these copies.
            int at = place(extraOffsets[j], node);
            if (at < 0) {
                starts.forget();
                for (int k = 0; k < j; k++) {
                    move(extraTo[k], extraOffsets[k], -1);
                }
                for (int k = 0; k < n; k++) {
                    move(to[k], offsets[k], -1);
                }
                return false;
            }
            if (extraTo.length <= j) {
                extraTo = Arrays.copyOf(extraTo, Math.max(j + 1, extraTo.length * 2));
            }
            extraTo[j] = at; // a destination of this node's removal, as for its own pods
        }
        close(node);
        return true;
    }

    private int[] extraTo = new int[4];

    /**
     * A pod that CA's snapshot holds on {@code node} though the cluster runs none there (its
     * {@link SnapshotPods}): takes the room (the node holds it) without making the node a
     * destination of the pass.
     */
    void reserve(int node, int o) {
        if (check && !holds(node, o)) {
            throw new IllegalStateException("node " + node + " does not hold the pod CA's snapshot puts there");
        }
        touch(node);
        int b = node * D;
        for (int r = 0; r < D; r++) {
            free[b + r] -= demand[o + r];
        }
    }

    /** Removes {@code node} from this what-if before its pods move (Karpenter's multi-node simulation): it takes no pod. */
    void remove(int node) {
        close(node);
    }

    /** First fit of a pod with the row at {@code o} on an open node; takes the room and returns the node, or -1 (nothing changes). */
    int placeAnywhere(int o) {
        return place(o, -1);
    }

    /** Reads {@code node}'s pods' request offsets, in eviction order, into {@link #offsetsOf}. */
    private void readOffsets(Cluster cluster, int node, int[][] scratch) {
        int n = cluster.podsOn(node) == 0 ? 0 : cluster.podsInEvictionOrder(node, scratch); // the order the scheduler would meet them in
        int[] offsets = offsetsOf[node];
        if (offsets == null || offsets.length < n) {
            offsets = offsetsOf[node] = new int[Math.max(n, 8)];
            podsOf[node] = new int[offsets.length];
            hintsOf[node] = hints == null ? null : new long[offsets.length];
        }
        int[] pods = podsOf[node];
        long[] podHints = hintsOf[node];
        for (int j = 0; j < n; j++) {
            pods[j] = scratch[0][j];
            offsets[j] = cluster.offset(pods[j]);
            if (podHints != null) {
                podHints[j] = hints.entry(pods[j]);
            }
        }
        countOf[node] = n;
        known.set(node);
    }

    /**
     * Pod {@code j} of {@code pods} (its row at {@code o}, its hint at {@code podHints[j]}) on its
     * hinted node when that is open, other than {@code except}, and holds it, else first fit; takes
     * the room, sets the hint and returns the node, or -1. A hinted move only takes room, so the groups' remembered starts hold.
     */
    private int placeHinted(int[] pods, long[] podHints, int j, int o, int except) {
        int hinted = hints.node(podHints[j]);
        int node;
        if (hinted >= 0 && hinted != except && holds(hinted, o)) {
            move(hinted, o, 1);
            node = hinted;
        } else {
            node = place(o, except);
        }
        if (node >= 0) {
            podHints[j] = hints.set(pods[j], node);
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
            move(node, o, 1);
        }
        return node;
    }

    /** The first open node at or after {@code from}, other than {@code except}, whose free amounts hold the row at {@code o}, or -1. */
    private int search(int o, int except, int from) {
        int i = first(from, o);
        return i == except ? first(i + 1, o) : i;
    }
}

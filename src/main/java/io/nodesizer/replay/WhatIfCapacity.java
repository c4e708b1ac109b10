package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;

import java.util.Arrays;
import java.util.BitSet;

/**
 * The free capacity of the ready nodes in node order, on which an autoscaler tries "what if"
 * placements (first fit) and then takes them back. A {@link ReadyIndex} over the nodes in node order
 * ({@link NodePositions}) finds the first node that holds a request in O(log n) instead of a scan of
 * every node, and the cluster keeps
 * it up to date as pods start and stop, so a what-if pass costs what it places, not what the
 * cluster holds: CA's unneeded-node pass runs every scan interval over ~1,000 nodes, and copying
 * their capacity and scanning them from the first for every pod moved was half its time.
 *
 * <p>Between {@link #begin} and {@link #end} the what-if owns the index: changes are logged, the
 * maxima above the changed leaves may stay too high ({@link ReadyIndex#setLoose}), and {@link #end}
 * puts each changed leaf back and settles the maxima. The cluster must not change meanwhile (it
 * checks: see {@link #sync}). Closed nodes hold -1, which no request fits.
 */
public final class WhatIfCapacity {
    private static final int D = DemandTable.D;

    private final Nodes nodes;
    /** The index's positions: the nodes in node order, without most of the removed ones. */
    private final NodePositions positions = new NodePositions();
    private ReadyIndex index = new ReadyIndex();
    /** Removed nodes' positions kept beyond the live nodes' count before {@link #begin} drops them (tests lower it). */
    private int dropAbove = 64;
    /** Pods moved onto each node by the open what-if (all zero outside one). */
    private int[] received = new int[16];
    /**
     * Undo log: per node the open what-if changed, at its first change, the node and its D leaf
     * values before it. A what-if moves ~7 pods onto few nodes and takes failed moves back; a
     * node's later changes need no entry. (Its row bits then are not logged: {@link #end} makes
     * them from the leaf, most often at once as the leaf holds every request.)
     */
    private long[] log = new long[16 * LOG];
    private static final int LOG = D + 1;
    private int logged;
    /** Per node, the what-if ({@link #whatIf}) that logged it last. */
    private int[] loggedIn = new int[16];
    private int whatIf;
    private boolean open;
    /** Nodes changed since the last {@link #begin}. */
    private final BitSet changed = new BitSet();
    /** Sets of their own that callers asked to have the changed nodes added to ({@link #track}). */
    private BitSet[] trackers = new BitSet[0];

    WhatIfCapacity(Nodes nodes) {
        this.nodes = nodes;
        positions.number(nodes.count);
        fill();
    }

    /** Writes every ready node's leaf into the (new, empty) index. */
    private void fill() {
        for (int i = 0; i < nodes.readyCount; i++) {
            int node = nodes.readyList[i];
            index.set(positions.of(node), nodes.free, node * D);
        }
    }

    /**
     * Drops the removed nodes' positions once they outnumber the live nodes (by {@link #dropAbove}),
     * and builds the index again over the positions left; a rebuild per ~1,000 removals.
     */
    private void dropRemoved() {
        if (positions.count() <= 2 * nodes.liveCount + dropAbove) {
            return;
        }
        positions.keepOnly(node -> nodes.state[node] != Cluster.REMOVED);
        index = new ReadyIndex();
        Arrays.fill(rowOf, UNKNOWN_ROW); // rows are the index's: the new one registers them again
        fill();
        changed.clear(); // every leaf was just written from the cluster
    }

    /** Drops removed nodes' positions as soon as there are more than {@code slack} of them beyond the live nodes (tests). */
    void dropAbove(int slack) {
        dropAbove = slack;
    }

    /**
     * The cluster changed {@code node}: its leaf will follow its free capacity while it is ready.
     * Noted here and applied at the next {@link #begin}: a node often changes several times
     * between two what-ifs, and its last state is all they see.
     */
    void sync(int node) {
        if (open) {
            throw new IllegalStateException("node " + node + " changed during a what-if placement");
        }
        changed.set(node);
        for (BitSet t : trackers) {
            t.set(node);
        }
    }

    /**
     * From now on every node the cluster changes (its pods, free capacity or state) is also set in
     * {@code changes}, which the caller clears as it pleases.
     */
    public void track(BitSet changes) {
        trackers = Arrays.copyOf(trackers, trackers.length + 1);
        trackers[trackers.length - 1] = changes;
    }

    /** Writes the leaf of a changed node alone; {@link #begin} settles the maxima above all of them at once. */
    private void apply(int node) {
        int pos = positions.of(node);
        if (pos < 0) {
            return; // removed, its position dropped: it stays out
        }
        if (nodes.state[node] == Cluster.READY) {
            index.setLeaf(pos, nodes.free, node * D);
        } else if (index.leaf(pos, 0) >= 0) {
            index.setLeaf(pos, CLOSED, 0);
        }
    }

    private static final long[] CLOSED = closedRow();

    private static long[] closedRow() {
        long[] row = new long[D];
        Arrays.fill(row, -1);
        return row;
    }

    /**
     * Starts a what-if on the ready nodes, and on the provisioning ones too when {@code upcoming}
     * (they join with their whole capacity, as they will when ready).
     */
    public void begin(boolean upcoming) {
        if (open) {
            throw new IllegalStateException("a what-if placement is already open");
        }
        open = true;
        positions.number(nodes.count); // nodes added since: positions after the others, as their numbers are
        dropRemoved();
        for (int node = changed.nextSetBit(0); node >= 0; node = changed.nextSetBit(node + 1)) {
            apply(node);
        }
        index.settle(); // each tree node above the changed leaves once, before any first fit
        changed.clear();
        if (++whatIf == 0) { // wrapped: no node may look logged already
            Arrays.fill(loggedIn, 0);
            whatIf = 1;
        }
        if (upcoming) {
            // In node order, not live order as before: each node's leaf is its own, so the order
            // does not matter (end() restores each once); a scan of the live nodes for the few
            // provisioning ones was ~1.5 % of a replay's samples.
            BitSet upcomingNodes = nodes.provisioningNodes;
            for (int node = upcomingNodes.nextSetBit(0); node >= 0; node = upcomingNodes.nextSetBit(node + 1)) {
                int pos = positions.of(node);
                logFirst(node, pos);
                index.setLoose(pos, nodes.free, node * D); // joins with its whole capacity: maxima raised as far as it needs
            }
        }
    }

    /**
     * Undoes every change since {@link #begin}: each changed node gets back the leaf its first
     * change logged. A what-if moves many pods onto the same few nodes (and takes failed moves
     * back), and restoring every step in reverse walked the tree once per step; the leaves, and so
     * the maxima and bit sets made from them, end the same either way. Each restored leaf's row
     * bits are written from it ({@link ReadyIndex#resetLeaf}): set at once where the leaf holds
     * the largest request of every resource (most nodes before a what-if fills them), else tested
     * per row. Logging each node's bits at its first change instead (a load per registered row,
     * at every node's first change) cost more than these writes.
     */
    public void end() {
        for (int e = 0; e < logged * LOG; e += LOG) {
            int node = (int) log[e];
            received[node] = 0;
            index.resetLeaf(positions.of(node), log, e + 1);
        }
        index.settle(); // every tree node above a restored leaf once
        logged = 0;
        open = false;
    }

    /**
     * The first node numbered {@code from} or more that holds the request (stride D from
     * {@code offset}) on its free capacity as changed by this what-if, or -1.
     */
    public int first(int from, long[] demand, int offset) {
        int row = rowOf(demand, offset);
        int at = positions.atLeast(from);
        int pos = row >= 0 ? index.nextFitting(row, at, Integer.MAX_VALUE) : index.first(at, Integer.MAX_VALUE, demand, offset);
        return pos < 0 ? -1 : positions.node(pos);
    }

    /**
     * Per demand row ({@code offset / D}) its request's row in the index, -1 when it has none, or
     * {@link #UNKNOWN_ROW} before its first search. When every request of the workload can have a
     * row ({@link ReadyIndex#MAX_ROWS} groups at most) first fit is a scan of the request's bit
     * set and nobody walks the tree, whose maxima are then never kept: a pod moved onto a node
     * writes its leaf alone, leaving the bits of the requests it no longer fits for the scan to
     * clear when it meets them ({@link ReadyIndex#lower}). CA's unneeded pass moves ~5 M pods a
     * replay of synthetic1M, and the first fit down the tree (72 M fit tests) with the maxima
     * raised and settled after the moves was ~20 % of it. With more groups the tree serves them
     * all (bits for some would only add a test per request to every write).
     */
    private int[] rowOf = new int[0];
    private static final int UNKNOWN_ROW = -2;

    private int rowOf(long[] demand, int offset) {
        if (demand.length > ReadyIndex.MAX_ROWS * D) {
            return -1;
        }
        int g = offset / D;
        if (g >= rowOf.length) {
            int old = rowOf.length;
            rowOf = Arrays.copyOf(rowOf, demand.length / D);
            Arrays.fill(rowOf, old, rowOf.length, UNKNOWN_ROW);
        }
        if (rowOf[g] == UNKNOWN_ROW) {
            rowOf[g] = index.row(demand, offset);
        }
        return rowOf[g];
    }

    /** The free amount of resource {@code r} the what-if sees on {@code node} (-1 when it takes no part); for the tests. */
    long leaf(int node, int r) {
        int pos = positions.of(node);
        return pos < 0 ? -1 : index.leaf(pos, r);
    }

    /**
     * Copies the free amounts the open what-if sees on {@code node} into {@code into} from {@code at}
     * (-1 each when it takes no part or is closed): for a caller that keeps its own changes beside them.
     */
    public void copyFree(int node, long[] into, int at) {
        int pos = positions.of(node);
        for (int r = 0; r < D; r++) {
            into[at + r] = pos < 0 ? -1 : index.leaf(pos, r);
        }
    }

    /** Whether the index's row bits are exact (outside a what-if; inside one they may hold stale bits); for the tests. */
    boolean bitsExact() {
        return index.bitsExact();
    }

    /** Whether the index's maxima are exact (outside a what-if) or cover their subtrees (inside one); for the tests. */
    boolean maximaHold() {
        return index.maximaHold(open);
    }

    /**
     * Whether {@code node} takes part, is open and its free capacity as changed by this what-if
     * holds the request (stride D from {@code offset}).
     */
    public boolean holds(int node, long[] demand, int offset) {
        return holdsAt(positions.of(node), demand, offset);
    }

    private boolean holdsAt(int pos, long[] demand, int offset) {
        if (pos < 0) {
            return false;
        }
        for (int r = 0; r < D; r++) {
            if (index.leaf(pos, r) < demand[offset + r]) {
                return false; // a closed node or one not taking part holds -1
            }
        }
        return true;
    }

    /** Moves the request onto {@code node} at {@code pos}: it takes room there (the node held it). */
    private void takeAt(int node, int pos, long[] demand, int offset) {
        logFirst(node, pos);
        index.take(pos, demand, offset);
        received[node]++;
    }

    /** Whether {@code node} takes no request in this what-if (closed, or not taking part). */
    public boolean closed(int node) {
        return leaf(node, 0) < 0;
    }

    /** Pods this what-if moved onto {@code node}. */
    public int received(int node) {
        return node < received.length ? received[node] : 0;
    }

    /**
     * A pod with the request at {@code offset} moves onto {@code node} ({@code sign} 1; the node
     * holds it) or off it again (-1: only a move in of this what-if is taken back, so no leaf rises
     * above where it began, which {@link ReadyIndex#untake} relies on).
     */
    public void move(int node, long[] demand, int offset, int sign) {
        int pos = positions.of(node);
        if (sign > 0) {
            takeAt(node, pos, demand, offset);
            return;
        }
        logFirst(node, pos);
        index.untake(pos, demand, offset); // one moving out gives it back; maxima may stay too high until end(): first fit allows it
        received[node]--;
    }

    /**
     * As {@link #move}, for a pod that the autoscaler's snapshot holds on {@code node} without a
     * simulated removal having put it there: not counted in {@link #received}.
     */
    public void reserve(int node, long[] demand, int offset, int sign) {
        move(node, demand, offset, sign);
        received[node] -= sign;
    }

    /** No more pods go to {@code node}. */
    public void close(int node) {
        int pos = positions.of(node);
        logFirst(node, pos);
        index.lower(pos, CLOSED, 0); // row bits may stay set where the node no longer fits: first fit checks
    }

    /** Logs the leaf at {@code pos} of {@code node} if this is the node's first change in this what-if: what end() puts back. */
    private void logFirst(int node, int pos) {
        if (node >= loggedIn.length) {
            loggedIn = Arrays.copyOf(loggedIn, Math.max(node + 1, loggedIn.length * 2));
            received = Arrays.copyOf(received, loggedIn.length);
        }
        if (loggedIn[node] != whatIf) {
            // The node's first change in this what-if: what end() puts back.
            loggedIn[node] = whatIf;
            if ((logged + 1) * LOG > log.length) {
                log = Arrays.copyOf(log, log.length * 2);
            }
            int e = logged++ * LOG;
            log[e] = node;
            for (int r = 0; r < D; r++) {
                log[e + 1 + r] = index.leaf(pos, r);
            }
        }
    }
}

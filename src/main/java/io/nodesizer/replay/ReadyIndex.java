package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;

import java.util.Arrays;

/**
 * A max segment tree over the positions of the ready-node list: per subtree, the largest free
 * amount of each resource. It finds the next position at or after a given one whose node fits a
 * request, skipping whole stretches of full nodes in O(log n), so the scheduler visits the same
 * feasible nodes in the same round-robin order as a linear scan would, without touching the
 * infeasible ones. Empty positions hold -1, which no request fits.
 */
final class ReadyIndex {
    private static final int D = DemandTable.D;

    private int capacity;
    /**
     * Per tree node i, the largest free amount of each resource r in its subtree at i * D + r;
     * leaves at capacity + position. The resources of a node side by side: a test or an update
     * of one tree node reads one cache line, not one per resource.
     */
    private long[] max = new long[0];
    /**
     * Requests registered by {@link #row}: their demand (stride D), and per request a bit set over
     * the positions whose node fits it, kept as the leaves change. Finding the next feasible node
     * is then a scan of words, not a walk of the tree; each leaf change costs a test per request,
     * so only the first {@link #MAX_ROWS} requests get one.
     */
    private long[] rowDemand = new long[0];
    /**
     * Per row, what the scheduler's scores count of its request beyond the demand (stride D; {@link #row(long[], int,
     * long[])}): two requests of one demand whose scores differ (a container without a request) get a row each, as the
     * score cache, bounds and planes keyed by the row need. 0 for a request registered without it.
     */
    private long[] rowScoring = new long[0];
    /** Per resource the largest demand of a registered request: a leaf with at least this much of each fits them all. */
    private final long[] rowDemandMax = new long[D];
    private long[][] rowBits = new long[0][];
    private int rows;
    static final int MAX_ROWS = 32;
    /**
     * Whether the maxima above the leaves are kept: only from the first {@link #first} on. While
     * every request has a row nobody walks the tree, and an update is then a leaf and its bits.
     */
    private boolean walked;
    /** A leaf's values on their way in ({@link #take}, {@link #untake} in the tree's mode). */
    private final long[] scratch = new long[D];
    /**
     * Per position, the rows whose bit a what-if cleared ({@link #nextFitting} as stale, a close) or
     * made clear (a row registered while leaves were lowered): the only bits a leaf raised back by
     * {@link #untake} can be missing, as every other one is as it was for a leaf at least as large.
     * Rows are at most 32 ({@link #MAX_ROWS}).
     */
    private int[] clearedRows = new int[16];
    /**
     * Per position, the rows whose bit is set (bit k for row k), as {@link #rowBits} holds them:
     * a leaf's write flips only the bits that change, where writing every row's (one word of each of
     * up to 32 arrays) was most of what a write cost. Most leaf changes are of nodes far from full,
     * whose bits are all set and stay so. Kept wherever a row bit changes.
     */
    private int[] rowsSet = new int[16];

    ReadyIndex() {
        grow(16);
    }

    private void grow(int minCapacity) {
        int c = Math.max(16, Integer.highestOneBit(Math.max(1, minCapacity - 1)) << 1);
        long[] old = max;
        int oldCap = capacity;
        capacity = c;
        max = new long[2 * c * D];
        Arrays.fill(max, -1);
        System.arraycopy(old, oldCap * D, max, c * D, oldCap * D);
        for (int i = c - 1; i >= 1; i--) {
            pull(i);
        }
        for (int k = 0; k < rows; k++) {
            rowBits[k] = Arrays.copyOf(rowBits[k], (c + 63) >> 6);
        }
        loose = new long[(c + 63) >> 6]; // every tree node was just pulled from its children: exact
        anyLoose = false;
        clearedRows = Arrays.copyOf(clearedRows, c);
        rowsSet = Arrays.copyOf(rowsSet, c);
    }

    /** Recomputes tree node i from its children; returns whether it changed. */
    private boolean pull(int i) {
        int p = i * D;
        int left = 2 * p;
        boolean changed = false;
        for (int r = 0; r < D; r++) {
            long m = Math.max(max[left + r], max[left + D + r]);
            if (max[p + r] != m) {
                max[p + r] = m;
                changed = true;
            }
        }
        return changed;
    }

    /** Position {@code pos} now holds a node with this free capacity (stride D from {@code offset}). */
    void set(int pos, long[] free, int offset) {
        int i = leafAt(pos);
        if (!writeLeaf(i, pos, free, offset)) {
            return;
        }
        // Up to the first tree node whose maxima stay the same: the ones above it do too.
        boolean changed = true;
        for (i >>= 1; walked && changed && i >= 1; i >>= 1) {
            changed = pull(i);
        }
    }

    /**
     * Internal tree nodes whose maxima may be too high (bit t for tree node t): written by
     * {@link #setLoose} and {@link #setLeaf}, made exact again by {@link #settle}. Empty when no
     * loose write is pending; the tree is then exact.
     */
    private long[] loose = new long[1];
    private boolean anyLoose;

    /**
     * As {@link #set}, but the maxima above the leaf may stay too high until {@link #settle}: a
     * lower leaf leaves them as they are, a higher one raises them only as far as it needs.
     * {@link #first} is still exact, since it returns only leaves that fit and a subtree whose
     * maxima are too high costs at most a descent that finds nothing. A what-if mostly lowers the
     * leaves of the nodes it fills, and pulling the maxima down after every pod it places was
     * most of what a placement cost; it settles once at its end.
     */
    void setLoose(int pos, long[] free, int offset) {
        int i = leafAt(pos);
        if (!writeLeaf(i, pos, free, offset) || !walked) {
            return;
        }
        markLoose(i);
        int b = i * D;
        for (int t = i >> 1; t >= 1; t >>= 1) {
            // Raise tree node t to cover the leaf; its ancestors already cover t, so stop where it did.
            int p = t * D;
            boolean raised = false;
            for (int r = 0; r < D; r++) {
                if (max[p + r] < max[b + r]) {
                    max[p + r] = max[b + r];
                    raised = true;
                }
            }
            if (!raised) {
                break;
            }
        }
    }

    /**
     * As {@link #setLoose}, for a leaf that gets no more of any resource than it has: its row bits
     * stay as they are while nobody walks the tree. A bit set where the node no longer fits is
     * then only stale, and {@link #nextFitting} clears it when it meets it; every position that
     * fits still has its bit. A what-if fills the nodes it moves pods onto and searches for each
     * pod only from where its group last landed, so it meets few stale bits, where testing every
     * row at every move was most of what a move cost.
     */
    void lower(int pos, long[] free, int offset) {
        if (walked) {
            setLoose(pos, free, offset);
            return;
        }
        int b = leafAt(pos) * D;
        boolean closed = true;
        for (int r = 0; r < D; r++) {
            max[b + r] = free[offset + r];
            closed &= free[offset + r] < 0;
        }
        if (closed) {
            // Fits no request: its bits go at once, no test needed (a removal's node is met by every search before it).
            clearedRows[pos] = -1;
            for (int m = rowsSet[pos]; m != 0; m &= m - 1) {
                rowBits[Integer.numberOfTrailingZeros(m)][pos >> 6] &= ~(1L << pos);
            }
            rowsSet[pos] = 0;
        }
    }

    /**
     * As {@link #lower} with the leaf less the request (stride D from {@code offset}), for a leaf
     * that holds it: written in place, it stays open (no bit goes at once).
     */
    void take(int pos, long[] demand, int offset) {
        int b = leafAt(pos) * D;
        if (walked) {
            long[] less = scratch;
            for (int r = 0; r < D; r++) {
                less[r] = max[b + r] - demand[offset + r];
            }
            setLoose(pos, less, 0);
            return;
        }
        for (int r = 0; r < D; r++) {
            max[b + r] -= demand[offset + r];
        }
    }

    /**
     * The first position in [{@code from}, {@code to}) whose node fits the request of {@code row},
     * or -1, when its bits may be stale ({@link #lower}): each set bit met is checked against its
     * leaf and cleared when the node does not fit.
     */
    int nextFitting(int row, int from, int to) {
        to = Math.min(to, capacity);
        long[] bits = rowBits[row];
        for (int pos = nextSet(bits, from, to); pos >= 0; pos = nextSet(bits, pos + 1, to)) {
            if (shortfall((capacity + pos) * D, row) >= 0) {
                return pos;
            }
            bits[pos >> 6] &= ~(1L << pos); // lowered since its bit was set
            rowsSet[pos] &= ~(1 << row);
            clearedRows[pos] |= 1 << row;
        }
        return -1;
    }

    /**
     * Gives the request (stride D from {@code offset}) back to position {@code pos}'s leaf, undoing
     * a {@link #take}: while nobody walks the tree, the leaf in place and the bits of the rows a
     * what-if cleared there set again where they fit; every other bit is still right. A consolidation
     * try that fails takes back ~14 moves, and writing every row's bit at each was a fifth of a
     * Karpenter replay.
     */
    void untake(int pos, long[] demand, int offset) {
        int b = leafAt(pos) * D;
        if (walked) {
            long[] more = scratch;
            for (int r = 0; r < D; r++) {
                more[r] = max[b + r] + demand[offset + r];
            }
            setLoose(pos, more, 0);
            return;
        }
        for (int r = 0; r < D; r++) {
            max[b + r] += demand[offset + r];
        }
        int cleared = clearedRows[pos] & (rows == 32 ? -1 : (1 << rows) - 1); // a close marks every row, registered or not
        for (int m = cleared; m != 0; m &= m - 1) {
            int k = Integer.numberOfTrailingZeros(m);
            if (fitsRow(b, k)) {
                rowBits[k][pos >> 6] |= 1L << pos;
                rowsSet[pos] |= 1 << k;
                cleared &= ~(1 << k);
            }
        }
        clearedRows[pos] = cleared;
    }

    /**
     * Writes the leaf alone: the maxima above it are wrong (too high or too low) until
     * {@link #settle}, which must come before the next {@link #first}. For undoing many leaves at
     * once, which then settles each tree node above them once rather than once per leaf.
     */
    void setLeaf(int pos, long[] free, int offset) {
        int i = leafAt(pos);
        if (writeLeaf(i, pos, free, offset) && walked) {
            markLoose(i);
        }
    }

    /** Makes the maxima exact again after {@link #setLoose} and {@link #setLeaf}: each marked tree node once, children before parents. */
    void settle() {
        if (!anyLoose) {
            return;
        }
        anyLoose = false;
        for (int w = loose.length - 1; w >= 0; w--) {
            for (long bits = loose[w]; bits != 0; ) {
                int hi = 63 - Long.numberOfLeadingZeros(bits);
                bits &= ~(1L << hi);
                pull((w << 6) + hi); // children have higher numbers: pulled already, or never marked and exact
            }
            loose[w] = 0;
        }
    }

    /** Marks the tree nodes above leaf i as loose, up to the first one marked already (those above it are too). */
    private void markLoose(int i) {
        anyLoose = true;
        for (int t = i >> 1; t >= 1 && (loose[t >> 6] & (1L << t)) == 0; t >>= 1) {
            loose[t >> 6] |= 1L << t;
        }
    }

    /** The tree index of position {@code pos}'s leaf, growing the tree to hold it. */
    private int leafAt(int pos) {
        if (pos >= capacity) {
            grow(pos + 1);
        }
        return capacity + pos;
    }

    /** Writes leaf i (position {@code pos}) and the row bits of its position; whether it changed. */
    private boolean writeLeaf(int i, int pos, long[] free, int offset) {
        int b = i * D;
        if (!copyLeaf(b, free, offset)) {
            return false;
        }
        writeBits(b, pos);
        return true;
    }

    /** Copies {@code values} (stride D from {@code offset}) into the leaf at tree index b / D; whether any value changed. */
    private boolean copyLeaf(int b, long[] values, int offset) {
        boolean changed = false;
        for (int r = 0; r < D; r++) {
            if (max[b + r] != values[offset + r]) {
                max[b + r] = values[offset + r];
                changed = true;
            }
        }
        return changed;
    }

    /** Every row bit of position {@code pos} from its leaf (tree index b / D). */
    private void writeBits(int b, int pos) {
        // The rows the leaf fits: all of them but those asking more of a resource than it has. A
        // resource with room for the largest request rules none out, and most leaves have room in
        // all (LeastAllocated spreads): no test per row then.
        int fit = rows == 32 ? -1 : (1 << rows) - 1;
        for (int r = 0; r < D; r++) {
            long free = max[b + r];
            if (free < rowDemandMax[r]) {
                for (int k = 0, d = r; k < rows; k++, d += D) {
                    // Without a branch: whether the node fits comes at random as leaves change.
                    fit &= ~((int) ((free - rowDemand[d]) >>> 63) << k);
                }
            }
        }
        int flip = fit ^ rowsSet[pos];
        if (flip == 0) {
            return;
        }
        rowsSet[pos] = fit;
        long bit = 1L << pos;
        int w = pos >> 6;
        for (; flip != 0; flip &= flip - 1) {
            // Written from fit, not toggled: were rowsSet ever to miss a bit, a toggle would hide a node that fits.
            int k = Integer.numberOfTrailingZeros(flip);
            rowBits[k][w] = rowBits[k][w] & ~bit | -(fit >>> k & 1) & bit;
        }
    }

    /** Puts the leaf back to {@code values} and writes every row bit from it, even when the leaf is unchanged (a bit cleared as stale must come back). */
    void resetLeaf(int pos, long[] values, int offset) {
        int i = leafAt(pos);
        int b = i * D;
        clearedRows[pos] = 0; // every bit written below
        if (copyLeaf(b, values, offset) && walked) {
            markLoose(i);
        }
        writeBits(b, pos);
    }

    /** Whether the node at tree index b / D fits registered request {@code k}. */
    private boolean fitsRow(int b, int k) {
        return shortfall(b, k) >= 0;
    }

    /** Negative when the node at tree index b / D is short of registered request {@code k} on some resource. */
    private long shortfall(int b, int k) {
        // No branch per resource: max - demand is negative for a resource short of the request,
        // and the OR of the differences is negative when any is (amounts stay far below 2^62).
        int d = k * D;
        long shortfall = 0;
        for (int r = 0; r < D; r++) {
            shortfall |= max[b + r] - rowDemand[d + r];
        }
        return shortfall;
    }

    /**
     * The row of this request (stride D from {@code offset}) for {@link #nextFit}: registered on
     * first use, its bits made from the leaves; -1 when {@link #MAX_ROWS} requests have rows.
     */
    int row(long[] demand, int offset) {
        return row(demand, offset, null);
    }

    /**
     * As {@link #row(long[], int)}, for a request whose scores also count {@code scoring} at the same offsets (null: none):
     * requests of one demand share a row only when that is the same too.
     */
    int row(long[] demand, int offset, long[] scoring) {
        for (int k = 0; k < rows; k++) {
            if (Arrays.equals(rowDemand, k * D, k * D + D, demand, offset, offset + D)
                    && (scoring == null || Arrays.equals(rowScoring, k * D, k * D + D, scoring, offset, offset + D))) {
                return k;
            }
        }
        if (rows == MAX_ROWS) {
            return -1;
        }
        int k = rows++;
        rowDemand = Arrays.copyOf(rowDemand, rows * D);
        System.arraycopy(demand, offset, rowDemand, k * D, D);
        rowScoring = Arrays.copyOf(rowScoring, rows * D);
        if (scoring != null) {
            System.arraycopy(scoring, offset, rowScoring, k * D, D);
        }
        for (int r = 0; r < D; r++) {
            rowDemandMax[r] = Math.max(rowDemandMax[r], demand[offset + r]);
        }
        rowBits = Arrays.copyOf(rowBits, rows);
        rowBits[k] = new long[(capacity + 63) >> 6];
        for (int pos = 0; pos < capacity; pos++) {
            if (fitsRow((capacity + pos) * D, k)) {
                rowBits[k][pos >> 6] |= 1L << pos;
                rowsSet[pos] |= 1 << k;
            } else {
                clearedRows[pos] |= 1 << k; // perhaps made from a lowered leaf that a pod given back raises (untake)
            }
        }
        return k;
    }

    /** The bit set of {@code row}: bit p of word p / 64 says whether position p fits its request. Not to be changed. */
    long[] bits(int row) {
        return rowBits[row];
    }

    /**
     * The first position in [{@code from}, {@code to}) whose node fits the request of {@code row},
     * or -1; as {@link #first}. The scheduler scans {@link #bits} in place; this is the same search
     * one position at a time, by which the tests hold the bit sets to the tree.
     */
    int nextFit(int row, int from, int to) {
        return nextSet(rowBits[row], from, Math.min(to, capacity));
    }

    /** The first set bit of {@code bits} in [{@code from}, {@code to}), or -1. */
    private static int nextSet(long[] bits, int from, int to) {
        if (from >= to) {
            return -1;
        }
        int w = from >> 6;
        long word = bits[w] & (-1L << from);
        while (word == 0) {
            if (++w << 6 >= to) {
                return -1;
            }
            word = bits[w];
        }
        int pos = (w << 6) + Long.numberOfTrailingZeros(word);
        return pos < to ? pos : -1;
    }

    /**
     * Whether every tree node above the leaves holds exactly the maxima of its children (tests);
     * with {@code orAbove}, at least them (what {@link #setLoose} keeps). True before the first
     * {@link #first}, when nobody reads them.
     */
    boolean maximaHold(boolean orAbove) {
        for (int t = capacity - 1; walked && t >= 1; t--) {
            for (int r = 0; r < D; r++) {
                long m = Math.max(max[2 * t * D + r], max[(2 * t + 1) * D + r]);
                if (orAbove ? max[t * D + r] < m : max[t * D + r] != m) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether every registered row's bit at every position says exactly whether its leaf fits the request, and {@link #rowsSet} holds the bits (tests). */
    boolean bitsExact() {
        for (int k = 0; k < rows; k++) {
            for (int pos = 0; pos < capacity; pos++) {
                boolean set = (rowBits[k][pos >> 6] >>> pos & 1) != 0;
                if (set != fitsRow((capacity + pos) * D, k) || set != ((rowsSet[pos] >>> k & 1) != 0)) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether {@link #rowsSet} holds exactly the row bits set at every position, stale ones included (tests; true inside a what-if too). */
    boolean rowsSetHolds() {
        for (int pos = 0; pos < capacity; pos++) {
            int set = 0;
            for (int k = 0; k < rows; k++) {
                set |= (int) (rowBits[k][pos >> 6] >>> pos & 1) << k;
            }
            if (set != rowsSet[pos]) {
                return false;
            }
        }
        return true;
    }

    /** The free amount of resource {@code r} recorded for position {@code pos} (for verification). */
    long leaf(int pos, int r) {
        return pos < capacity ? max[(capacity + pos) * D + r] : -1;
    }

    /** Position {@code pos} is empty. */
    void clear(int pos) {
        if (pos < capacity) {
            set(pos, EMPTY, 0);
        }
    }

    private static final long[] EMPTY = filled(-1);

    private static long[] filled(long v) {
        long[] a = new long[D];
        Arrays.fill(a, v);
        return a;
    }

    /**
     * The first position in [{@code from}, {@code to}) whose node fits the request (stride D from
     * {@code offset}), or -1.
     */
    int first(int from, int to, long[] demand, int offset) {
        if (from >= to || from >= capacity) {
            return -1;
        }
        if (!walked) {
            walked = true;
            for (int t = capacity - 1; t >= 1; t--) {
                pull(t);
            }
        }
        int i = capacity + from;
        if (fits(i, demand, offset)) {
            return from;
        }
        // Walk right from the leaf: climb to the nearest right sibling whose maxima fit, then
        // descend into it. The maxima of a subtree are per resource and may come from different
        // leaves, so a descent can dead-end; the climb then continues from there. The cost is
        // O(log distance) per call, and O(1) when the next node fits.
        while (true) {
            while (i > 1 && ((i & 1) == 1 || !fits(i + 1, demand, offset))) {
                i >>= 1;
            }
            if (i <= 1) {
                return -1;
            }
            i++;
            while (i < capacity) {
                if (fits(2 * i, demand, offset)) {
                    i = 2 * i;
                } else if (fits(2 * i + 1, demand, offset)) {
                    i = 2 * i + 1;
                } else {
                    break;
                }
            }
            if (i >= capacity) {
                int pos = i - capacity;
                return pos < to ? pos : -1;
            }
        }
    }

    private boolean fits(int node, long[] demand, int offset) {
        int b = node * D;
        for (int r = 0; r < D; r++) {
            if (max[b + r] < demand[offset + r]) {
                return false;
            }
        }
        return true;
    }
}

package io.nodesizer.engine.strategy;

/**
 * Per node of a heap-ordered segment tree, the staircase of its leaves' free (CPU, memory)
 * points: the Pareto front, C strictly descending and M strictly ascending. A subtree holds a node
 * with at least c free CPU and m free memory exactly when some point of its staircase has both,
 * so a descent guided by staircases does not enter subtrees whose CPU-rich and memory-rich nodes
 * only jointly "cover" a pod (per-resource maxima do; that backtracking was most of FFD's time on
 * distinct pods).
 *
 * <p>A staircase keeps at most {@link #MOST} points. A longer one is coarsened by replacing runs of
 * neighbouring points with their join (the largest C and the largest M of the run), which covers
 * every point it replaces: the test then may pass where no node fits (the descent backtracks, as
 * with maxima) but never fails where one does. Measured fronts of live nodes stay near 20 points
 * on 150,000 distinct pods, so the coarsening is for adversarial inputs.
 */
final class Staircases {
    static final int MOST = 32;

    private final int leaves;
    private final int leafDepth;
    /** Per depth, where the points of its first tree node start, and how many points a tree node there holds. */
    private final int[] base;
    private final int[] room;
    /** Points as (CPU, memory) pairs side by side: a staircase is one run of memory, not two. */
    private final long[] points;
    /** Points in each tree node's staircase (0: no live leaf below). */
    private final int[] size;
    private final long[] spare = new long[4 * MOST];

    /** @param leaves a power of two */
    Staircases(int leaves) {
        this.leaves = leaves;
        this.leafDepth = Integer.numberOfTrailingZeros(leaves);
        this.base = new int[leafDepth + 1];
        this.room = new int[leafDepth + 1];
        int total = 0;
        for (int d = 0; d <= leafDepth; d++) {
            base[d] = total;
            room[d] = Math.min(leaves >> d, MOST); // a subtree has at most one point per leaf
            total += (1 << d) * room[d];
        }
        this.points = new long[2 * total];
        this.size = new int[2 * leaves];
    }

    /** Index in {@link #points} of tree node v's first CPU amount. */
    private int start(int v) {
        int d = 31 - Integer.numberOfLeadingZeros(v);
        return 2 * (base[d] + (v - (1 << d)) * room[d]);
    }

    /** Sets leaf {@code v} (tree index, leaves + node) to one point. */
    void setLeaf(int v, long c, long m) {
        int at = 2 * (base[leafDepth] + v - leaves);
        points[at] = c;
        points[at + 1] = m;
        size[v] = 1;
    }

    /** Empties leaf {@code v}: a node no pod can use covers nothing. */
    void clearLeaf(int v) {
        size[v] = 0;
    }

    /** Whether tree node v's staircase has no point (a cleared leaf, or a subtree without live nodes). */
    boolean empty(int v) {
        return size[v] == 0;
    }

    /** Copies leaf {@code v} of {@code from} (a tree with fewer leaves) into leaf {@code w} here. */
    void copyLeaf(Staircases from, int v, int w) {
        if (from.size[v] == 0) {
            size[w] = 0;
        } else {
            int at = 2 * (from.base[from.leafDepth] + v - from.leaves);
            setLeaf(w, from.points[at], from.points[at + 1]);
        }
    }

    /** {@code v}'s points as (CPU, memory) pairs, C descending: a copy, for tests. */
    long[] points(int v) {
        return java.util.Arrays.copyOfRange(points, start(v), start(v) + 2 * size[v]);
    }

    /** Whether some point of {@code v}'s staircase has at least {@code c} CPU and {@code m} memory. */
    boolean covers(int v, long c, long m) {
        int at = start(v);
        // C descends and M ascends, so among the points with enough CPU the last has the most
        // memory: find it by halving (a walk until one had enough memory read 9 points per
        // search at the root, where nine searches in ten fail, on 150,000 distinct pods), with
        // a conditional move rather than a branch the CPU cannot predict.
        int len = size[v];
        while (len > 1) {
            int half = len >>> 1;
            at = points[at + 2 * half] >= c ? at + 2 * half : at;
            len -= half;
        }
        return size[v] > 0 && points[at] >= c && points[at + 1] >= m;
    }

    /**
     * Adds the point (c, m) to {@code v}'s staircase: what {@link #combine} gives once a leaf below
     * that had no point has this one, without reading the children (a node entering the tree: ~40 %
     * of the merges on 150,000 distinct pods). Points it dominates leave, and it is dropped when
     * some point covers it. Returns 1 if the staircase changed, 0 if not (then no ancestor's does
     * either: each covers its children's points), and -1 without change when the result would
     * pass the cap: then the caller merges the children. On a coarsened staircase the result
     * may differ from a merge, but it covers the same leaves, which is all a search relies on.
     */
    int insert(int v, long c, long m) {
        int at = start(v);
        int len = size[v];
        // The first point with C <= c; those before have more CPU, and the last of them the most memory.
        int lo = 0;
        int hi = len;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (points[at + 2 * mid] > c) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        int i = lo;
        if (i > 0 && points[at + 2 * i - 1] >= m || i < len && points[at + 2 * i] == c && points[at + 2 * i + 1] >= m) {
            return 0; // covered by a point with more CPU, or by one with as much CPU and as much memory
        }
        // From i on C is at most c, so the points with at most m memory are dominated: a prefix, as M ascends.
        int j = i;
        while (j < len && points[at + 2 * j + 1] <= m) {
            j++;
        }
        int n = i + 1 + len - j;
        int d = 31 - Integer.numberOfLeadingZeros(v);
        if (n > room[d]) {
            return -1;
        }
        System.arraycopy(points, at + 2 * j, points, at + 2 * i + 2, 2 * (len - j));
        points[at + 2 * i] = c;
        points[at + 2 * i + 1] = m;
        size[v] = n;
        return 1;
    }

    /** Recomputes {@code v}'s staircase from its children's; returns whether it changed. */
    boolean combine(int v) {
        int l = 2 * v;
        int d = 31 - Integer.numberOfLeadingZeros(v);
        int most = room[d];
        int at = 2 * (base[d] + (v - (1 << d)) * most);
        int childRoom = room[d + 1];
        int i = 2 * (base[d + 1] + (l - (2 << d)) * childRoom); // the children sit side by side
        int j = i + 2 * childRoom;
        int sizeL = size[l];
        int sizeR = size[l + 1];
        int iEnd = i + 2 * sizeL;
        int jEnd = j + 2 * sizeR;
        // Below the cap both children fit in v's room, so the merge writes in place and notes
        // whether anything differs; above it, it goes through the spare and may be coarsened.
        boolean direct = sizeL + sizeR <= most;
        long[] out = direct ? points : spare;
        int o = direct ? at : 0;
        int first = o;
        boolean changed = false;
        long best = -1;
        long[] p = points;
        // Merge by C descending; a point is on the front when its M beats every point of larger C.
        while (i < iEnd && j < jEnd) {
            long ci = p[i];
            long cj = p[j];
            long mi = p[i + 1];
            long mj = p[j + 1];
            long c;
            long m;
            if (ci > cj || ci == cj && mi >= mj) {
                c = ci;
                m = mi;
                i += 2;
            } else {
                c = cj;
                m = mj;
                j += 2;
            }
            if (m > best) {
                changed |= out[o] != c || out[o + 1] != m;
                out[o] = c;
                out[o + 1] = m;
                o += 2;
                best = m;
            }
        }
        // The rest of one front: its M ascend, so once one beats the merged front's, all the rest do.
        int k = i < iEnd ? i : j;
        int kEnd = i < iEnd ? iEnd : jEnd;
        while (k < kEnd && p[k + 1] <= best) {
            k += 2;
        }
        for (; k < kEnd; k++, o++) {
            changed |= out[o] != p[k];
            out[o] = p[k];
        }
        int n = (o - first) >> 1;
        if (!direct) {
            if (n > most) {
                n = coarsen(n, most);
            }
            changed = false; // what the merge compared was the spare's old content
            for (int q = 0; q < 2 * n && !changed; q++) {
                changed = spare[q] != points[at + q];
            }
            if (changed || n != size[v]) {
                System.arraycopy(spare, 0, points, at, 2 * n);
            }
        }
        changed |= n != size[v];
        size[v] = n;
        return changed;
    }

    /** Joins runs of neighbouring points of the spare front so at most {@code most} remain; returns how many. */
    private int coarsen(int n, int most) {
        int run = (n + most - 1) / most;
        int out = 0;
        for (int k = 0; k < n; k += run) {
            int last = Math.min(n, k + run) - 1;
            spare[2 * out] = spare[2 * k]; // the run's largest C (C descends)
            spare[2 * out + 1] = spare[2 * last + 1]; // and its largest M (M ascends)
            out++;
        }
        return out;
    }
}

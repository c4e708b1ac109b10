package io.nodesizer.engine.strategy;

import io.nodesizer.engine.NodeLedger;

/**
 * Finds the lowest-indexed node that fits a pod. A segment tree over node indices holds, per
 * subtree, the {@link Staircases staircase} of free (CPU, memory) (when both are active and the
 * caller asks for it) and the largest free amount of each other active resource:
 * {@link #findFirst} descends only into subtrees that pass both tests. The staircase test is exact for CPU and memory together, so
 * a subtree whose CPU-rich and memory-rich nodes only jointly "cover" a pod is skipped (with
 * maxima alone the descent entered such subtrees and backtracked: 1,190 tree nodes a pod on
 * 150,000 distinct pods; eight memory-to-CPU ratio projections, the previous fix, still left 64).
 * All tests are necessary conditions and a leaf is confirmed, so the leftmost fitting node is
 * always found.
 *
 * <p>The newest nodes (the highest indices seen) stay out of the tree and are checked directly after
 * it: first fit decreasing puts nine pods in ten on the newest (150,000 distinct pods), so most
 * searches end at the root, whose staircase shows that no older node fits, and most updates cost
 * nothing. A node joins the tree when newer ones push it out of the window. An update walks up
 * only while a subtree's summary changes: free amounts only shrink, and a node that was not on its
 * parent's front leaves it as it was.
 *
 * <p>When the ledger tracks GPU devices, each subtree also keeps the largest free amount on one
 * device and the most empty devices of its nodes. A share fits a node exactly when one device has
 * room for it, and n whole GPUs exactly when n devices are empty, so these two maxima prune the
 * nodes whose pooled free GPU is fragmented across devices. Without them a trace of GPU shares
 * (openb: 150,000 pods, 86 % with GPUs) spent 4 s descending into such nodes and failing at the leaf.
 */
final class FitTree {
    private static final int CPU = io.nodesizer.model.Resource.CPU.ordinal();
    private static final int MEMORY = io.nodesizer.model.Resource.MEMORY.ordinal();

    private final int[] dims;
    private final boolean staircases;
    /** The resources whose per-subtree maxima are kept: all active ones but CPU and memory when staircases cover those. */
    private final int[] maxed;
    private final int a;
    /** Resources every pod demands the same amount of ({@code floor}), kept by emptying the leaves below it. */
    private final int[] floors;
    private final long[] floor;
    private int leaves;
    private long[] max;
    /** Free (CPU, memory) fronts per tree node; null without staircases. */
    private Staircases stairs;
    /** Per tree node, with devices: the largest free on one device, and the most empty devices (null without devices). */
    private int[] shareMax;
    private int[] emptyMax;
    /**
     * The newest nodes stay out of the tree and are checked one by one after it: first fit
     * decreasing puts nine pods in ten on the newest node (150,000 distinct pods), and a node
     * often fills up while it is among the newest three, so it never costs a tree update. Three:
     * 9.7k updates instead of 10.3k with two (12.7k with one), ~0.6 ms of 24 faster in two
     * interleaved comparisons; four saves no more updates and checks one more node on every search.
     */
    private static final int WINDOW = 3;
    /** The newest node seen (-1: none), and the lowest node not in the tree: the window is [outside, newest]. */
    private int newest = -1;
    private int outside;
    /** Bit i: node outside + i can take no more pods. */
    private long deadInWindow;

    /**
     * @param staircases keep the (CPU, memory) staircases; worth it when pods are mostly distinct
     *                   (each pod its own query). With replicated workloads bulk placement makes
     *                   queries few.
     */
    FitTree(int[] dims, int initialLeaves, boolean staircases) {
        this(dims, initialLeaves, staircases, null);
    }

    /**
     * @param same per resource, the demand every pod to come has (a pod slot: all of them), or 0
     *             when they differ; null: none known. With staircases, such a resource needs no
     *             maxima: a leaf with less than that free gets no point, which no pod fits, so its
     *             subtree's staircase already says whether some node has enough (one test less
     *             per tree node visited: ~1.3 ms of 23 on 150,000 distinct pods).
     */
    FitTree(int[] dims, int initialLeaves, boolean staircases, long[] same) {
        this.dims = dims;
        boolean cpu = false;
        boolean mem = false;
        for (int r : dims) {
            cpu |= r == CPU;
            mem |= r == MEMORY;
        }
        boolean stairs2d = staircases && cpu && mem;
        this.staircases = stairs2d;
        this.floors = stairs2d && same != null
                ? java.util.Arrays.stream(dims).filter(r -> r != CPU && r != MEMORY && same[r] > 0).toArray() : new int[0];
        this.floor = new long[floors.length];
        for (int k = 0; k < floors.length; k++) {
            floor[k] = same[floors[k]];
        }
        this.maxed = java.util.Arrays.stream(dims)
                .filter(r -> !stairs2d || r != CPU && r != MEMORY && (same == null || same[r] <= 0)).toArray();
        this.a = maxed.length;
        this.leaves = Integer.highestOneBit(Math.max(2, initialLeaves) - 1) << 1;
        this.max = new long[2 * leaves * a];
        this.stairs = this.staircases ? new Staircases(leaves) : null;
    }

    /** Node {@code node} took pods: refreshes what the search knows of it from the ledger. */
    void update(int node, NodeLedger ledger) {
        if (node < outside) {
            set(node, ledger);
        } else {
            reach(node, ledger);
        }
    }

    /**
     * Removes a node from all future searches (its leaf becomes zero, which no pod covers since
     * every pod takes a pod slot). For nodes that can never take another pod.
     */
    void kill(int node, NodeLedger ledger) {
        if (node < outside) {
            clear(node);
        } else {
            reach(node, ledger);
            deadInWindow |= 1L << (node - outside);
        }
    }

    /** Takes nodes up to {@code node} into the window; the oldest ones leave it for the tree (unless dead). */
    private void reach(int node, NodeLedger ledger) {
        while (newest < node) {
            newest++;
            if (newest - outside >= WINDOW) {
                if ((deadInWindow & 1) == 0) {
                    set(outside, ledger);
                }
                deadInWindow >>>= 1;
                outside++;
            }
        }
    }

    /** Sets node {@code node}'s leaf from the ledger and walks up. */
    private void set(int node, NodeLedger ledger) {
        for (int k = 0; k < floors.length; k++) {
            if (ledger.free(node, floors[k]) < floor[k]) {
                clear(node); // no pod fits it: no point, as for a dead node
                return;
            }
        }
        if (node >= leaves) {
            grow(node + 1);
        }
        int v = leaves + node;
        // A leaf without a point holds zeros (never set, or cleared by a kill): its new amounts can
        // only raise its ancestors' summaries, so they take them in without merging their children.
        boolean fresh = staircases && stairs.empty(v);
        for (int k = 0; k < a; k++) {
            max[v * a + k] = ledger.free(node, maxed[k]);
        }
        long c = 0;
        long m = 0;
        if (staircases) {
            c = ledger.free(node, CPU);
            m = ledger.free(node, MEMORY);
            stairs.setLeaf(v, c, m);
        }
        if (ledger.devices() > 0) {
            if (shareMax == null) {
                shareMax = new int[2 * leaves];
                emptyMax = new int[2 * leaves];
            }
            shareMax[v] = ledger.largestDeviceFree(node);
            emptyMax[v] = ledger.emptyDevices(node);
        }
        if (fresh) {
            raiseAncestors(v, c, m);
        } else {
            refreshAncestors(v);
        }
    }

    /**
     * Walks up from leaf {@code leaf}, which had no point and now has (c, m) and its maxima: each
     * ancestor's maxima rise to the leaf's and its staircase takes the point ({@link
     * Staircases#insert}), which is what recombining its children would give (when no staircase
     * below was coarsened; else one that covers as much). Stops at the first ancestor that did
     * not change: the point is covered there, and so at every ancestor above.
     */
    private void raiseAncestors(int leaf, long c, long m) {
        for (int v = leaf >>> 1; v >= 1; v >>>= 1) {
            boolean changed = false;
            for (int k = 0; k < a; k++) {
                long x = max[leaf * a + k];
                if (x > max[v * a + k]) {
                    max[v * a + k] = x;
                    changed = true;
                }
            }
            if (shareMax != null) {
                if (shareMax[leaf] > shareMax[v] || emptyMax[leaf] > emptyMax[v]) {
                    shareMax[v] = Math.max(shareMax[v], shareMax[leaf]);
                    emptyMax[v] = Math.max(emptyMax[v], emptyMax[leaf]);
                    changed = true;
                }
            }
            int s = stairs.insert(v, c, m);
            if (s < 0) {
                changed |= stairs.combine(v); // past the cap: merged (and coarsened) from the children
            } else {
                changed |= s > 0;
            }
            if (!changed) {
                return;
            }
        }
    }

    private void clear(int node) {
        if (node >= leaves) {
            return;
        }
        int v = leaves + node;
        boolean clear = !staircases || stairs.empty(v);
        for (int k = 0; k < a; k++) {
            clear &= max[v * a + k] == 0;
            max[v * a + k] = 0;
        }
        if (clear) {
            return; // killed before (the sweeps meet dead nodes again and again): nothing changes
        }
        if (staircases) {
            stairs.clearLeaf(v);
        }
        if (shareMax != null) {
            shareMax[v] = 0;
            emptyMax[v] = 0;
        }
        refreshAncestors(v);
    }

    /** Recombines the leaf's ancestors, stopping at the first whose summary did not change (nor will those above). */
    private void refreshAncestors(int leaf) {
        for (int v = leaf >>> 1; v >= 1 && combine(v); v >>>= 1) {
            // combine did the work
        }
    }

    /** Recomputes tree node v from its children; returns whether anything changed. */
    private boolean combine(int v) {
        int l = 2 * v;
        int r = l + 1;
        boolean changed = false;
        for (int k = 0; k < a; k++) {
            long m = Math.max(max[l * a + k], max[r * a + k]);
            changed |= m != max[v * a + k];
            max[v * a + k] = m;
        }
        if (staircases) {
            changed |= stairs.combine(v);
        }
        if (shareMax != null) {
            int s = Math.max(shareMax[l], shareMax[r]);
            int e = Math.max(emptyMax[l], emptyMax[r]);
            changed |= s != shareMax[v] || e != emptyMax[v];
            shareMax[v] = s;
            emptyMax[v] = e;
        }
        return changed;
    }

    /** Doubles the leaves until {@code needed} fit, keeping the old leaves (nodes not in the tree stay zero). */
    private void grow(int needed) {
        int oldLeaves = leaves;
        while (leaves < needed) {
            leaves <<= 1;
        }
        long[] oldMax = max;
        max = new long[2 * leaves * a];
        Staircases oldStairs = stairs;
        stairs = staircases ? new Staircases(leaves) : null;
        int[] oldShare = shareMax;
        int[] oldEmpty = emptyMax;
        shareMax = oldShare == null ? null : new int[2 * leaves];
        emptyMax = oldEmpty == null ? null : new int[2 * leaves];
        for (int node = 0; node < oldLeaves; node++) {
            int v = leaves + node;
            int w = oldLeaves + node;
            System.arraycopy(oldMax, w * a, max, v * a, a);
            if (staircases) {
                stairs.copyLeaf(oldStairs, w, v);
            }
            if (oldShare != null) {
                shareMax[v] = oldShare[w];
                emptyMax[v] = oldEmpty[w];
            }
        }
        for (int v = leaves - 1; v >= 1; v--) {
            combine(v);
        }
    }

    /**
     * Lowest node index in [from, nodeCount) that fits the demand row (of group {@code group}), or -1. The tree's tests
     * cover the pooled amounts; a leaf and the newest node are confirmed with the ledger, which
     * also checks GPU devices, pods that repel each other and zone spread when it tracks them (a
     * node can have 3,000 thousandths free as three half-used devices and still not take a whole GPU).
     */
    int findFirst(long[] demand, int offset, int group, int from, int nodeCount, NodeLedger ledger) {
        int inTree = Math.min(nodeCount, outside);
        if (from < inTree) {
            int found = descend(1, 0, leaves - 1, demand, offset, group, from, inTree, ledger.checksLeaves() ? ledger : null);
            if (found >= 0) {
                return found;
            }
        }
        for (int n = Math.max(from, outside); n <= newest && n < nodeCount; n++) {
            if ((deadInWindow >>> (n - outside) & 1) == 0 && ledger.fits(n, demand, offset, group, dims)) {
                return n;
            }
        }
        return -1;
    }

    private int descend(int v, int lo, int hi, long[] demand, int offset, int group, int from, int limit, NodeLedger checks) {
        if (hi < from || lo >= limit || !covers(v, demand, offset)) {
            return -1;
        }
        if (lo == hi) {
            return checks == null || checks.fits(lo, demand, offset, group, dims) ? lo : -1;
        }
        int mid = (lo + hi) >>> 1;
        int left = descend(2 * v, lo, mid, demand, offset, group, from, limit, checks);
        if (left >= 0) {
            return left;
        }
        return descend(2 * v + 1, mid + 1, hi, demand, offset, group, from, limit, checks);
    }

    private boolean covers(int v, long[] demand, int offset) {
        if (shareMax != null) {
            long g = demand[offset + io.nodesizer.model.Resource.GPU.ordinal()];
            if (g > 0 && (g < io.nodesizer.engine.GpuDevices.UNIT ? shareMax[v] < g : emptyMax[v] < io.nodesizer.engine.GpuDevices.whole(g))) {
                return false;
            }
        }
        int base = v * a;
        for (int k = 0; k < a; k++) {
            if (max[base + k] < demand[offset + maxed[k]]) {
                return false;
            }
        }
        return !staircases || stairs.covers(v, demand[offset + CPU], demand[offset + MEMORY]);
    }
}

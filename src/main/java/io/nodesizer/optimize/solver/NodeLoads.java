package io.nodesizer.optimize.solver;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.optimize.domain.Node;
import io.nodesizer.optimize.domain.NodePacking;
import io.nodesizer.optimize.domain.Pod;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Per-node loads and pod lists of the working solution, kept across steps and brought up to date,
 * when a step first asks for a move, by comparing the node of each pod whose node was set since
 * (the solution's {@link io.nodesizer.optimize.domain.PodMoves}) with the last one seen: within a
 * step every evaluated move is undone before the next, so the working solution does not change
 * until the step ends. (Rebuilding from scratch every step cost more than all score calculation on
 * 8,000 pods.) Builds the composite moves from these loads; every move keeps a feasible packing
 * feasible.
 */
final class NodeLoads {
    private static final int D = DemandTable.D;
    /** Tries per move before giving up and returning a move that changes nothing. */
    private static final int ATTEMPTS = 4;

    final NodePacking solution;
    final List<Node> nodes;
    private final List<Pod> pods;
    private final long[] cap;
    private final int[] dims;
    private final long[] load;
    private final int[] nodeOf;       // per pod index: the node the lists below put it on
    private final Pod[] podAt;        // the pods, by index
    private final Node[] seenOn;      // per pod index: the node object it was on at the last refresh
    private final int[] tryOrder;     // a drain's destinations, in the order it tries them
    private final io.nodesizer.optimize.domain.PodMoves.Reader moves; // the pods whose node was set since the last refresh
    private final int[] movedPods;
    private boolean scanned;          // every pod was read once (the first refresh)
    private final int[][] podsOn;     // per node: pod indices, unordered
    private final int[] podCount;
    private final double[] podSize;   // Σ over active dims of demand / capacity, per pod index
    private final int[] usedByFill;   // used node ids, emptiest first (the low half of sortedKeys)
    private final long[] sortedKeys;  // sortKey of each used node, ascending
    private int usedCount;
    private final boolean[] dirty;    // node changed since the last refresh
    private final int[] dirtyNodes;
    private int dirtyCount;

    NodeLoads(NodePacking solution) {
        this.solution = solution;
        this.nodes = solution.getNodes();
        this.pods = solution.getPods();
        this.cap = solution.getCapacity().podCapacity();
        this.dims = solution.getCapacity().activeDims();
        int n = nodes.size();
        this.load = new long[n * D];
        this.nodeOf = new int[pods.size()];
        this.podAt = pods.toArray(new Pod[0]);
        this.seenOn = new Node[pods.size()];
        this.tryOrder = new int[nodes.size()];
        this.moves = solution.moves().reader();
        this.movedPods = new int[pods.size()];
        this.podsOn = new int[n][];
        this.podCount = new int[n];
        this.podSize = new double[pods.size()];
        this.usedByFill = new int[n];
        this.sortedKeys = new long[n];
        this.dirty = new boolean[n];
        this.dirtyNodes = new int[n];
        for (int i = 0; i < n; i++) {
            podsOn[i] = new int[4];
        }
        for (int p = 0; p < pods.size(); p++) {
            long[] demand = pods.get(p).getDemand().amounts();
            double size = 0;
            for (int r : dims) {
                size += cap[r] == 0 ? 0 : (double) demand[r] / cap[r];
            }
            podSize[p] = size;
            nodeOf[p] = -1;
        }
    }

    /**
     * Brings loads and lists up to the working solution, then orders the used nodes by fill. Only the
     * nodes a step changed get a new sort key; they are merged into the still-sorted rest by
     * insertion (a step changes a handful of nodes; a full sort of all nodes every step showed up in
     * profiles).
     */
    void refresh() {
        int changed = 0;
        // Only the pods whose node was set since the last refresh, in index order as a scan of all
        // would meet them (reading all 8,000 pods every step was a sixth of the local search's
        // samples, most of them cache misses); every pod on the first refresh.
        int n = moves.drain(movedPods);
        if (!scanned) {
            scanned = true;
            n = podAt.length;
            for (int p = 0; p < n; p++) {
                movedPods[p] = p;
            }
        }
        for (int i = 0; i < n; i++) {
            int p = movedPods[i];
            // The node objects compared by reference: a pod's node id is read only when it moved.
            Node on = podAt[p].getNode();
            if (on == seenOn[p]) {
                continue;
            }
            seenOn[p] = on;
            int now = on.id();
            int before = nodeOf[p];
            if (now != before) {
                long[] demand = podAt[p].getDemand().amounts();
                if (before >= 0) {
                    remove(before, p);
                    for (int r = 0; r < D; r++) {
                        load[before * D + r] -= demand[r];
                    }
                    changed += markDirty(before);
                }
                add(now, p);
                for (int r = 0; r < D; r++) {
                    load[now * D + r] += demand[r];
                }
                changed += markDirty(now);
                nodeOf[p] = now;
            }
        }
        if (changed == 0) {
            return;
        }
        // Keep the sorted keys of clean nodes, then insert the keys of dirty nodes that still hold pods.
        int kept = 0;
        for (int k = 0; k < usedCount; k++) {
            if (!dirty[(int) sortedKeys[k]]) {
                sortedKeys[kept++] = sortedKeys[k];
            }
        }
        usedCount = kept;
        for (int d = 0; d < dirtyCount; d++) {
            int node = dirtyNodes[d];
            dirty[node] = false;
            if (podCount[node] > 0) {
                long key = sortKey(node);
                int k = usedCount++;
                while (k > 0 && sortedKeys[k - 1] > key) {
                    sortedKeys[k] = sortedKeys[k - 1];
                    k--;
                }
                sortedKeys[k] = key;
            }
        }
        dirtyCount = 0;
        for (int k = 0; k < usedCount; k++) {
            usedByFill[k] = (int) sortedKeys[k];
        }
    }

    private int markDirty(int node) {
        if (dirty[node]) {
            return 0;
        }
        dirty[node] = true;
        dirtyNodes[dirtyCount++] = node;
        return 1;
    }

    /**
     * Fill (Σ over active dims of load / capacity) quantised to 2^-20 of a node in the high bits, node
     * id in the low 32: one primitive order by fill, ties broken by id.
     */
    private long sortKey(int node) {
        double f = 0;
        for (int r : dims) {
            f += cap[r] == 0 ? 0 : (double) load[node * D + r] / cap[r];
        }
        return ((long) (f * (1 << 20)) << 32) | node;
    }

    private void add(int node, int pod) {
        if (podCount[node] == podsOn[node].length) {
            podsOn[node] = Arrays.copyOf(podsOn[node], podsOn[node].length * 2);
        }
        podsOn[node][podCount[node]++] = pod;
    }

    private void remove(int node, int pod) {
        int[] list = podsOn[node];
        for (int k = 0; k < podCount[node]; k++) {
            if (list[k] == pod) {
                list[k] = list[--podCount[node]];
                return;
            }
        }
        throw new IllegalStateException("Pod " + pod + " is not on node " + node + ".");
    }

    ReassignMove drain(RandomGenerator random) {
        ReassignMove move = null;
        for (int attempt = 0; attempt < ATTEMPTS && (move == null || move.podCount() == 0); attempt++) {
            double u = random.nextDouble();
            // u² skews the pick towards the emptiest nodes, which are the cheapest to drain.
            int victim = usedByFill[Math.min(usedCount - 1, (int) (u * u * usedCount))];
            boolean fullestFirst = random.nextBoolean();
            int rotation = random.nextInt(usedCount);
            move = drain(victim, fullestFirst, rotation);
        }
        return move;
    }

    ReassignMove drain(int victim, boolean fullestFirst, int rotation) {
        int count = podCount[victim];
        int[] order = Arrays.copyOf(podsOn[victim], count);
        // Largest first, ties by pod index: insertion sort, as a node holds few pods.
        for (int i = 1; i < count; i++) {
            int p = order[i];
            int j = i - 1;
            while (j >= 0 && (podSize[order[j]] < podSize[p] || (podSize[order[j]] == podSize[p] && order[j] > p))) {
                order[j + 1] = order[j];
                j--;
            }
            order[j + 1] = p;
        }
        Pod[] moved = new Pod[count];
        Node[] targets = new Node[count];
        int[] targetIds = new int[count];
        // The nodes to try, in the order tried (fullest first from the top, else round from the
        // rotation), less those that cannot take even the least the victim's pods ask of each
        // resource: loads only grow during a drain, so they take none of its pods, and each pod's
        // scan of ~1,000 mostly full nodes was most of a drain's time.
        long[] least = new long[D];
        Arrays.fill(least, Long.MAX_VALUE);
        for (int p : order) {
            long[] demand = podAt[p].getDemand().amounts();
            for (int r : dims) {
                least[r] = Math.min(least[r], demand[r]);
            }
        }
        int open = 0;
        int at = fullestFirst ? usedCount - 1 : usedCount == 0 ? 0 : rotation % usedCount;
        for (int j = 0; j < usedCount; j++) {
            int target = usedByFill[at];
            at = fullestFirst ? at - 1 : (at + 1 == usedCount ? 0 : at + 1);
            if (target != victim && (count == 0 || fits(target, least))) {
                tryOrder[open++] = target;
            }
        }
        int k = 0;
        for (int p : order) {
            long[] demand = podAt[p].getDemand().amounts();
            for (int j = 0; j < open; j++) {
                int target = tryOrder[j];
                if (fits(target, demand)) {
                    for (int r = 0; r < D; r++) {
                        load[target * D + r] += demand[r];
                    }
                    moved[k] = podAt[p];
                    targetIds[k] = target;
                    targets[k++] = nodes.get(target);
                    break;
                }
            }
        }
        // Undo the tentative placements: the loads describe the working solution, not this move.
        for (int i = 0; i < k; i++) {
            long[] demand = moved[i].getDemand().amounts();
            for (int r = 0; r < D; r++) {
                load[targetIds[i] * D + r] -= demand[r];
            }
        }
        return new ReassignMove("Drain", Arrays.copyOf(moved, k), Arrays.copyOf(targets, k));
    }

    /** Pods on one node tried as the pair side of a pair swap, at most (pairs grow quadratically). */
    private static final int PAIR_WINDOW = 24;

    ReassignMove pairSwap(RandomGenerator random) {
        if (usedCount < 2) {
            return new ReassignMove("PairSwap", new Pod[0], new Node[0]);
        }
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int a = usedByFill[random.nextInt(usedCount)];
            int b = usedByFill[random.nextInt(usedCount)];
            if (a == b || podCount[b] < 2) {
                continue;
            }
            int single = podsOn[a][random.nextInt(podCount[a])];
            long[] ds = pods.get(single).getDemand().amounts();
            int n = Math.min(podCount[b], PAIR_WINDOW);
            int offset = random.nextInt(podCount[b]);
            int bestI = -1;
            int bestJ = -1;
            double bestGain = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) {
                int pi = podsOn[b][(offset + i) % podCount[b]];
                long[] di = pods.get(pi).getDemand().amounts();
                for (int j = i + 1; j < n; j++) {
                    int pj = podsOn[b][(offset + j) % podCount[b]];
                    long[] dj = pods.get(pj).getDemand().amounts();
                    double gain = pairSwapGain(a, b, ds, di, dj);
                    if (gain > bestGain) {
                        bestGain = gain;
                        bestI = pi;
                        bestJ = pj;
                    }
                }
            }
            if (bestI >= 0) {
                return new ReassignMove("PairSwap", new Pod[] {pods.get(single), pods.get(bestI), pods.get(bestJ)},
                        new Node[] {nodes.get(b), nodes.get(a), nodes.get(a)});
            }
        }
        return new ReassignMove("PairSwap", new Pod[0], new Node[0]);
    }

    /**
     * The change in Σ (normalised load)² over both nodes when {@code single} leaves {@code a} for
     * {@code b} and the pair leaves {@code b} for {@code a}; −∞ when either node would overflow.
     */
    private double pairSwapGain(int a, int b, long[] single, long[] first, long[] second) {
        double gain = 0;
        for (int r : dims) {
            long delta = first[r] + second[r] - single[r];
            long newA = load[a * D + r] + delta;
            long newB = load[b * D + r] - delta;
            if (newA > cap[r] || newB > cap[r]) {
                return Double.NEGATIVE_INFINITY;
            }
            if (cap[r] > 0) {
                double oldA = (double) load[a * D + r] / cap[r];
                double oldB = (double) load[b * D + r] / cap[r];
                double na = (double) newA / cap[r];
                double nb = (double) newB / cap[r];
                gain += na * na + nb * nb - oldA * oldA - oldB * oldB;
            }
        }
        return gain;
    }

    private boolean fits(int node, long[] demand) {
        for (int r : dims) {
            if (load[node * D + r] + demand[r] > cap[r]) {
                return false;
            }
        }
        return true;
    }
}

package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingProblem;

/**
 * The groups in {@link DecreasingOrder}, joined into runs, with what a strategy reads per run
 * copied into that order: demand rows (stride {@link DemandTable#D}), pods, and the suffix minima
 * of demand. Read through the group index, each pod's data sat at a random place in tables of
 * megabytes (the order is a permutation of the input): on 150,000 distinct pods FFD took 46 ms
 * that way and 34 ms with these copies. Here the gather pays the cache misses once, in a loop
 * without dependent work, and the placement loop reads sequentially.
 *
 * <p>A run is a group, or several groups next to each other in the order with equal demand rows
 * and no pod rules the ledger keeps per group (anti-affinity, hostname spread, zone spread): to
 * the ledger their pods are the same pod, so they are placed as the replicas of one group. A
 * trace's 150,000 single pods have ~120 distinct requests, and FFD then searches per run and
 * node instead of per pod.
 */
final class PlacementOrder {
    private static final int D = DemandTable.D;

    /**
     * The groups in placement order; run r is {@code members[runStart[r] .. runStart[r + 1])}, or
     * {@code members[r]} alone when {@code runStart} is null (no run of several groups).
     */
    final int[] members;
    final int[] runStart;
    /** Each run's first group: the group of the ledger's checks (a run of several has no rule that tells its groups apart). */
    final int[] groups;
    /** Demand of run r at {@code r * D}: the ledger's row layout. */
    final long[] rows;
    /** Pods per run. */
    final int[] replicas;
    /** The first pod of each run's first group (a run of one group owns the pods from there on). */
    final int[] firstPod;
    /**
     * Row b (stride: active dims) holds per active resource the smallest demand among runs
     * from b·{@link #BLOCK} to the end; the last row is unbounded. A node with less free of some
     * resource than the row of p's block can take no pod from p on. Per block rather than per
     * run: a smaller minimum only drops dead nodes a little later, and per run the
     * rows were megabytes.
     */
    private final long[] minima;
    /** Per resource, the demand every run has when they all have the same (a pod slot), else 0. */
    final long[] same;
    /** Nodes any packing needs at least (the total demand of some resource over a node's capacity). */
    final int nodesAtLeast;
    private final int[] dims;
    private static final int BLOCK_BITS = 6;
    private static final int BLOCK = 1 << BLOCK_BITS;

    PlacementOrder(PackingProblem problem) {
        this.members = DecreasingOrder.of(problem);
        int count = members.length;
        long[] demand = problem.flatDemand();
        DemandTable table = problem.table();
        int[] classOf = table.demandClasses().ofGroup();
        int[][] conflicts = table.conflicts();
        int[] zoneSkew = table.zoneSkew();
        io.nodesizer.engine.SharedSpreads shared = table.sharedSpreads();
        // Where runs start: at every group with pod rules, after one, and where the class changes.
        // No array when every run is one group (when no two groups are alike, as in a trace of
        // distinct pods, not even a look at the classes): the distinct packing keeps its old loop.
        int n = count;
        int[] starts = null;
        if (table.demandClasses().count() < table.groupCount()) {
            starts = new int[count + 1];
            n = 0;
            boolean lastPlain = false;
            for (int p = 0; p < count; p++) {
                int g = members[p];
                boolean plain = (conflicts == null || conflicts[g] == null) && (zoneSkew == null || zoneSkew[g] == 0)
                        && (shared == null || !shared.touches(g)); // a run takes its amounts under its first group's name
                if (!plain || !lastPlain || classOf[g] != classOf[members[p - 1]]) {
                    starts[n++] = p;
                }
                lastPlain = plain;
            }
            starts[n] = count;
            starts = n == count ? null : java.util.Arrays.copyOf(starts, n + 1);
        }
        this.runStart = starts;
        this.groups = starts == null ? members : new int[n]; // runs of one group each: the members themselves
        this.rows = new long[n * D];
        this.replicas = new int[n];
        this.firstPod = new int[n];
        this.dims = problem.activeDims();
        int a = dims.length;
        int blocks = (n + BLOCK - 1) >>> BLOCK_BITS;
        this.minima = new long[(blocks + 1) * a];
        java.util.Arrays.fill(minima, Long.MAX_VALUE);
        if (starts == null && table.podCount() == table.groupCount()) {
            // A group has at least one pod, so as many pods as groups means one pod each (a
            // trace): a group's first pod is its index, and the gather reads only its row, not
            // also the replica and first-pod tables at random (150,000 distinct pods: ~2.5 ms of
            // 25, interleaved with main in one JVM).
            java.util.Arrays.fill(replicas, 1);
            System.arraycopy(members, 0, firstPod, 0, n);
            for (int p = 0; p < n; p++) {
                int g = members[p];
                for (int r = 0; r < D; r++) {
                    rows[p * D + r] = demand[g * D + r];
                }
            }
        } else {
            for (int p = 0; p < n; p++) {
                int g = members[starts == null ? p : starts[p]];
                groups[p] = g;
                firstPod[p] = table.firstPod(g);
                for (int r = 0; r < D; r++) {
                    rows[p * D + r] = demand[g * D + r];
                }
                int pods = table.replicas(g);
                if (starts != null) {
                    for (int i = starts[p] + 1; i < starts[p + 1]; i++) {
                        pods += table.replicas(members[i]);
                    }
                }
                replicas[p] = pods;
            }
        }
        // One sequential pass over the gathered rows for the node estimate and the block minima
        // (separate passes cost 1.7 ms of 27 on 150,000 distinct pods; folded into the gather,
        // whose cache misses overlap only while its loop has no dependent work, 3 ms more).
        double[] sums = new double[a]; // a size hint: doubles cannot overflow
        long[] most = new long[a];
        for (int p = 0; p < n; p++) {
            int b = (p >>> BLOCK_BITS) * a;
            for (int i = 0; i < a; i++) {
                long d = rows[p * D + dims[i]];
                sums[i] += (double) d * replicas[p];
                minima[b + i] = Math.min(minima[b + i], d);
                most[i] = Math.max(most[i], d);
            }
        }
        long[] cap = problem.podCapacity();
        double fullest = 0;
        for (int i = 0; i < a; i++) {
            fullest = Math.max(fullest, sums[i] / cap[dims[i]]);
        }
        this.nodesAtLeast = (int) Math.min(Integer.MAX_VALUE, Math.ceil(fullest));
        // Each block's own minima, then suffix minima over the blocks.
        for (int b = blocks - 1; b >= 0; b--) {
            for (int i = 0; i < a; i++) {
                minima[b * a + i] = Math.min(minima[b * a + i], minima[(b + 1) * a + i]);
            }
        }
        this.same = new long[D];
        for (int i = 0; i < a && n > 0; i++) {
            same[dims[i]] = minima[i] == most[i] ? most[i] : 0; // block 0's suffix minimum is the least demand of all
        }
    }

    /** Whether some suffix minimum grew from position {@code p} to {@code q}: only then can a node have died untouched. */
    boolean minimaGrew(int p, int q) {
        int a = dims.length;
        return !java.util.Arrays.equals(minima, (p >>> BLOCK_BITS) * a, (p >>> BLOCK_BITS) * a + a,
                minima, (q >>> BLOCK_BITS) * a, (q >>> BLOCK_BITS) * a + a);
    }

    /** True when {@code node} can take no pod from position {@code p} on (some resource below every remaining demand). */
    boolean exhausted(NodeLedger ledger, int node, int p) {
        return LiveNodes.exhausted(ledger, node, dims, minima, p >>> BLOCK_BITS);
    }
}

package io.nodesizer.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * A packing's pods node by node, for moves made outside the ledger (zone balancing, mixed-pool
 * drains): per node its pods per group and what they take of each resource, with the checks a
 * move needs — room, and the hostname rules: required anti-affinity either way (a group the pod
 * repels, or one that repels it: the scheduler checks the incoming pod's terms and the existing
 * pods' terms alike) and each group's cap per node (anti-affinity among its replicas, hostname
 * spread), from {@link DemandTable#conflicts()} and {@link DemandTable#caps()}.
 */
public final class NodePods {
    private final DemandTable table;
    private final IntFunction<long[]> capacity;
    private final long[] load;
    private final List<Map<Integer, Integer>> onNode = new ArrayList<>();

    /**
     * @param nodes      the packing's nodes
     * @param assignment node per pod of {@code table} (-1: not placed)
     * @param capacity   per node, what its pods may take of each resource (its allocatable less its DaemonSets)
     */
    public NodePods(DemandTable table, int nodes, int[] assignment, IntFunction<long[]> capacity) {
        this.table = table;
        this.capacity = capacity;
        load = new long[nodes * DemandTable.D];
        for (int n = 0; n < nodes; n++) {
            onNode.add(new HashMap<>());
        }
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int n = assignment[table.firstPod(g) + i];
                if (n >= 0) {
                    onNode.get(n).merge(g, 1, Integer::sum);
                    for (int r = 0; r < DemandTable.D; r++) {
                        load[n * DemandTable.D + r] += table.demand(g, r);
                    }
                }
            }
        }
    }

    public int nodes() {
        return onNode.size();
    }

    /** Node n's pods per group (groups without pods there absent); not to be changed but by {@link #move}. */
    public Map<Integer, Integer> on(int n) {
        return onNode.get(n);
    }

    /** What node n's pods take of resource r. */
    public long load(int n, int r) {
        return load[n * DemandTable.D + r];
    }

    /** Whether node n has room for one more pod of g, with one pod of {@code out} (-1: none) taken off it. */
    public boolean fits(int n, int g, int out) {
        long[] room = capacity.apply(n);
        for (int r = 0; r < DemandTable.D; r++) {
            if (load[n * DemandTable.D + r] + table.demand(g, r) - (out < 0 ? 0 : table.demand(out, r)) > room[r]) {
                return false;
            }
        }
        return true;
    }

    /** Whether node n's hostname rules admit one more pod of g, with one pod of {@code out} (-1: none) taken off it. */
    public boolean admits(int n, int g, int out) {
        int[][] conflicts = table.conflicts();
        if (conflicts == null) {
            return true;
        }
        Map<Integer, Integer> there = onNode.get(n);
        if (conflicts[g] != null) {
            for (int h : conflicts[g]) {
                int c = there.getOrDefault(h, 0) - (h == out ? 1 : 0);
                if (h == g ? c + 1 > table.caps()[g] : c > 0) {
                    return false;
                }
            }
        }
        for (var e : there.entrySet()) {
            int h = e.getKey();
            int c = e.getValue() - (h == out ? 1 : 0);
            if (h != g && c > 0 && conflicts[h] != null && java.util.Arrays.stream(conflicts[h]).anyMatch(x -> x == g)) {
                return false;
            }
        }
        return true;
    }

    /** One pod of g from node {@code from} to node {@code to}. */
    public void move(int g, int from, int to) {
        onNode.get(from).merge(g, -1, Integer::sum);
        onNode.get(from).remove(g, 0);
        onNode.get(to).merge(g, 1, Integer::sum);
        for (int r = 0; r < DemandTable.D; r++) {
            load[from * DemandTable.D + r] -= table.demand(g, r);
            load[to * DemandTable.D + r] += table.demand(g, r);
        }
    }
}

package io.nodesizer.pattern;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The schedulable pods of a {@link PackingProblem} folded into distinct request vectors over the
 * problem's active resources: the rows of the pattern LP. Deployments have replicas and traces
 * repeat sizes, so a workload of 150,000 pods typically has a few hundred types at most.
 * Types are numbered in order of first appearance among the schedulable groups, so the numbering
 * (and everything derived from it) is deterministic.
 */
public final class RequestTypes {
    private final PackingProblem problem;
    private final int[] dims;
    private final long[] size;
    private final long[] count;
    private final int[][] groups;
    private final long[] capacity;

    private RequestTypes(PackingProblem problem) {
        this.problem = problem;
        this.dims = problem.activeDims();
        int a = dims.length;
        long[] demand = problem.flatDemand();
        long[] cap = problem.podCapacity();
        this.capacity = new long[a];
        for (int k = 0; k < a; k++) {
            capacity[k] = cap[dims[k]];
        }
        Map<Key, Integer> index = new HashMap<>();
        List<long[]> sizes = new ArrayList<>();
        List<long[]> counts = new ArrayList<>();
        List<List<Integer>> members = new ArrayList<>();
        DemandTable table = problem.table();
        for (int g : problem.schedulableGroups()) {
            long[] v = new long[a];
            for (int k = 0; k < a; k++) {
                v[k] = demand[g * DemandTable.D + dims[k]];
            }
            Integer t = index.get(new Key(v));
            if (t == null) {
                t = sizes.size();
                index.put(new Key(v), t);
                sizes.add(v);
                counts.add(new long[1]);
                members.add(new ArrayList<>());
            }
            counts.get(t)[0] += table.replicas(g);
            members.get(t).add(g);
        }
        int n = sizes.size();
        this.size = new long[n * a];
        this.count = new long[n];
        this.groups = new int[n][];
        for (int t = 0; t < n; t++) {
            System.arraycopy(sizes.get(t), 0, size, t * a, a);
            count[t] = counts.get(t)[0];
            groups[t] = members.get(t).stream().mapToInt(Integer::intValue).toArray();
        }
    }

    public static RequestTypes of(PackingProblem problem) {
        return new RequestTypes(problem);
    }

    public PackingProblem problem() {
        return problem;
    }

    /** Number of distinct request vectors. */
    public int count() {
        return count.length;
    }

    /** Number of active resources (the length of a request vector). */
    public int dimensions() {
        return dims.length;
    }

    /** The resource index ({@link io.nodesizer.model.Resource} ordinal) of active dimension {@code k}. */
    public int resource(int k) {
        return dims[k];
    }

    /** Demand of one pod of type {@code t} on active dimension {@code k}. */
    public long size(int t, int k) {
        return size[t * dims.length + k];
    }

    /** Pods of type {@code t} in the workload. */
    public long pods(int t) {
        return count[t];
    }

    /** The schedulable groups (indices into the demand table) whose pods are of type {@code t}, in input order. */
    public int[] groups(int t) {
        return groups[t];
    }

    /** Pod capacity of a node on active dimension {@code k} (allocatable minus DaemonSets). */
    public long capacity(int k) {
        return capacity[k];
    }

    /** How many pods of type {@code t} fit an empty node (at least 1: the type is schedulable). */
    public long alone(int t) {
        long k = Long.MAX_VALUE;
        for (int d = 0; d < dims.length; d++) {
            long s = size(t, d);
            if (s > 0) {
                k = Math.min(k, capacity[d] / s);
            }
        }
        return k;
    }

    /** Total pods over all types. */
    public long totalPods() {
        long n = 0;
        for (long c : count) {
            n += c;
        }
        return n;
    }

    private record Key(long[] v) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(v, k.v);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(v);
        }
    }
}

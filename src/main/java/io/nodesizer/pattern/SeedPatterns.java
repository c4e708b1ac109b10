package io.nodesizer.pattern;

import io.nodesizer.engine.GpuDevices;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Starting columns for column generation: the node patterns of the caller's best packing, or
 * else of a first-fit decreasing packing of the demand, computed on types and counts rather than pods. Identical nodes are kept as one group
 * with a multiplicity, split only when a type fills part of it, so 150,000 pods of 150 types cost a
 * few thousand group operations.
 *
 * <p>Why: from the diagonal start (one type per node) the master needs well over a hundred rounds
 * of pricing to come near the LP optimum — the head-in phase of column generation; with the
 * patterns of a heuristic packing it starts at that packing's node count.
 */
final class SeedPatterns {
    /** Groups of identical nodes at most: past this the rest of the demand is left to the diagonal start. */
    private static final int MAX_GROUPS = 20_000;

    private SeedPatterns() {
    }

    /** A group of {@code count} identical nodes. */
    private static final class Group {
        final int[] pods;
        final long[] free;
        final int[] load;
        long count;

        Group(int types, long[] capacity, int devices, long count) {
            this.pods = new int[types];
            this.free = capacity.clone();
            this.load = new int[devices];
            this.count = count;
        }

        Group copy(long count) {
            Group g = new Group(pods.length, free, load.length, count);
            System.arraycopy(pods, 0, g.pods, 0, pods.length);
            System.arraycopy(load, 0, g.load, 0, load.length);
            return g;
        }
    }

    /**
     * The distinct node patterns of a packing: {@code assignment} gives the node of every global
     * pod (-1 for pods left out), nodes numbered below {@code nodes}.
     */
    static List<int[]> of(RequestTypes types, int[] assignment, int nodes) {
        List<int[]> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int[] c : perNode(types, assignment, nodes)) {
            if (c != null && seen.add(Arrays.toString(c))) {
                out.add(c);
            }
        }
        return out;
    }

    /** Pods per type on every node of a packing (null for a node without pods of these types). */
    static int[][] perNode(RequestTypes types, int[] assignment, int nodes) {
        io.nodesizer.engine.DemandTable table = types.problem().table();
        int[] typeOfGroup = new int[table.groupCount()];
        Arrays.fill(typeOfGroup, -1);
        for (int t = 0; t < types.count(); t++) {
            for (int g : types.groups(t)) {
                typeOfGroup[g] = t;
            }
        }
        int[][] counts = new int[nodes][];
        for (int pod = 0; pod < assignment.length; pod++) {
            int node = assignment[pod];
            int t = typeOfGroup[table.groupOfPod(pod)];
            if (node < 0 || node >= nodes || t < 0) {
                continue;
            }
            if (counts[node] == null) {
                counts[node] = new int[types.count()];
            }
            counts[node][t]++;
        }
        return counts;
    }

    /** The distinct patterns of a first-fit decreasing packing of {@code demand} (pods per type) on one shape. */
    static List<int[]> firstFitDecreasing(RequestTypes types, long[] demand) {
        List<int[]> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Group g : groups(types, demand)) {
            if (seen.add(Arrays.toString(g.pods))) {
                out.add(g.pods);
            }
        }
        return out;
    }

    /**
     * The nodes of a first-fit decreasing packing of {@code demand} on one shape, or -1 when it did not place every pod
     * (past {@link #MAX_GROUPS} groups, or a pod that fits no empty node): an upper bound on the optimum when not -1.
     */
    static long firstFitDecreasingNodes(RequestTypes types, long[] demand) {
        List<Group> groups = groups(types, demand);
        long[] placed = new long[types.count()];
        long nodes = 0;
        for (Group g : groups) {
            nodes += g.count;
            for (int t = 0; t < placed.length; t++) {
                placed[t] += g.count * g.pods[t];
            }
        }
        for (int t = 0; t < placed.length; t++) {
            if (demand[t] > 0 && types.fits(t) && placed[t] < demand[t]) {
                return -1;
            }
        }
        return nodes;
    }

    /** The groups of identical nodes of a first-fit decreasing packing of {@code demand}. */
    private static List<Group> groups(RequestTypes types, long[] demand) {
        int n = types.count();
        int dims = types.dimensions();
        long[] capacity = new long[dims];
        for (int k = 0; k < dims; k++) {
            capacity[k] = types.capacity(k);
        }
        double[] share = new double[n];
        for (int t = 0; t < n; t++) {
            for (int k = 0; k < dims; k++) {
                share[t] = Math.max(share[t], (double) types.size(t, k) / capacity[k]);
            }
        }
        Integer[] order = java.util.stream.IntStream.range(0, n).filter(t -> demand[t] > 0 && types.fits(t)).boxed()
                .sorted(Comparator.comparingDouble((Integer t) -> -share[t]).thenComparingInt(t -> t)).toArray(Integer[]::new);
        List<Group> groups = new ArrayList<>();
        for (int t : order) {
            long left = demand[t];
            for (int i = 0; i < groups.size() && left > 0; i++) {
                Group g = groups.get(i);
                long c = Math.min(left, maxCount(types, t, g));
                if (c == 0) {
                    continue;
                }
                long full = Math.min(g.count, left / c);
                if (full < g.count && groups.size() + 2 > MAX_GROUPS) {
                    continue; // no room to split the group
                }
                // c ≤ left, so at least one node of the group takes c; split off the rest
                if (full < g.count) {
                    groups.add(i + 1, g.copy(g.count - full));
                    g.count = full;
                }
                place(types, t, g, c);
                left -= full * c;
            }
            while (left > 0 && groups.size() < MAX_GROUPS) {
                Group fresh = new Group(n, capacity, types.devices(), 1);
                long c = Math.min(left, maxCount(types, t, fresh));
                if (c == 0) {
                    break;
                }
                fresh.count = left / c;
                place(types, t, fresh, c);
                groups.add(fresh);
                left -= fresh.count * c;
            }
        }
        return groups;
    }

    /** Pods of type {@code t} one node of the group still takes. */
    private static long maxCount(RequestTypes types, int t, Group g) {
        return types.fitCount(t, g.free, g.load, types.ruleRoom(t, g.pods));
    }

    private static void place(RequestTypes types, int t, Group g, long c) {
        g.pods[t] += (int) c;
        for (int k = 0; k < g.free.length; k++) {
            g.free[k] -= c * types.size(t, k);
        }
        long gpu = types.gpu(t);
        for (long i = 0; gpu > 0 && g.load.length > 0 && i < c; i++) {
            GpuDevices.take(g.load, 0, g.load.length, gpu);
        }
    }
}

package io.nodesizer.fleet;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Resource;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The orders in which {@code pack --fleet} takes the workload's groups. Largest first (by the
 * largest share of the largest node on any resource) is first-fit decreasing. Restricted first puts
 * the groups that may use only some nodes of the fleet — their node selector, required node affinity
 * or untolerated taints refuse the rest, or they need a GPU, or a GPU model or vendor, that the rest lack —
 * ahead of the others, the least eligible room first: largest first, pods that may go anywhere came
 * earlier and filled the few nodes such pods may use, although other nodes had room for them. Smallest first
 * places the most pods where the fleet cannot hold them all.
 */
final class FleetOrder {
    private static final int D = DemandTable.D;
    private static final int GPU = Resource.GPU.ordinal();
    /** Stands for "every node" where eligible room is kept (a map keeps no null). */
    private static final long[] EVERYWHERE = new long[0];

    private FleetOrder() {
    }

    /** Group indices by their largest share of the fleet's largest node on any resource, largest first; ties by index. */
    static int[] largestFirst(DemandTable table, List<FleetPacking.FleetNode> nodes) {
        double[] share = shares(table, nodes);
        return sorted(share.length, (a, b) -> {
            int c = Double.compare(share[b], share[a]);
            return c != 0 ? c : Integer.compare(a, b);
        });
    }

    /**
     * Group indices by the same share, smallest first; ties by index (not the reverse of {@code largestFirst}, whose ties
     * also go by index). When the fleet is too small for the workload, first fit in this order places the most pods:
     * largest first spends the room on the few pods that need the most of it (QA 73 F2: 6 of the shop's 146 pods on the
     * sample snapshot, where this order places 15).
     */
    static int[] smallestFirst(DemandTable table, List<FleetPacking.FleetNode> nodes) {
        double[] share = shares(table, nodes);
        return sorted(share.length, (a, b) -> {
            int c = Double.compare(share[a], share[b]);
            return c != 0 ? c : Integer.compare(a, b);
        });
    }

    /** Per group its largest share of the fleet's largest node on any resource. */
    private static double[] shares(DemandTable table, List<FleetPacking.FleetNode> nodes) {
        long[] largest = new long[D];
        for (FleetPacking.FleetNode node : nodes) {
            long[] alloc = node.allocatable().toArray();
            for (int r = 0; r < D; r++) {
                largest[r] = Math.max(largest[r], alloc[r]);
            }
        }
        double[] share = new double[table.groupCount()];
        for (int g = 0; g < share.length; g++) {
            for (int r = 0; r < D; r++) {
                if (largest[r] > 0) {
                    share[g] = Math.max(share[g], (double) table.demand(g, r) / largest[r]);
                }
            }
        }
        return share;
    }

    /**
     * The groups whose eligible nodes are a strict subset of the fleet first, fewest eligible room
     * first (the mean over the resources they request of the eligible nodes' share of the fleet's
     * free amount), ties in {@code largestFirst} order; then the rest in {@code largestFirst} order.
     * Equal to {@code largestFirst} when no group is restricted.
     */
    static int[] restrictedFirst(DemandTable table, List<FleetPacking.FleetNode> nodes, int[] largestFirst) {
        int n = nodes.size();
        long[] free = new long[n * D];
        long[] total = new long[D];
        for (int k = 0; k < n; k++) {
            long[] alloc = nodes.get(k).allocatable().toArray();
            long[] loaded = nodes.get(k).loaded().toArray();
            for (int r = 0; r < D; r++) {
                free[k * D + r] = Math.max(0, alloc[r] - loaded[r]);
                total[r] += free[k * D + r];
            }
        }
        // Groups that ask the same of a node share their eligible room: asked once per kind, not per group
        // (thousands of groups on a trace, a handful of kinds). The map is only looked up, never iterated.
        Map<Kind, long[]> roomOf = new HashMap<>();
        double[] room = new double[table.groupCount()];
        for (int g = 0; g < room.length; g++) {
            long[] eligible = roomOf.computeIfAbsent(Kind.of(table, g), kind -> kind.eligibleFree(nodes, free));
            // Eligible everywhere is not restricted: NaN sorts it after the restricted groups.
            room[g] = eligible == EVERYWHERE ? Double.NaN : meanShare(table, g, eligible, total);
        }
        int[] rank = new int[room.length];
        for (int i = 0; i < largestFirst.length; i++) {
            rank[largestFirst[i]] = i;
        }
        // Restricted (a number) before unrestricted (NaN), then the least room, then the size order.
        return sorted(room.length, (a, b) -> {
            boolean ra = !Double.isNaN(room[a]);
            boolean rb = !Double.isNaN(room[b]);
            if (ra != rb) {
                return ra ? -1 : 1;
            }
            int c = ra ? Double.compare(room[a], room[b]) : 0;
            return c != 0 ? c : Integer.compare(rank[a], rank[b]);
        });
    }

    /**
     * What a group asks of a node whatever its size: the node-level part of its placement (selector,
     * required node affinity, tolerations), and for a GPU pod GPUs of a model and vendor it allows. Size is left
     * out on purpose: largest first already gives the pods only large nodes hold their turn.
     */
    private record Kind(Map<String, String> nodeSelector, List<Placement.Term> requiredTerms, List<Placement.Toleration> tolerations,
                        boolean gpu, List<String> gpuModels, String gpuVendor) {
        static Kind of(DemandTable table, int g) {
            // Its parts, not a Placement built from them: that would copy them into sorted maps once per group.
            Placement p = table.group(g).placement();
            boolean gpu = table.demand(g, GPU) > 0;
            return new Kind(p.nodeSelector(), p.requiredTerms(), p.tolerations(), gpu, gpu ? table.group(g).gpuModels() : List.of(),
                    gpu ? table.group(g).gpuVendor() : "");
        }

        /** The free amounts summed over the nodes this kind may use, or {@link #EVERYWHERE} when it may use every node. */
        long[] eligibleFree(List<FleetPacking.FleetNode> nodes, long[] free) {
            Placement nodeLevel = new Placement(nodeSelector, requiredTerms, tolerations);
            long[] sum = new long[D];
            int count = 0;
            for (int k = 0; k < nodes.size(); k++) {
                FleetPacking.FleetNode node = nodes.get(k);
                boolean ok = node.refuses(nodeLevel) == null
                        && (!gpu || node.allocatable().gpuMillis() >= GpuDevices.UNIT && node.gpusFor(gpuModels, gpuVendor));
                if (ok) {
                    count++;
                    for (int r = 0; r < D; r++) {
                        sum[r] += free[k * D + r];
                    }
                }
            }
            return count == nodes.size() ? EVERYWHERE : sum;
        }
    }

    /** The mean over the resources g requests of the eligible nodes' share of the fleet's free amount. */
    private static double meanShare(DemandTable table, int g, long[] eligible, long[] total) {
        double sum = 0;
        int resources = 0;
        for (int r = 0; r < D; r++) {
            if (table.demand(g, r) > 0 && total[r] > 0) {
                sum += (double) eligible[r] / total[r];
                resources++;
            }
        }
        return resources == 0 ? 0 : sum / resources;
    }

    /** The group indices 0..count-1 in the comparator's order. */
    private static int[] sorted(int count, java.util.Comparator<Integer> by) {
        Integer[] order = new Integer[count];
        for (int g = 0; g < count; g++) {
            order[g] = g;
        }
        Arrays.sort(order, by);
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }
}

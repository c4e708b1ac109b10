package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingProblem;

import java.util.SplittableRandom;

/**
 * First-Fit Decreasing: pods in {@link DecreasingOrder} (dominant share), each on the
 * lowest-numbered open node it fits, else on a new node. The lowest fitting node is found with a
 * segment tree of free (CPU, memory) staircases and per-resource maxima ({@link FitTree}) instead
 * of a scan; the pods' data is read in placement order ({@link PlacementOrder}); and the
 * replicas of a group are placed in bulk: once the first replica lands on node j, no node before
 * j fits the next identical replica either, so filling j and continuing from j+1 is exactly what
 * pod-by-pod first fit would do. The same holds for a run of groups with equal demand and no pod
 * rules next to each other in the order ({@link PlacementOrder}): their pods are placed as one
 * group's replicas, so a trace of single pods costs a search per run and node, not per pod. With a topology spread over zones and maxSkew 2 or more that is
 * no longer exact (placing a replica can make an earlier node of another zone admit the next),
 * so such groups may end on other nodes than pod by pod would put them: valid, not identical.
 */
public final class FirstFitDecreasing implements PackingStrategy {
    private static final int GPU = io.nodesizer.model.Resource.GPU.ordinal();

    @Override
    public String name() {
        return "ffd";
    }

    @Override
    public void pack(PackingProblem problem, NodeLedger ledger, int[] assignment, SplittableRandom random) {
        PlacementOrder order = new PlacementOrder(problem);
        DemandTable table = problem.table();
        int positions = order.groups.length;
        long[] rows = order.rows;
        int[] dims = problem.activeDims();
        // Staircases pay off when most pods are their own query (fewer than 4 replicas per group);
        // with replicated workloads bulk placement leaves few queries and maxima do.
        boolean mostlyDistinct = problem.schedulablePodCount() < 4L * Math.max(1, positions);
        // Sized for the nodes the packing needs at least: growing by doubling rebuilt the tree seven times.
        FitTree tree = new FitTree(dims, Math.max(64, Math.min(1 << 20, order.nodesAtLeast)), mostlyDistinct, order.same);
        for (int node = 0; node < ledger.nodeCount(); node++) {
            tree.update(node, ledger); // nodes placed before (the pod rules' placement) take pods first fit too
        }
        // Nodes that no remaining pod can use are dropped from the tree, which keeps the descent
        // from exploring full regions; the suffix minima only grow, so a sweep now and then
        // catches nodes that died without being touched (none can have, while the minima stayed).
        int sweepEvery = Math.max(1, positions / 32);
        int nextSweep = sweepEvery; // counted down rather than p % sweepEvery: a division per pod
        int swept = 0;
        int[] cursor = new int[2]; // in a run of several groups: the member whose pods come next, and how many of its pods are left
        for (int p = 0; p < positions; p++) {
            int g = order.groups[p];
            boolean due = p == nextSweep;
            if (due) {
                nextSweep += sweepEvery;
            }
            if (due && order.minimaGrew(swept, p)) {
                swept = p;
                for (int node = 0; node < ledger.nodeCount(); node++) {
                    if (order.exhausted(ledger, node, p)) {
                        tree.kill(node, ledger);
                    }
                }
            }
            int offset = p * DemandTable.D;
            int remaining = order.replicas[p];
            boolean oneGroup = order.runStart == null || order.runStart[p + 1] - order.runStart[p] == 1;
            int pod = order.firstPod[p];
            if (!oneGroup) {
                cursor[0] = order.runStart[p];
                cursor[1] = table.replicas(order.members[cursor[0]]);
            }
            int from = 0;
            // Zone spread turns whole zones away for a while, never single nodes: per zone, the
            // nodes before its last landing stay too full for this group, so the search starts
            // at the earliest such landing among the zones that take a pod now.
            int[] zoneFrom = ledger.spreadsOverZones(g) ? new int[ledger.zones()] : null;
            while (remaining > 0) {
                if (zoneFrom != null) {
                    from = Integer.MAX_VALUE;
                    for (int z = 0; z < zoneFrom.length; z++) {
                        if (ledger.zoneAdmits(g, z)) {
                            from = Math.min(from, zoneFrom[z]);
                        }
                    }
                }
                int node = tree.findFirst(rows, offset, g, from, ledger.nodeCount(), ledger);
                if (node < 0) {
                    node = ledger.openFor(g);
                }
                // The node takes one replica (found by a confirmed search, or opened for g, which
                // fits an empty node); only a bulk needs the count.
                int k = remaining == 1 ? 1 : ledger.fitCount(node, rows, offset, g, dims, remaining);
                if (oneGroup) {
                    ledger.take(node, rows, offset, g, dims, k);
                    for (int i = 0; i < k; i++) {
                        assignment[pod++] = node;
                    }
                } else {
                    ledger.takeAmounts(node, rows, offset, g, dims, k);
                    takeMembers(order, table, ledger, assignment, node, rows[offset + GPU], k, cursor);
                }
                if (order.exhausted(ledger, node, p)) {
                    tree.kill(node, ledger);
                } else {
                    tree.update(node, ledger);
                }
                remaining -= k;
                if (zoneFrom != null) {
                    zoneFrom[ledger.zoneOf(node)] = node; // it may have room left that the zone's turn limited
                } else {
                    from = node + 1;
                }
            }
        }
    }

    /**
     * The pods of {@code k} more pods of a run of several groups that {@code node} took (amounts
     * taken already): their devices group by group, since the device log names each pod's group,
     * and their assignment. A method of its own so that the placement loop stays small for the JIT.
     */
    private static void takeMembers(PlacementOrder order, DemandTable table, NodeLedger ledger, int[] assignment, int node, long gpu,
                                    int k, int[] cursor) {
        int member = cursor[0];
        int podsLeft = cursor[1];
        for (int left = k; left > 0; ) {
            while (podsLeft == 0) {
                podsLeft = table.replicas(order.members[++member]);
            }
            int g = order.members[member];
            int c = Math.min(left, podsLeft);
            ledger.takeDevices(node, gpu, g, c);
            int pod = table.firstPod(g) + table.replicas(g) - podsLeft;
            for (int i = 0; i < c; i++) {
                assignment[pod + i] = node;
            }
            left -= c;
            podsLeft -= c;
        }
        cursor[0] = member;
        cursor[1] = podsLeft;
    }
}

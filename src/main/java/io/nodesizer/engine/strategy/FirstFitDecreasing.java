package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingProblem;

import java.util.SplittableRandom;

/**
 * First-Fit Decreasing: pods in {@link DecreasingOrder} (dominant share), each on the
 * lowest-numbered open node it fits, else on a new node. The lowest fitting node is found in
 * O(log n) amortised with a max-free segment tree ({@link FitTree}) instead of a scan, and the
 * replicas of a group are placed in bulk: once the first replica lands on node j, no node before
 * j fits the next identical replica either, so filling j and continuing from j+1 is exactly what
 * pod-by-pod first fit would do.
 */
public final class FirstFitDecreasing implements PackingStrategy {

    @Override
    public String name() {
        return "ffd";
    }

    @Override
    public void pack(PackingProblem problem, NodeLedger ledger, int[] assignment, SplittableRandom random) {
        int[] order = DecreasingOrder.of(problem);
        long[] demand = problem.flatDemand();
        int[] dims = problem.activeDims();
        DemandTable table = problem.table();
        FitTree tree = new FitTree(dims, 64);
        for (int g : order) {
            int offset = g * DemandTable.D;
            int remaining = table.replicas(g);
            int pod = table.firstPod(g);
            int from = 0;
            while (remaining > 0) {
                int node = tree.findFirst(demand, offset, from, ledger.nodeCount());
                if (node < 0) {
                    node = ledger.open();
                }
                int k = ledger.fitCount(node, demand, offset, dims, remaining);
                ledger.take(node, demand, offset, dims, k);
                tree.update(node, ledger);
                for (int i = 0; i < k; i++) {
                    assignment[pod++] = node;
                }
                remaining -= k;
                from = node + 1;
            }
        }
    }
}

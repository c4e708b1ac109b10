package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingProblem;

import java.util.SplittableRandom;

/**
 * The bin-centric DotProduct heuristic of Panigrahy, Talwar, Uyeda and Wieder, "Heuristics for
 * Vector Bin Packing" (Microsoft Research, 2011): open one node, then repeatedly put on it the pod
 * that maximises the dot product of its demand and the node's free capacity, both normalised by
 * the node's capacity (Σ demand/cap × free/cap), among pods that still fit; when none fits, open
 * the next node. It aligns each node's contents with what the node still has, which handles
 * workloads whose pods are CPU-heavy and memory-heavy in different proportions. Ties go to the
 * earlier pod in {@link DecreasingOrder}.
 *
 * <p>Cost is O(nodes × distinct pod shapes): fine for replicated workloads and traces of a few
 * thousand distinct pods, slow for hundreds of thousands of distinct ones.
 */
public final class DotProduct implements PackingStrategy {

    @Override
    public String name() {
        return "dot-product";
    }

    @Override
    public void pack(PackingProblem problem, NodeLedger ledger, int[] assignment, SplittableRandom random) {
        int[] order = DecreasingOrder.of(problem);
        long[] demand = problem.flatDemand();
        int[] dims = problem.activeDims();
        DemandTable table = problem.table();
        double[] inverse = new double[DemandTable.D];
        for (int r : dims) {
            inverse[r] = 1.0 / problem.podCapacity()[r];
        }
        int[] remaining = new int[order.length];
        int[] nextPod = new int[order.length];
        for (int p = 0; p < order.length; p++) {
            remaining[p] = table.replicas(order[p]);
            nextPod[p] = table.firstPod(order[p]);
        }
        // Positions (into order) of groups with replicas left, in order; shrinks as groups run out.
        int[] alive = new int[order.length];
        int aliveCount = order.length;
        for (int p = 0; p < order.length; p++) {
            alive[p] = p;
        }
        int[] candidates = new int[order.length];
        int placedBefore = ledger.nodeCount();
        int next = 0;
        while (aliveCount > 0) {
            // Nodes placed before (the pod rules' placement) are filled first. A new node opens in
            // the zone the first pod left may go to (zone spread), so it takes at least that pod.
            int node = next < placedBefore ? next++ : ledger.openFor(order[alive[0]]);
            System.arraycopy(alive, 0, candidates, 0, aliveCount);
            int candidateCount = aliveCount;
            while (true) {
                int best = -1;
                double bestScore = -1;
                int w = 0;
                for (int i = 0; i < candidateCount; i++) {
                    int p = candidates[i];
                    if (remaining[p] == 0) {
                        continue;
                    }
                    int offset = order[p] * DemandTable.D;
                    if (!ledger.fits(node, demand, offset, dims)) {
                        continue; // free capacity only shrinks: it will not fit this node later either
                    }
                    candidates[w++] = p;
                    double score = 0;
                    for (int r : dims) {
                        score += demand[offset + r] * inverse[r] * (ledger.free(node, r) * inverse[r]);
                    }
                    if (score > bestScore) {
                        bestScore = score;
                        best = p;
                    }
                }
                candidateCount = w;
                if (best < 0) {
                    break;
                }
                ledger.take(node, demand, order[best] * DemandTable.D, dims, 1);
                assignment[nextPod[best]++] = node;
                remaining[best]--;
            }
            int w = 0;
            for (int i = 0; i < aliveCount; i++) {
                if (remaining[alive[i]] > 0) {
                    alive[w++] = alive[i];
                }
            }
            aliveCount = w;
        }
    }
}

package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingProblem;

import java.util.SplittableRandom;

/**
 * Best-Fit Decreasing: pods in {@link DecreasingOrder}, each on the open node it leaves with the
 * least room, measured as the sum over requested resources of the free fraction left after
 * placement (Σ (free − demand) / capacity); ties go to the lowest node index. A new node is opened
 * only when no open node fits. Replicas go in bulk: placing one on the best node lowers that node's
 * residual and leaves every other node's unchanged, so it stays the best while another fits.
 */
public final class BestFitDecreasing implements PackingStrategy {

    @Override
    public String name() {
        return "bfd";
    }

    @Override
    public void pack(PackingProblem problem, NodeLedger ledger, int[] assignment, SplittableRandom random) {
        int[] order = DecreasingOrder.of(problem);
        long[] min = DecreasingOrder.suffixMinima(problem, order);
        long[] demand = problem.flatDemand();
        int[] dims = problem.activeDims();
        double[] inverse = new double[DemandTable.D];
        for (int r : dims) {
            inverse[r] = 1.0 / problem.podCapacity()[r];
        }
        DemandTable table = problem.table();
        LiveNodes live = new LiveNodes();
        for (int p = 0; p < order.length; p++) {
            int g = order[p];
            int offset = g * DemandTable.D;
            int remaining = table.replicas(g);
            int pod = table.firstPod(g);
            while (remaining > 0) {
                int best = -1;
                double bestScore = Double.MAX_VALUE;
                for (int i = 0; i < live.size(); i++) {
                    int node = live.get(i);
                    if (LiveNodes.exhausted(ledger, node, dims, min, p)) {
                        live.kill(i);
                        continue;
                    }
                    if (!ledger.fits(node, demand, offset, dims)) {
                        continue;
                    }
                    double score = 0;
                    for (int r : dims) {
                        score += (ledger.free(node, r) - demand[offset + r]) * inverse[r];
                    }
                    if (score < bestScore) {
                        bestScore = score;
                        best = node;
                    }
                }
                live.compact();
                if (best < 0) {
                    best = ledger.open();
                    live.add(best);
                }
                int k = ledger.fitCount(best, demand, offset, dims, remaining);
                ledger.take(best, demand, offset, dims, k);
                for (int i = 0; i < k; i++) {
                    assignment[pod++] = best;
                }
                remaining -= k;
            }
        }
    }
}

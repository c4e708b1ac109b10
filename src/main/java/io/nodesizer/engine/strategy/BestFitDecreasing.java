package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingProblem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * Best-Fit Decreasing: pods in {@link DecreasingOrder}, each on the open node it leaves with the
 * least room, measured as the sum over requested resources of the free fraction left after
 * placement, Σ (free − demand) / capacity; ties go to the lowest node index. A new node is opened
 * only when no open node fits.
 *
 * <p>Since Σ demand / capacity is the same for every node, the best node is the fitting node with
 * the smallest free share S = Σ free / capacity. Open nodes are kept ordered by (S, index), and a
 * node can only fit when S ≥ Σ demand / capacity, so the search starts there and stops at the
 * first node that fits: it never looks at the nearly full nodes below that threshold. Replicas go
 * in bulk: placing one on the best node lowers its S and leaves every other node's unchanged, so it
 * stays the best while another fits.
 */
public final class BestFitDecreasing implements PackingStrategy {
    private static final int PROBE = -1;

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
        double[][] share = {new double[64]};
        double[] probe = new double[1];
        // Boxed Integers here are per node placement, not per pod replica; a primitive ordered set
        // would save little next to the fit checks.
        java.util.Comparator<Integer> byShare = (x, y) -> {
            double sx = x == PROBE ? probe[0] : share[0][x];
            double sy = y == PROBE ? probe[0] : share[0][y];
            int c = Double.compare(sx, sy);
            return c != 0 ? c : Integer.compare(x, y);
        };
        // One ordered set per zone: a group that spreads over zones searches only the zones that
        // take it now (a zone ahead turns it away on every node). The best node is the best of
        // each zone's first fit, so with one zone, or a group free of zones, it is the same node
        // as over one set of all nodes.
        List<TreeSet<Integer>> open = new ArrayList<>();
        for (int z = 0; z < ledger.zones(); z++) {
            open.add(new TreeSet<>(byShare));
        }
        // Nodes placed before (the pod rules' placement) are open too.
        if (ledger.nodeCount() > share[0].length) {
            share[0] = Arrays.copyOf(share[0], Integer.highestOneBit(ledger.nodeCount()) * 2);
        }
        for (int node = 0; node < ledger.nodeCount(); node++) {
            double s = 0;
            for (int r : dims) {
                s += ledger.free(node, r) * inverse[r];
            }
            share[0][node] = s;
            if (order.length > 0 && !LiveNodes.exhausted(ledger, node, dims, min, 0)) {
                open.get(ledger.zoneOf(node)).add(node);
            }
        }
        for (int p = 0; p < order.length; p++) {
            int g = order[p];
            int offset = g * DemandTable.D;
            int remaining = table.replicas(g);
            int pod = table.firstPod(g);
            double need = 0;
            for (int r : dims) {
                need += demand[offset + r] * inverse[r];
            }
            while (remaining > 0) {
                probe[0] = need;
                int best = -1;
                for (int z = 0; z < open.size(); z++) {
                    if (!ledger.zoneAdmits(g, z)) {
                        continue;
                    }
                    Iterator<Integer> it = open.get(z).tailSet(PROBE, false).iterator();
                    while (it.hasNext()) {
                        int node = it.next();
                        if (LiveNodes.exhausted(ledger, node, dims, min, p)) {
                            it.remove();
                            continue;
                        }
                        if (ledger.fits(node, demand, offset, dims)) {
                            if (best < 0 || byShare.compare(node, best) < 0) {
                                best = node;
                            }
                            break;
                        }
                    }
                }
                if (best >= 0) {
                    open.get(ledger.zoneOf(best)).remove(best); // before its share changes
                } else {
                    best = ledger.openFor(g);
                    if (best >= share[0].length) {
                        share[0] = Arrays.copyOf(share[0], share[0].length * 2);
                    }
                }
                int k = ledger.fitCount(best, demand, offset, dims, remaining);
                ledger.take(best, demand, offset, dims, k);
                for (int i = 0; i < k; i++) {
                    assignment[pod++] = best;
                }
                remaining -= k;
                double s = 0;
                for (int r : dims) {
                    s += ledger.free(best, r) * inverse[r];
                }
                share[0][best] = s;
                if (!LiveNodes.exhausted(ledger, best, dims, min, p)) {
                    open.get(ledger.zoneOf(best)).add(best);
                }
            }
        }
    }
}

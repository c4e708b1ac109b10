package io.nodesizer.engine;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.strategy.PackingStrategy;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Runs one strategy on one {@link PackingProblem} and returns a verified {@link PackingResult}.
 * The lower bound depends only on the problem, so callers that try several strategies on one
 * shape compute it once and pass it in.
 */
public final class PackingEngine {
    private PackingEngine() {
    }

    public static PackingResult pack(PackingProblem problem, PackingStrategy strategy, long seed) {
        return pack(problem, strategy, seed, LowerBounds.compute(problem), true);
    }

    /**
     * @param verify run {@link PackingVerifier} on the result (always on in the CLI; benchmarks
     *               measure the strategy alone)
     */
    public static PackingResult pack(PackingProblem problem, PackingStrategy strategy, long seed,
                                     LowerBound bound, boolean verify) {
        DemandTable table = problem.table();
        int[] assignment = new int[table.podCount()];
        Arrays.fill(assignment, -1);
        NodeLedger ledger = new NodeLedger(problem.podCapacity(), Math.max(16, bound.value() + bound.value() / 4));
        long start = System.nanoTime();
        strategy.pack(problem, ledger, assignment, new SplittableRandom(seed));
        long elapsed = System.nanoTime() - start;
        int nodes = ledger.nodeCount();
        long[] load = new long[nodes * DemandTable.D];
        long[] cap = problem.podCapacity();
        for (int node = 0; node < nodes; node++) {
            for (int r = 0; r < DemandTable.D; r++) {
                load[node * DemandTable.D + r] = cap[r] - ledger.free(node, r);
            }
        }
        PackingResult result = new PackingResult(problem, strategy.name(), nodes, assignment, load,
                problem.unschedulable(), bound, elapsed);
        if (verify) {
            PackingVerifier.verify(result);
        }
        return result;
    }

    /**
     * A verified result from an assignment made outside the strategies (the optimizer): node
     * loads are summed from the assignment, which must use nodes 0..nodes-1.
     */
    public static PackingResult fromAssignment(PackingProblem problem, String strategy, int nodes, int[] assignment,
                                               LowerBound bound, long elapsedNanos) {
        DemandTable table = problem.table();
        long[] load = new long[nodes * DemandTable.D];
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = assignment[table.firstPod(g) + i];
                if (node >= 0 && node < nodes) {
                    for (int r = 0; r < DemandTable.D; r++) {
                        load[node * DemandTable.D + r] += table.demand(g, r);
                    }
                }
            }
        }
        PackingResult result = new PackingResult(problem, strategy, nodes, assignment.clone(), load,
                problem.unschedulable(), bound, elapsedNanos);
        PackingVerifier.verify(result);
        return result;
    }
}

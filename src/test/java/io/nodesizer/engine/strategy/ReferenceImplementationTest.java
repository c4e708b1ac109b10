package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fast strategies (segment tree and bulk replicas in FFD, ordered free shares in BFD) must
 * place every pod exactly where the textbook pod-by-pod scan would.
 */
final class ReferenceImplementationTest {
    private static final int D = DemandTable.D;
    private static final NodeShape SHAPE = Fixtures.shape("n", new Resources(8000, 32 * GIB, 30, 4000, 0));

    @Test
    void firstFitDecreasingMatchesTheNaiveScan() {
        for (long seed = 1; seed <= 60; seed++) {
            PackingProblem p = problem(seed);
            int[] fast = run(p, new FirstFitDecreasing());
            assertThat(fast).as("seed %d", seed).isEqualTo(naive(p, false));
        }
    }

    @Test
    void firstFitDecreasingMatchesTheNaiveScanOnManyDistinctPods() {
        // Thousands of distinct CPU- and memory-heavy pods: hundreds of nodes, tree growth, dead
        // nodes and the ratio projections all come into play.
        for (long seed = 1; seed <= 4; seed++) {
            Workload w = Fixtures.randomWorkload(seed, 3000, 1, 4000, 24 * GIB, false);
            PackingProblem p = new PackingProblem(DemandTable.of(w), SHAPE, Resources.ZERO);
            assertThat(run(p, new FirstFitDecreasing())).as("seed %d", seed).isEqualTo(naive(p, false));
        }
    }

    @Test
    void bestFitDecreasingMatchesTheNaiveScan() {
        for (long seed = 1; seed <= 60; seed++) {
            PackingProblem p = problem(seed);
            int[] fast = run(p, new BestFitDecreasing());
            assertThat(fast).as("seed %d", seed).isEqualTo(naive(p, true));
        }
    }

    private static PackingProblem problem(long seed) {
        Workload w = Fixtures.randomWorkload(seed, 5 + (int) (seed % 50), 8, 3000, 12 * GIB, seed % 2 == 0);
        return new PackingProblem(DemandTable.of(w), SHAPE, Resources.ZERO);
    }

    private static int[] run(PackingProblem p, PackingStrategy s) {
        int[] a = new int[p.table().podCount()];
        Arrays.fill(a, -1);
        s.pack(p, new NodeLedger(p.podCapacity(), 16), a, new SplittableRandom(1));
        return a;
    }

    /** Pod by pod in decreasing order; first fit = lowest index, best fit = smallest Σ free/capacity (ties: lowest index). */
    private static int[] naive(PackingProblem p, boolean bestFit) {
        int[] a = new int[p.table().podCount()];
        Arrays.fill(a, -1);
        long[] cap = p.podCapacity();
        int[] dims = p.activeDims();
        long[] demand = p.flatDemand();
        long[][] free = new long[a.length + 1][];
        int nodes = 0;
        for (int g : DecreasingOrder.of(p)) {
            for (int i = 0; i < p.table().replicas(g); i++) {
                int chosen = -1;
                double best = Double.MAX_VALUE;
                for (int n = 0; n < nodes; n++) {
                    boolean fits = true;
                    for (int r : dims) {
                        fits &= demand[g * D + r] <= free[n][r];
                    }
                    if (!fits) {
                        continue;
                    }
                    if (!bestFit) {
                        chosen = n;
                        break;
                    }
                    double share = 0;
                    for (int r : dims) {
                        share += free[n][r] * (1.0 / cap[r]);
                    }
                    if (share < best) {
                        best = share;
                        chosen = n;
                    }
                }
                if (chosen < 0) {
                    free[nodes] = cap.clone();
                    chosen = nodes++;
                }
                for (int r : dims) {
                    free[chosen][r] -= demand[g * D + r];
                }
                a[p.table().firstPod(g) + i] = chosen;
            }
        }
        return a;
    }
}

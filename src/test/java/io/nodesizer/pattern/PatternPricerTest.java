package io.nodesizer.pattern;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

final class PatternPricerTest {

    /** Branch and bound against brute-force enumeration of every pattern, on random small knapsacks. */
    @Test
    void pricingFindsTheBestPatternOnEveryResourceAtOnce() {
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int n = 1 + random.nextInt(5);
            List<PodGroup> groups = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                groups.add(group("g" + i, new Resources(100 + random.nextInt(2000), 1 + random.nextInt(4000), 1,
                        random.nextInt(3) == 0 ? 500L * random.nextInt(3) : 0, 0), 1 + random.nextInt(6)));
            }
            NodeShape node = shape("n", new Resources(4000, 8000, 6, 2000, 0));
            RequestTypes types = RequestTypes.of(new PackingProblem(DemandTable.of(Workload.of(groups)), node, Resources.ZERO));
            double[] value = new double[types.count()];
            long[] ub = new long[types.count()];
            for (int t = 0; t < types.count(); t++) {
                value[t] = random.nextInt(5) == 0 ? 0 : random.nextDouble();
                ub[t] = types.pods(t);
            }
            PatternPricer.Result r = new PatternPricer(types, 1_000_000).price(value, ub, 0, 5);
            double brute = bruteForce(types, value, ub, 0, new long[types.dimensions()]);
            assertThat(r.exact()).isTrue();
            assertThat(r.best()).as("seed %d", seed).isCloseTo(brute, within(1e-9));
            if (brute > 0) {
                int[] best = r.patterns().get(r.patterns().size() - 1);
                assertThat(patternValue(best, value)).isCloseTo(brute, within(1e-9));
                assertThat(fits(types, best, ub)).isTrue();
            }
        }
    }

    /**
     * Where one resource alone decides which patterns fit (CPU of 150–1,000 on nodes of 2,000–3,000; memory 1 each of a
     * million, 110 pod slots), the table ({@link KnapsackDp}) prices exactly whatever the search's budget: a pricer of
     * one branch-and-bound node finds the brute-force optimum, proves it, and every pattern it offers fits and improves.
     */
    @Test
    void whereOneResourceDecidesTheTablePricesExactlyWhateverTheBudget() {
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int n = 2 + random.nextInt(6);
            List<PodGroup> groups = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                groups.add(group("g" + i, new Resources(150 + random.nextInt(851), 1, 1, 0, 0), 1 + random.nextInt(5)));
            }
            NodeShape node = shape("n", new Resources(2000 + random.nextInt(1001), 1_000_000, 110, 0, 0));
            RequestTypes types = RequestTypes.of(new PackingProblem(DemandTable.of(Workload.of(groups)), node, Resources.ZERO));
            double[] value = new double[types.count()];
            long[] ub = new long[types.count()];
            for (int t = 0; t < types.count(); t++) {
                value[t] = random.nextInt(5) == 0 ? 0 : random.nextDouble();
                ub[t] = types.pods(t);
            }
            assertThat(KnapsackDp.decidingDimension(types, ub)).as("seed %d", seed).isEqualTo(0); // CPU, the first active one
            PatternPricer.Result r = new PatternPricer(types, 1).price(value, ub, 0, 5);
            double brute = bruteForce(types, value, ub, 0, new long[types.dimensions()]);
            assertThat(r.exact()).as("seed %d", seed).isTrue();
            assertThat(r.best()).as("seed %d", seed).isCloseTo(brute, within(1e-9));
            assertThat(r.upperBound()).as("seed %d", seed).isCloseTo(brute, within(1e-9));
            if (brute > 0) {
                assertThat(patternValue(r.patterns().get(r.patterns().size() - 1), value)).isCloseTo(brute, within(1e-9));
            }
            for (int[] pattern : r.patterns()) {
                assertThat(fits(types, pattern, ub)).as("seed %d", seed).isTrue();
                assertThat(patternValue(pattern, value)).as("seed %d", seed).isGreaterThan(0);
            }
        }
    }

    /**
     * Mixed pools' pricer ({@link PatternPricer.Table#WHEN_CUT_SHORT}) on the same knapsacks: a search of one node is cut
     * short, and the table then gives the exact optimum as the bound and its pattern last (the search's few before it),
     * so the result is proven as with the table first; a search that finishes prices alone, as exactly.
     */
    @Test
    void whenCutShortTheTableTakesOver() {
        int cutShort = 0;
        for (long seed = 1; seed <= 60; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int n = 2 + random.nextInt(6);
            List<PodGroup> groups = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                groups.add(group("g" + i, new Resources(150 + random.nextInt(851), 1, 1, 0, 0), 1 + random.nextInt(5)));
            }
            NodeShape node = shape("n", new Resources(2000 + random.nextInt(1001), 1_000_000, 110, 0, 0));
            RequestTypes types = RequestTypes.of(new PackingProblem(DemandTable.of(Workload.of(groups)), node, Resources.ZERO));
            double[] value = new double[types.count()];
            long[] ub = new long[types.count()];
            for (int t = 0; t < types.count(); t++) {
                value[t] = random.nextInt(5) == 0 ? 0 : random.nextDouble();
                ub[t] = types.pods(t);
            }
            double brute = bruteForce(types, value, ub, 0, new long[types.dimensions()]);
            for (long budget : new long[] {1, 1_000_000}) {
                PatternPricer.Result r = new PatternPricer(types, budget, true, PatternPricer.Table.WHEN_CUT_SHORT).price(value, ub, 0, 5);
                String at = "seed %d budget %d".formatted(seed, budget);
                assertThat(r.exact()).as(at).isTrue();
                assertThat(r.best()).as(at).isCloseTo(brute, within(1e-9));
                assertThat(r.upperBound()).as(at).isCloseTo(brute, within(1e-9));
                if (brute > 0) {
                    assertThat(patternValue(r.patterns().get(r.patterns().size() - 1), value)).as(at).isCloseTo(brute, within(1e-9));
                }
                for (int[] pattern : r.patterns()) {
                    assertThat(fits(types, pattern, ub)).as(at).isTrue();
                }
                if (budget == 1 && r.nodes() > 1) {
                    cutShort++; // the table's cells counted beside the search's one node
                }
            }
        }
        assertThat(cutShort).isGreaterThan(30);
    }

    /** Two resources that both bind (pods of 50 CPU and 10 memory, and of 10 and 50, on 100 of each): no table, the search prices. */
    @Test
    void whereTwoResourcesBindNoneDecidesAlone() {
        RequestTypes types = RequestTypes.of(new PackingProblem(DemandTable.of(Workload.of(List.of(
                group("a", new Resources(50, 10, 1, 0, 0), 3), group("b", new Resources(10, 50, 1, 0, 0), 3)))),
                shape("n", new Resources(100, 100, 110, 0, 0)), Resources.ZERO));
        assertThat(KnapsackDp.decidingDimension(types, new long[] {3, 3})).isEqualTo(-1);
        // One of each: 60 of both, so within either's capacity the other cannot exceed its own.
        assertThat(KnapsackDp.decidingDimension(types, new long[] {1, 1})).isEqualTo(0);
    }

    @Test
    void aTruncatedSearchStillBoundsTheOptimumFromAbove() {
        SplittableRandom random = new SplittableRandom(3);
        List<PodGroup> groups = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            groups.add(group("g" + i, 50 + random.nextInt(400), 1 + random.nextInt(400), 40));
        }
        NodeShape node = shape("n", new Resources(4000, 4000, 110, 0, 0));
        RequestTypes types = RequestTypes.of(new PackingProblem(DemandTable.of(Workload.of(groups)), node, Resources.ZERO));
        double[] value = new double[types.count()];
        long[] ub = new long[types.count()];
        for (int t = 0; t < types.count(); t++) {
            value[t] = random.nextDouble();
            ub[t] = types.pods(t);
        }
        PatternPricer.Result exact = new PatternPricer(types, 100_000_000).price(value, ub, 0, 5);
        PatternPricer.Result cut = new PatternPricer(types, 50).price(value, ub, 0, 5);
        assertThat(exact.exact()).isTrue();
        assertThat(cut.exact()).isFalse();
        assertThat(cut.best()).isLessThanOrEqualTo(exact.best() + 1e-9);
        assertThat(cut.upperBound()).isGreaterThanOrEqualTo(exact.best() - 1e-9);
    }

    /**
     * A search cut short against exhaustive enumeration, on random knapsacks of 6–9 types and nodes
     * of up to 12 pods, each priced under several duals in turn by one pricer (as column generation
     * and SetBound do, so the surrogate's descent starts from other duals' multipliers): the upper
     * bound is never below the optimum, and never above the LP relaxation (solved independently,
     * by {@link DenseSimplex} with a row per type bound). The second failed before the node bound
     * had the LP's Lagrangian: the coordinate descent's multipliers could leave the root's
     * surrogate, and so a search cut short, above the LP (here 31 of 106 searches cut short, up
     * to 12 % above).
     */
    @Test
    void aSearchCutShortReportsAnUpperBoundBetweenTheOptimumAndTheLp() {
        int cut = 0;
        int belowLp = 0;
        for (long seed = 1; seed <= 80; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            RequestTypes types = randomTypes(random, 6 + random.nextInt(4));
            PatternPricer pricer = new PatternPricer(types, 3 + random.nextInt(40));
            for (int round = 0; round < 4; round++) {
                double[] value = new double[types.count()];
                long[] ub = new long[types.count()];
                for (int t = 0; t < types.count(); t++) {
                    value[t] = random.nextInt(6) == 0 ? 0 : 0.05 + random.nextDouble();
                    ub[t] = types.pods(t);
                }
                PatternPricer.Result r = pricer.price(value, ub, Double.POSITIVE_INFINITY, 1);
                double optimum = bruteForce(types, value, ub, 0, new long[types.dimensions()]);
                double lp = lpRelaxation(types, value, ub);
                String at = "seed %d round %d (best %.6f, optimum %.6f, LP %.6f)".formatted(seed, round, r.best(), optimum, lp);
                assertThat(r.best()).as(at).isLessThanOrEqualTo(optimum + 1e-9);
                assertThat(r.upperBound()).as(at).isGreaterThanOrEqualTo(optimum - 1e-9);
                assertThat(r.upperBound()).as(at).isLessThanOrEqualTo(lp * (1 + 1e-9) + 1e-12);
                if (!r.exact()) {
                    cut++;
                    if (r.upperBound() < lp * (1 - 1e-6)) {
                        belowLp++;
                    }
                }
            }
        }
        // The instances must exercise what they test: searches cut short, some of which prove more
        // than the LP (the open subtrees' bounds are all below it).
        assertThat(cut).isGreaterThan(40);
        assertThat(belowLp).isGreaterThan(0);
    }

    /** The bounded simplex against the dense tableau with a row per type bound, and its duals' Lagrangian against its value. */
    @Test
    void theKnapsackLpMatchesAnLpWithBoundRowsAndItsDualsAttainIt() {
        for (long seed = 1; seed <= 200; seed++) {
            SplittableRandom random = new SplittableRandom(seed);
            int dims = 1 + random.nextInt(5);
            int n = 1 + random.nextInt(40);
            double[][] share = new double[dims][n];
            double[] value = new double[n];
            double[] ub = new double[n];
            for (int j = 0; j < n; j++) {
                value[j] = 0.01 + random.nextDouble();
                ub[j] = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(50);
                for (int k = 0; k < dims; k++) {
                    // a fifth of sizes repeat a round share, for the ties and degenerate pivots of real requests
                    share[k][j] = random.nextInt(5) == 0 ? 0.125 : random.nextInt(8) == 0 ? 0 : random.nextDouble() / 4;
                }
            }
            KnapsackLp.Solution lp = KnapsackLp.solve(share, value, ub, 100_000);
            double expected = denseLp(share, value, ub);
            assertThat(lp.optimal()).as("seed %d", seed).isTrue();
            assertThat(lp.value()).as("seed %d", seed).isCloseTo(expected, within(1e-9 * Math.max(1, expected)));
            assertThat(KnapsackLp.lagrangian(share, value, ub, lp.mu())).as("seed %d", seed)
                    .isCloseTo(expected, within(1e-9 * Math.max(1, expected)));
        }
    }

    /** Types of 1 to 4 CPU and memory units and a pod slot each, on a node of 12 slots (small enough to enumerate). */
    private static RequestTypes randomTypes(SplittableRandom random, int n) {
        List<PodGroup> groups = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            groups.add(group("g" + i, new Resources(250L * (1 + random.nextInt(16)), 256L * (1 + random.nextInt(16)), 1, 0, 0),
                    1 + random.nextInt(8)));
        }
        NodeShape node = shape("n", new Resources(7_000 + random.nextInt(3_000), 7_000 + random.nextInt(3_000), 12, 0, 0));
        return RequestTypes.of(new PackingProblem(DemandTable.of(Workload.of(groups)), node, Resources.ZERO));
    }

    /** The pricing knapsack's LP relaxation by the dense tableau, the type bounds as rows of their own. */
    private static double lpRelaxation(RequestTypes types, double[] value, long[] ub) {
        int dims = types.dimensions();
        List<Integer> kept = new ArrayList<>();
        for (int t = 0; t < types.count(); t++) {
            if (value[t] > 0 && ub[t] > 0 && types.fits(t)) {
                kept.add(t);
            }
        }
        double[][] share = new double[dims][kept.size()];
        double[] v = new double[kept.size()];
        double[] u = new double[kept.size()];
        for (int j = 0; j < kept.size(); j++) {
            int t = kept.get(j);
            v[j] = value[t];
            u[j] = Math.min(ub[t], types.alone(t));
            for (int k = 0; k < dims; k++) {
                share[k][j] = (double) types.size(t, k) / types.capacity(k);
            }
        }
        return denseLp(share, v, u);
    }

    private static double denseLp(double[][] share, double[] value, double[] ub) {
        int dims = share.length;
        int n = value.length;
        double[] b = new double[dims + n];
        Arrays.fill(b, 0, dims, 1.0);
        System.arraycopy(ub, 0, b, dims, n);
        DenseSimplex simplex = new DenseSimplex(b);
        for (int j = 0; j < n; j++) {
            double[] a = new double[dims + n];
            for (int k = 0; k < dims; k++) {
                a[k] = share[k][j];
            }
            a[dims + j] = 1;
            simplex.addColumn(a, value[j]);
        }
        assertThat(simplex.solve(1_000_000)).isTrue();
        return simplex.objective();
    }

    private static double bruteForce(RequestTypes types, double[] value, long[] ub, int t, long[] used) {
        if (t == types.count()) {
            return 0;
        }
        double best = 0;
        for (long a = 0; a <= ub[t]; a++) {
            boolean ok = true;
            for (int k = 0; k < types.dimensions(); k++) {
                if (used[k] + a * types.size(t, k) > types.capacity(k)) {
                    ok = false;
                }
            }
            if (!ok) {
                break;
            }
            for (int k = 0; k < types.dimensions(); k++) {
                used[k] += a * types.size(t, k);
            }
            best = Math.max(best, a * value[t] + bruteForce(types, value, ub, t + 1, used));
            for (int k = 0; k < types.dimensions(); k++) {
                used[k] -= a * types.size(t, k);
            }
        }
        return best;
    }

    private static double patternValue(int[] pattern, double[] value) {
        double v = 0;
        for (int t = 0; t < pattern.length; t++) {
            v += pattern[t] * value[t];
        }
        return v;
    }

    private static boolean fits(RequestTypes types, int[] pattern, long[] ub) {
        for (int k = 0; k < types.dimensions(); k++) {
            long sum = 0;
            for (int t = 0; t < pattern.length; t++) {
                if (pattern[t] > ub[t]) {
                    return false;
                }
                sum += pattern[t] * types.size(t, k);
            }
            if (sum > types.capacity(k)) {
                return false;
            }
        }
        return true;
    }
}

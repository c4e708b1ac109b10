package io.nodesizer.pattern;

import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Whole node counts on top of the set LP bounds: by hand, and never above the exact optimum of tiny mixes. */
final class IntegerCountsTest {

    /**
     * Two shapes, $1 (capacity 4) and $1.5 (capacity 7), one cut {@code 4 y_a + 7 y_b ≥ 10}. The
     * LP reaches 10 × 1.5 / 7 ≈ 2.14; whole nodes: 2a + 1b = 3.5, 1a + 1b = 2.5 (11 ≥ 10), 0a + 2b = 3, so
     * with at least one node each 2.5, and the counts (1, 1).
     */
    @Test
    void theLeastCostOfWholeNodesByHand() {
        double[][] a = {{4, 7}};
        double[] b = {10};
        IntegerCounts.Master master = new IntegerCounts.Master(new int[] {0, 1}, new double[] {1.0, 1.5}, a, b, 1,
                new long[] {1_000_000});
        assertThat(master.solve(Double.POSITIVE_INFINITY)).isCloseTo(2.5, within(1e-12));
        assertThat(master.best).containsExactly(1, 1);
        // At least two nodes per pool: 2a + 2b = 5 holds 22; nothing cheaper meets the minimum.
        IntegerCounts.Master two = new IntegerCounts.Master(new int[] {0, 1}, new double[] {1.0, 1.5}, a, b, 2, new long[] {1_000_000});
        assertThat(two.solve(Double.POSITIVE_INFINITY)).isCloseTo(5.0, within(1e-12));
        // Below the cap nothing is claimed: the answer is the cap.
        IntegerCounts.Master capped = new IntegerCounts.Master(new int[] {0, 1}, new double[] {1.0, 1.5}, a, b, 1, new long[] {1_000_000});
        assertThat(capped.solve(2.0)).isEqualTo(2.0);
        assertThat(capped.best).isNull();
    }

    /** A second cut that the first counts break moves the answer: {@code y_a ≥ 2} (say, a resource only a offers). */
    @Test
    void everyCutIsMet() {
        double[][] a = {{4, 7}, {1, 0}};
        double[] b = {10, 2};
        IntegerCounts.Master master = new IntegerCounts.Master(new int[] {0, 1}, new double[] {1.0, 1.5}, a, b, 1, new long[] {1_000_000});
        assertThat(master.solve(Double.POSITIVE_INFINITY)).isCloseTo(3.5, within(1e-12)); // 2a (8) + 1b (7)
        assertThat(master.best).containsExactly(2, 1);
    }

    /**
     * The ranking for dives is by whole node counts, not by the LP: one cut {@code 4 y_a + 7 y_b + 9 y_c ≥ 10}
     * and the sets {a} ($1/node), {b} ($1.4), {c} ($1.8), whose LP bounds are 2.5, 2.0 and 2.0.
     * Whole nodes: a needs 3 ($3), b 2 ($2.8), c 2 ($3.6). The two most promising are b then a, and
     * under a cap of $2.9 only b.
     */
    @Test
    void theSetsOfLeastWholeCountBoundComeFirst() {
        ShapeSets sets = new ShapeSets(3, 1, 3); // {a}, {b}, {c}
        for (int shape = 0; shape < 3; shape++) {
            sets.add(new int[] {shape}, 1);
        }
        double[] lpBound = {2.5, 2.0, 2.0};
        double[] cost = {1.0, 1.4, 1.8};
        List<double[]> cuts = List.of(new double[] {4, 7, 9});
        List<Double> rhs = List.of(10.0);
        List<IntegerCounts.Ranked> two = IntegerCounts.mostPromising(sets, lpBound, cost, cuts, rhs, 1, Double.POSITIVE_INFINITY,
                new long[] {1_000_000}, 2);
        assertThat(two).extracting(IntegerCounts.Ranked::set).containsExactly(1, 0);
        assertThat(two.get(0).bound()).isCloseTo(2.8, within(1e-12));
        assertThat(two.get(1).bound()).isCloseTo(3.0, within(1e-12));
        assertThat(IntegerCounts.mostPromising(sets, lpBound, cost, cuts, rhs, 1, 2.9, new long[] {1_000_000}, 2))
                .extracting(IntegerCounts.Ranked::set).containsExactly(1);
    }

    /** Out of work: no claim at all. */
    @Test
    void aSpentBudgetClaimsNothing() {
        double[][] a = {{1, 1, 1}};
        double[] b = {1000};
        IntegerCounts.Master master = new IntegerCounts.Master(new int[] {0, 1, 2}, new double[] {1, 1.01, 1.02}, a, b, 1, new long[] {10});
        assertThat(master.solve(Double.POSITIVE_INFINITY)).isNaN();
    }

    /**
     * Tiny random mixes (at most 9 pods, three shapes with few pod slots, k = 2, pools of at least
     * m) against their exact optimum found by trying every fleet in order of cost: the set bound
     * with whole node counts never claims more than the optimum, and the mix never costs less.
     */
    @Test
    void neverAboveTheExactOptimumOfTinyMixes() {
        int checked = 0;
        for (long seed = 1; seed <= 150; seed++) {
            SplittableRandom random = new SplittableRandom(seed * 7919);
            Workload w = Fixtures.randomWorkload(seed, 2 + random.nextInt(3), 4, 3000, 5L * GIB, false);
            if (w.podCount() > 11) {
                continue;
            }
            List<NodeShape> shapes = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Resources r = new Resources(2000 + random.nextLong(7000), GIB * (2 + random.nextLong(14)), 2 + random.nextInt(5), 0, 0);
                shapes.add(new NodeShape("s" + i, "test", "test", "amd64", r, r, "none", 0.1 + random.nextInt(40) / 20.0));
            }
            List<PackingProblem> problems = Fixtures.problems(w, shapes);
            List<RequestTypes> views = RequestTypes.shared(problems);
            long rows = 0;
            for (int t = 0; t < views.get(0).count(); t++) {
                rows += views.get(0).pods(t);
            }
            if (rows < w.podCount()) {
                continue; // a pod no shape holds: no mix
            }
            for (int m : new int[] {1, 2}) {
                double exact = ExactMix.optimum(views, Fixtures.prices(shapes), 2, m);
                if (Double.isInfinite(exact)) {
                    continue;
                }
                checked++;
                List<ColumnGeneration.Shape> all = new ArrayList<>();
                long[][] capacity = new long[shapes.size()][];
                for (int s = 0; s < shapes.size(); s++) {
                    all.add(new ColumnGeneration.Shape(views.get(s), new PatternPricer(views.get(s), 1_000_000), shapes.get(s).pricePerHourUsd()));
                    capacity[s] = problems.get(s).podCapacity();
                }
                long[] demand = new long[views.get(0).count()];
                for (int t = 0; t < demand.length; t++) {
                    demand[t] = views.get(0).pods(t);
                }
                ColumnGeneration.Limits limits = PatternPacking.Limits.defaults().root(new ColumnGeneration.Effort(Long.MAX_VALUE / 4, 1));
                double[] duals = ColumnGeneration.solve(all, demand, null, new ArrayList<>(), limits, false).duals();
                SetBound.Outcome bound = SetBound.of(all, capacity, demand, new ArrayList<>(), duals, null, 2, m, Double.POSITIVE_INFINITY, limits);
                assertThat(bound.bound()).as("seed %d m %d", seed, m).isLessThanOrEqualTo(exact + 1e-9);
                MixedPools.Result mix = MixedPools.solve(problems, Fixtures.prices(shapes), null,
                        new MixedPools.Settings(2, m, 8, PatternPacking.Limits.defaults()));
                assertThat(mix.costPerHour()).as("seed %d m %d", seed, m).isGreaterThanOrEqualTo(exact - 1e-9);
                assertThat(mix.lowerBoundCostPerHour()).as("seed %d m %d", seed, m).isLessThanOrEqualTo(exact + 1e-9);
            }
        }
        assertThat(checked).isGreaterThan(60);
    }

    /** The cheapest fleet of at most k shapes, each used at least m times, that holds every pod: by trying fleets in order of cost. */
    static final class ExactMix {
        static double optimum(List<RequestTypes> views, double[] price, int k, int m) {
            int pods = 0;
            for (int t = 0; t < views.get(0).count(); t++) {
                pods += (int) views.get(0).pods(t);
            }
            int most = Math.max(m, pods);
            int n = views.size();
            List<int[]> fleets = new ArrayList<>();
            fleets(n, most, m, k, 0, new int[n], fleets);
            fleets.sort((x, y) -> Double.compare(cost(x, price), cost(y, price)));
            for (int[] fleet : fleets) {
                if (holds(views, fleet)) {
                    return cost(fleet, price);
                }
            }
            return Double.POSITIVE_INFINITY;
        }

        private static void fleets(int n, int most, int m, int k, int s, int[] y, List<int[]> out) {
            if (s == n) {
                if (Arrays.stream(y).anyMatch(v -> v > 0)) {
                    out.add(y.clone());
                }
                return;
            }
            y[s] = 0;
            fleets(n, most, m, k, s + 1, y, out);
            if (Arrays.stream(y, 0, s).filter(v -> v > 0).count() < k) {
                for (int v = m; v <= most; v++) {
                    y[s] = v;
                    fleets(n, most, m, k, s + 1, y, out);
                }
                y[s] = 0;
            }
        }

        private static double cost(int[] y, double[] price) {
            double c = 0;
            for (int s = 0; s < y.length; s++) {
                c += y[s] * price[s];
            }
            return c;
        }

        /** Whether the pods fit these nodes: every placement tried, equal pods onto non-decreasing nodes. */
        private static boolean holds(List<RequestTypes> views, int[] fleet) {
            List<Integer> shapeOf = new ArrayList<>();
            for (int s = 0; s < fleet.length; s++) {
                for (int i = 0; i < fleet[s]; i++) {
                    shapeOf.add(s);
                }
            }
            List<Integer> podType = new ArrayList<>();
            RequestTypes any = views.get(0);
            for (int t = 0; t < any.count(); t++) {
                for (int i = 0; i < any.pods(t); i++) {
                    podType.add(t);
                }
            }
            long[][] free = new long[shapeOf.size()][];
            for (int j = 0; j < free.length; j++) {
                RequestTypes v = views.get(shapeOf.get(j));
                free[j] = new long[v.dimensions()];
                for (int d = 0; d < v.dimensions(); d++) {
                    free[j][d] = v.capacity(d);
                }
            }
            return place(views, shapeOf, podType, free, 0, 0);
        }

        private static boolean place(List<RequestTypes> views, List<Integer> shapeOf, List<Integer> podType, long[][] free, int pod,
                                     int from) {
            if (pod == podType.size()) {
                return true;
            }
            int t = podType.get(pod);
            for (int j = from; j < free.length; j++) {
                RequestTypes v = views.get(shapeOf.get(j));
                if (!v.fits(t)) {
                    continue;
                }
                boolean ok = true;
                for (int d = 0; d < v.dimensions(); d++) {
                    ok &= free[j][d] >= v.size(t, d);
                }
                if (!ok) {
                    continue;
                }
                for (int d = 0; d < v.dimensions(); d++) {
                    free[j][d] -= v.size(t, d);
                }
                int next = pod + 1 < podType.size() && podType.get(pod + 1) == t ? j : 0;
                boolean done = place(views, shapeOf, podType, free, pod + 1, next);
                for (int d = 0; d < v.dimensions(); d++) {
                    free[j][d] += v.size(t, d);
                }
                if (done) {
                    return true;
                }
            }
            return false;
        }
    }
}

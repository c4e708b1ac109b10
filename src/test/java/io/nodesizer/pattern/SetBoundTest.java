package io.nodesizer.pattern;

import io.nodesizer.engine.PackingProblem;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static io.nodesizer.testkit.Fixtures.GIB;
import static io.nodesizer.testkit.Fixtures.group;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The cost LP bound per set of at most k shapes with minimum pool sizes, and the minimum rows it rests on. */
final class SetBoundTest {

    private record Setup(List<ColumnGeneration.Shape> shapes, long[][] capacity, long[] demand) {
    }

    private static Setup setup(Workload w, List<NodeShape> nodeShapes) {
        List<PackingProblem> problems = Fixtures.problems(w, nodeShapes);
        List<RequestTypes> views = RequestTypes.shared(problems);
        PatternPacking.Limits limits = PatternPacking.Limits.defaults();
        List<ColumnGeneration.Shape> shapes = new ArrayList<>();
        long[][] capacity = new long[problems.size()][];
        double[] prices = Fixtures.prices(nodeShapes);
        for (int s = 0; s < problems.size(); s++) {
            shapes.add(new ColumnGeneration.Shape(views.get(s), new PatternPricer(views.get(s), limits.pricingNodes()), prices[s]));
            capacity[s] = problems.get(s).podCapacity();
        }
        long[] demand = new long[views.get(0).count()];
        for (int t = 0; t < demand.length; t++) {
            demand[t] = views.get(0).pods(t);
        }
        return new Setup(shapes, capacity, demand);
    }

    private static ColumnGeneration.Limits limits() {
        return PatternPacking.Limits.defaults().root(new ColumnGeneration.Effort(Long.MAX_VALUE / 4, 1));
    }

    /**
     * 10 one-CPU pods; shape a (4 CPU, $1) and b (8 CPU, $1.8). Free LP: b alone, 10/8 × 1.8 =
     * 2.25. At least two a: 2 × 1 holds 8 pods, the other 2 on b at 2/8 × 1.8 = 0.45: 2.45. At
     * least two of each: 2 + 3.6 = 5.6 (room for 24 pods).
     */
    @Test
    void minimumRowsRaiseTheLpAndItsBoundByHand() {
        Workload w = Workload.of(List.of(group("web", 1000, GIB / 4, 10)));
        Setup s = setup(w, List.of(Fixtures.priced("a", 4000, 4 * GIB, 0, 1.0), Fixtures.priced("b", 8000, 8 * GIB, 0, 1.8)));
        double[][] cases = {{0, 0, 2.25}, {2, 0, 2.45}, {2, 2, 5.6}, {0, 3, 5.4}};
        for (double[] c : cases) {
            long[] min = {(long) c[0], (long) c[1]};
            ColumnGeneration.Outcome o = ColumnGeneration.solve(s.shapes(), s.demand(), min, new ArrayList<>(), limits(), false);
            assertThat(o.lpValue()).as("min %s", java.util.Arrays.toString(min)).isCloseTo(c[2], within(1e-6));
            assertThat(o.bound()).as("min %s", java.util.Arrays.toString(min)).isCloseTo(c[2], within(1e-6));
            assertThat(o.bound()).isLessThanOrEqualTo(o.lpValue() + 1e-9);
        }
    }

    /** A dive with minimum rows ends with every shape at its minimum, pods or not. */
    @Test
    void divesMeetTheMinimumWithEmptyNodesWhereNoPodIsLeft() {
        Workload w = Workload.of(List.of(group("web", 1000, GIB / 4, 10)));
        Setup s = setup(w, List.of(Fixtures.priced("a", 4000, 4 * GIB, 0, 1.0), Fixtures.priced("b", 8000, 8 * GIB, 0, 1.8)));
        long[] min = {2, 2};
        List<ColumnGeneration.Column> pool = new ArrayList<>();
        ColumnGeneration.Outcome root = ColumnGeneration.solve(s.shapes(), s.demand(), min, pool, limits(), false);
        Diving diving = new Diving(s.shapes(), pool, limits(), 100, false);
        for (Diving.Rule rule : Diving.Rule.values()) {
            List<ColumnGeneration.Column> nodes = diving.dive(root, s.demand(), min, rule, Double.POSITIVE_INFINITY);
            assertThat(nodes.stream().filter(c -> c.shape() == 0).count()).as("%s", rule).isGreaterThanOrEqualTo(2);
            assertThat(nodes.stream().filter(c -> c.shape() == 1).count()).as("%s", rule).isGreaterThanOrEqualTo(2);
            assertThat(nodes.stream().mapToInt(c -> c.counts()[0]).sum()).isEqualTo(10);
        }
    }

    /**
     * One 16-CPU pod that only l (32 CPU, $2) holds, and 20 one-CPU pods cheaper on s (4 CPU,
     * $0.2). The LP over both: l once for the big pod and 16 small ones, one s for the rest, $2.2.
     * With two nodes per pool every mix pays for two l ($4), which hold everything: set {l} gives
     * $4, set {l, s} $4.4, so the bound is $4 — and the mix finds it.
     */
    @Test
    void theBoundSeesThatTheOnlyCarrierOfABigPodRunsTwoNodes() {
        Workload w = Workload.of(List.of(group("big", 16_000, GIB, 1), group("web", 1000, GIB / 4, 20)));
        List<NodeShape> shapes = List.of(Fixtures.priced("l", 32_000, 64 * GIB, 0, 2.0), Fixtures.priced("s", 4000, 8 * GIB, 0, 0.2));
        Setup s = setup(w, shapes);
        double[] duals = ColumnGeneration.solve(s.shapes(), s.demand(), null, new ArrayList<>(), limits(), false).duals();
        SetBound.Outcome free = SetBound.of(s.shapes(), s.capacity(), s.demand(), new ArrayList<>(), duals, null, 2, 1, Double.POSITIVE_INFINITY,
                limits());
        assertThat(free.bound()).isCloseTo(2.2, within(1e-6));
        SetBound.Outcome two = SetBound.of(s.shapes(), s.capacity(), s.demand(), new ArrayList<>(), duals, null, 2, 2, Double.POSITIVE_INFINITY,
                limits());
        assertThat(two.bound()).isCloseTo(4.0, within(1e-6));
        MixedPools.Result mix = MixedPools.solve(Fixtures.problems(w, shapes), Fixtures.prices(shapes), null,
                new MixedPools.Settings(2, 2, 8, PatternPacking.Limits.defaults()));
        assertThat(mix.costPerHour()).isCloseTo(4.0, within(1e-9));
        assertThat(mix.lowerBoundCostPerHour()).isCloseTo(4.0, within(1e-6));
    }

    /** Dominated shapes take no part: a dearer shape with less room and the same fits is left out. */
    @Test
    void dominatedShapesAreLeftOut() {
        Workload w = Workload.of(List.of(group("web", 1000, GIB, 10)));
        Setup s = setup(w, List.of(Fixtures.priced("a", 8000, 16 * GIB, 0, 1.0), Fixtures.priced("worse", 4000, 8 * GIB, 0, 1.0),
                Fixtures.priced("twin", 8000, 16 * GIB, 0, 1.0), Fixtures.priced("cheap", 2000, 4 * GIB, 0, 0.2)));
        assertThat(SetBound.nonDominated(s.shapes(), s.capacity(), s.demand())).containsExactly(0, 3);
    }

    /**
     * The sets were one long each, fields of (index + 1) 5 bits wide for 16 shapes: 12 fit, so a set
     * of 13 to 16 of them did not, and the bound for k ≥ 13 was given up (0) though the 2^16 − 1
     * sets are few. A set of 100 shapes (7-bit fields, 700 bits) comes back whole.
     */
    @Test
    void setsOfAnySizeAreKept() {
        ShapeSets sets = new ShapeSets(100, 100, 1);
        int[] all = java.util.stream.IntStream.range(0, 100).toArray();
        sets.add(all, all.length);
        sets.add(new int[] {5, 99}, 2);
        assertThat(sets.size()).isEqualTo(2);
        assertThat(sets.members(0)).containsExactly(all);
        assertThat(sets.members(1)).containsExactly(5, 99);
    }

    /**
     * 16 shapes none of which dominates another (each has more CPU and less memory than the one
     * before), every one holding the pods: every one of the 2^16 − 1 non-empty sets covers them.
     * With k = 16 and no minimum, the set of all 16 is the LP over all shapes, and no set is
     * below it: the bound is that LP's (before: 0, the sets did not fit a long).
     */
    @Test
    void theBoundHoldsForSetsOfMoreShapesThanFitALong() {
        Workload w = Workload.of(List.of(group("web", 1000, 2 * GIB, 16)));
        List<NodeShape> shapes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            long cpus = 2 + i;
            long gibs = 34 - 2 * i;
            shapes.add(Fixtures.priced("s" + i, cpus * 1000, gibs * GIB, 0, 0.04 * cpus + 0.005 * gibs));
        }
        Setup s = setup(w, shapes);
        int[] useful = SetBound.nonDominated(s.shapes(), s.capacity(), s.demand());
        assertThat(useful).hasSize(16);
        assertThat(SetBound.coveringSets(s.shapes(), useful, s.demand(), 16).size()).isEqualTo((1 << 16) - 1);
        ColumnGeneration.Outcome free = ColumnGeneration.solve(s.shapes(), s.demand(), null, new ArrayList<>(), limits(), false);
        SetBound.Outcome b = SetBound.of(s.shapes(), s.capacity(), s.demand(), new ArrayList<>(), free.duals(), null, 16, 1,
                Double.POSITIVE_INFINITY, limits());
        assertThat(free.bound()).isPositive();
        assertThat(b.bound()).isBetween(free.bound() - 1e-9, free.lpValue() + 1e-6);
    }

    /**
     * Random workloads and shapes, k = 2, m = 2: the bound never exceeds the mix (which the
     * verifier-backed solve found), nor falls below the LP over all shapes.
     */
    @Test
    void theBoundStaysBetweenTheFreeLpAndTheMix() {
        for (long seed = 1; seed <= 10; seed++) {
            Workload w = Fixtures.randomWorkload(seed, 3 + (int) (seed % 6), 15, 7000, 30L * GIB, false);
            List<NodeShape> shapes = List.of(Fixtures.priced("s", 8000, 16 * GIB, 0, 0.40), Fixtures.priced("m", 16000, 64 * GIB, 0, 0.90),
                    Fixtures.priced("l", 32000, 128 * GIB, 0, 1.70), Fixtures.priced("c", 16000, 32 * GIB, 0, 0.70));
            for (int m : new int[] {1, 2, 3}) {
                MixedPools.Result mix = MixedPools.solve(Fixtures.problems(w, shapes), Fixtures.prices(shapes), null,
                        new MixedPools.Settings(2, m, 8, PatternPacking.Limits.defaults()));
                Setup s = setup(w, shapes);
                ColumnGeneration.Outcome free = ColumnGeneration.solve(s.shapes(), s.demand(), null, new ArrayList<>(), limits(), false);
                SetBound.Outcome b = SetBound.of(s.shapes(), s.capacity(), s.demand(), new ArrayList<>(), free.duals(), null, 2, m,
                        Double.POSITIVE_INFINITY, limits());
                assertThat(b.bound()).as("seed %d m %d", seed, m).isLessThanOrEqualTo(mix.costPerHour() + 1e-9);
                assertThat(b.bound()).as("seed %d m %d", seed, m).isGreaterThanOrEqualTo(free.bound() - 1e-9);
                assertThat(mix.lowerBoundCostPerHour()).isLessThanOrEqualTo(mix.costPerHour() + 1e-9);
                for (int n : mix.nodesPerShape(shapes.size())) {
                    assertThat(n == 0 || n >= m).as("seed %d m %d", seed, m).isTrue();
                }
            }
        }
    }
}

package io.nodesizer.pattern;

import io.nodesizer.bound.LowerBound;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.nodesizer.testkit.Fixtures.group;
import static io.nodesizer.testkit.Fixtures.shape;
import static org.assertj.core.api.Assertions.assertThat;

final class PatternPackingTest {

    private static PackingProblem problem(List<PodGroup> groups, NodeShape node) {
        return new PackingProblem(DemandTable.of(Workload.of(groups)), node, Resources.ZERO);
    }

    /**
     * QA 71b F5: 100 items of 150–200 on bins of 1,000 (Schwerin-like: five or six to a bin, sizes nearly all distinct).
     * Branch and bound cut its pricing short there (millions of near-equal subsets), so column generation stopped with
     * the LP unproven and Farley's bound below L1 (198 of BPPLIB's 200 Schwerin instances); CPU alone decides what fits,
     * so the table prices exactly and the LP converges, its bound the ceiling of its value and at least L1.
     */
    @Test
    void whereOneResourceDecidesTheLpConvergesAtLeastAtTheVolume() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(72);
        List<PodGroup> items = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(group("item-" + i, new Resources(150 + random.nextInt(51), 0, 1, 0, 0), 1));
        }
        PackingProblem p = problem(items, shape("bin", new Resources(1000, 0, 100, 0, 0)));
        int l1 = LowerBounds.compute(p).parts().stream().filter(part -> part.method().equals("L1(cpu)")).findFirst().orElseThrow().value();
        PatternPacking.Outcome o = PatternPacking.bound(p, PatternPacking.Limits.defaults());
        assertThat(o.converged()).isTrue();
        assertThat(o.lpBound()).isEqualTo((int) Math.ceil(o.lpValue() - 1e-6)).isGreaterThanOrEqualTo(l1);
    }

    /**
     * The LP's bound is never below the volume, even where its pricing is cut short at once (one search node a call, two
     * resources that both bind, so no table): Farley's bound alone then says little, the volume bound of the LP (every
     * pattern within a node) still says L1.
     */
    @Test
    void theLpBoundIsNeverBelowTheVolumeEvenWithItsPricingCutShort() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        List<PodGroup> groups = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            groups.add(group("g" + i, new Resources(100 + random.nextInt(900), 100 + random.nextInt(900), 1, 0, 0), 1 + random.nextInt(4)));
        }
        PackingProblem p = problem(groups, shape("n", new Resources(2000, 2000, 110, 0, 0)));
        PatternPacking.Limits d = PatternPacking.Limits.defaults();
        PatternPacking.Limits starved = new PatternPacking.Limits(d.maxDiveSteps(), d.rootRounds(), d.stepRounds(), d.columnsPerRound(), 1,
                d.pivotsPerRound(), d.maxTypes(), d.largestRuleMaxNodes(), d.simplexWork());
        int l1 = LowerBounds.compute(p).parts().stream().filter(part -> part.method().startsWith("L1(")).mapToInt(LowerBound.Part::value)
                .max().orElseThrow();
        assertThat(PatternPacking.bound(p, starved).lpBound()).isGreaterThanOrEqualTo(l1);
    }

    /**
     * Three pods of (50 CPU, 10 mem) and three of (10, 50) on (100, 100) nodes: no node holds
     * three pods (A+A+B needs 110 CPU, A+B+B 110 memory), so six pods need three nodes. L1 is
     * ⌈180/100⌉ = 2 on both resources and L2 is 2 too (no pod is above half a node); the pattern
     * LP (every pattern holds at most two pods) is exactly 3.
     */
    @Test
    void theLpBoundSeesWhatVolumeBoundsCannot() {
        PackingProblem p = problem(List.of(group("a", new Resources(50, 10, 1, 0, 0), 3),
                group("b", new Resources(10, 50, 1, 0, 0), 3)), shape("n", new Resources(100, 100, 110, 0, 0)));
        assertThat(LowerBounds.compute(p).value()).isEqualTo(2);
        PatternPacking.Outcome o = PatternPacking.bound(p, PatternPacking.Limits.defaults());
        assertThat(o.lpBound()).isEqualTo(3);
        assertThat(o.converged()).isTrue();
        assertThat(o.lpValue()).isEqualTo(3.0);
    }

    /**
     * Two perfect triplets, 49+26+25 and 48+27+25, on nodes of 100 CPU: first-fit decreasing puts
     * 49 and 48 together and needs 3 nodes; the pattern method finds the 2 of the optimum.
     */
    @Test
    void divingFindsPerfectTripletsThatFirstFitDecreasingMisses() {
        List<PodGroup> groups = new java.util.ArrayList<>();
        long[] sizes = {49, 48, 27, 26, 25, 25};
        for (int i = 0; i < sizes.length; i++) {
            groups.add(group("item" + i, sizes[i], 0, 1));
        }
        PackingProblem p = problem(groups, shape("n", new Resources(100, 0, 10, 0, 0)));
        PackingResult ffd = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
        assertThat(ffd.nodeCount()).isEqualTo(3);
        PatternPacking.Outcome o = PatternPacking.pack(p, PatternPacking.Limits.defaults(), ffd.nodeCount(), ffd.lowerBound().value());
        assertThat(o.nodes()).isEqualTo(2);
        PackingResult r = PackingEngine.fromAssignment(p, "optimize", o.nodes(), o.assignment(), ffd.lowerBound(), 0);
        assertThat(r.nodeCount()).isEqualTo(2);
    }

    /** Random workloads: the LP bound never exceeds a packing, packings verify, and runs repeat exactly. */
    @Test
    void randomWorkloadsGiveValidBoundsVerifiedPackingsAndTheSameResultTwice() {
        for (long seed = 1; seed <= 25; seed++) {
            Workload w = Fixtures.randomWorkload(seed, 3 + (int) (seed % 17), 30, 6000, 24L * Fixtures.GIB, seed % 3 == 0);
            NodeShape node = new NodeShape("n", "test", "test", "amd64", new Resources(16_000, 64 * Fixtures.GIB, 30, 4000, 0),
                    new Resources(16_000, 64 * Fixtures.GIB, 30, 4000, 0), "none", 1.0);
            PackingProblem p = new PackingProblem(DemandTable.of(w), node, Resources.ZERO);
            LowerBound bound = LowerBounds.compute(p);
            PackingResult ffd = PackingEngine.pack(p, PackingStrategies.FFD.create(), 1);
            PatternPacking.Outcome o = PatternPacking.pack(p, PatternPacking.Limits.defaults(), ffd.nodeCount() + 1, bound.value());
            assertThat(o.lpBound()).as("seed %d", seed).isLessThanOrEqualTo(ffd.nodeCount());
            assertThat(o.nodes()).isBetween(Math.max(o.lpBound(), bound.value()), ffd.nodeCount());
            LowerBound withLp = bound.with(new LowerBound.Part("LP", o.lpBound()));
            PackingEngine.fromAssignment(p, "optimize", o.nodes(), o.assignment(), withLp, 0); // verifies
            PatternPacking.Outcome again = PatternPacking.pack(p, PatternPacking.Limits.defaults(), ffd.nodeCount() + 1, bound.value());
            assertThat(again.assignment()).isEqualTo(o.assignment());
        }
    }

    @Test
    void nothingToPackIsZeroNodes() {
        PackingProblem p = problem(List.of(group("huge", 10_000, 0, 2)), shape("n", new Resources(100, 100, 10, 0, 0)));
        PatternPacking.Outcome o = PatternPacking.pack(p, PatternPacking.Limits.defaults(), 0, 0);
        assertThat(o.lpBound()).isZero();
        assertThat(o.nodes()).isZero();
    }
}

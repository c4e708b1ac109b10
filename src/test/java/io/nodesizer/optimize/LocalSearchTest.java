package io.nodesizer.optimize;

import ai.timefold.solver.core.config.solver.EnvironmentMode;
import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingVerifier;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

final class LocalSearchTest {
    private static final LocalSearch.Limits SMALL = new LocalSearch.Limits(3_000, 1_000, null);

    /** One-dimensional items (CPU millicores) on nodes with 100m CPU and room for 110 pods. */
    private static PackingProblem oneDimensional(long... sizes) {
        List<PodGroup> groups = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            groups.add(Fixtures.group("item" + i, new Resources(sizes[i], 0, 1, 0, 0), 1));
        }
        NodeShape shape = Fixtures.shape("bin", new Resources(100, 0, 110, 0, 0));
        return new PackingProblem(DemandTable.of(Workload.of(groups)), shape, Resources.ZERO);
    }

    private static PackingResult ffd(PackingProblem problem) {
        return PackingEngine.pack(problem, PackingStrategies.FFD.create(), 1);
    }

    private static PackingProblem randomProblem(long seed) {
        Workload workload = Fixtures.randomWorkload(seed, 40, 6, 6_000, 24 * Fixtures.GIB, true);
        NodeShape shape = Fixtures.shape("n", new Resources(16_000, 64 * Fixtures.GIB, 30, 4_000, 0));
        return new PackingProblem(DemandTable.of(workload), shape, Resources.ZERO);
    }

    @Test
    void reachesTheBoundWhereFirstFitDecreasingNeedsAnExtraNode() {
        // The items sum to 200 and split exactly into {65, 21, 14} and {31, 26, 22, 15, 6}, so 2 nodes
        // are optimal and the volume bound is 2. FFD puts 65+31 = 96 on node 0 and 26+22+21+15+14 = 98
        // on node 1; the 6 fits neither and opens node 2.
        PackingProblem problem = oneDimensional(65, 31, 26, 22, 21, 15, 14, 6);
        PackingResult start = ffd(problem);
        assertThat(start.nodeCount()).isEqualTo(3);
        assertThat(start.lowerBound().value()).isEqualTo(2);

        LocalSearch.Run run = LocalSearch.run(start, start.lowerBound(), SMALL, 7, "ffd+ls", EnvironmentMode.PHASE_ASSERT);

        PackingResult result = run.result();
        assertThat(result.nodeCount()).isEqualTo(2);
        assertThat(result.strategy()).isEqualTo("ffd+ls");
        assertThat(result.lowerBound()).isEqualTo(start.lowerBound());
        assertThat(run.steps()).isLessThan((int) SMALL.stepLimit()); // stopped at the bound, not the step limit
        PackingVerifier.verify(result);
    }

    @Test
    void sameSeedGivesTheSameAssignment() {
        PackingResult start = ffd(randomProblem(11));
        PackingResult first = LocalSearch.improve(start, start.lowerBound(), SMALL, 99, "ls");
        PackingResult second = LocalSearch.improve(start, start.lowerBound(), SMALL, 99, "ls");
        assertThat(second.assignment()).isEqualTo(first.assignment());
        assertThat(second.nodeLoad()).isEqualTo(first.nodeLoad());
        assertThat(second.nodeCount()).isEqualTo(first.nodeCount());
    }

    @Test
    void neverReturnsMoreNodesThanTheStartAndAlwaysVerifies() {
        for (long seed = 1; seed <= 4; seed++) {
            PackingResult start = ffd(randomProblem(seed));
            PackingResult result = LocalSearch.run(start, start.lowerBound(), SMALL, seed, "ls",
                    EnvironmentMode.PHASE_ASSERT).result();
            assertThat(result.nodeCount()).as("seed %d", seed).isLessThanOrEqualTo(start.nodeCount())
                    .isGreaterThanOrEqualTo(start.lowerBound().value());
            PackingVerifier.verify(result);
        }
    }

    @Test
    void returnsTheStartAtOnceWhenItAlreadyMeetsTheBound() {
        // 50+50 and 40+40+20: FFD finds the 2 nodes the volume bound asks for.
        PackingResult start = ffd(oneDimensional(50, 50, 40, 40, 20));
        assertThat(start.nodeCount()).isEqualTo(start.lowerBound().value()).isEqualTo(2);

        LocalSearch.Run run = LocalSearch.run(start, start.lowerBound(), LocalSearch.Limits.defaults(), 1, "ls");

        assertThat(run.steps()).isZero();
        assertThat(run.result().assignment()).isEqualTo(start.assignment());
        assertThat(run.result().nodeLoad()).isEqualTo(start.nodeLoad());
        assertThat(run.result().strategy()).isEqualTo("ls");
    }

    @Test
    void keepsUnschedulablePodsUnplaced() {
        // The 150m item fits no 100m node; it stays at -1 and is reported, as in the start.
        PackingProblem problem = oneDimensional(65, 31, 26, 22, 21, 15, 14, 6, 150);
        PackingResult start = ffd(problem);
        PackingResult result = LocalSearch.improve(start, LowerBounds.compute(problem), SMALL, 3, "ls");
        assertThat(result.assignment()[8]).isEqualTo(-1);
        assertThat(result.unschedulable()).isEqualTo(start.unschedulable());
        assertThat(result.nodeCount()).isEqualTo(2);
    }

    @Test
    void rejectsABoundAboveTheStartNodeCount() {
        PackingResult start = ffd(oneDimensional(50, 50, 40, 40, 20));
        io.nodesizer.bound.LowerBound tooHigh = new io.nodesizer.bound.LowerBound(3, "test", List.of());
        assertThatThrownBy(() -> LocalSearch.improve(start, tooHigh, SMALL, 1, "ls"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not exceed");
    }

    @Test
    void limitsRejectNonPositiveAndOversizedStepCounts() {
        assertThatThrownBy(() -> new LocalSearch.Limits(0, 10, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("stepLimit (0)");
        assertThatThrownBy(() -> new LocalSearch.Limits(10, -1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalSearch.Limits(1L << 40, 10, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalSearch.Limits(10, 10, java.time.Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

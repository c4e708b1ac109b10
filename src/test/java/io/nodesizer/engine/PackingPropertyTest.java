package io.nodesizer.engine;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

import static io.nodesizer.testkit.Fixtures.GIB;
import static org.assertj.core.api.Assertions.assertThat;

/** Seeded random instances: every strategy's result verifies, and the bound never exceeds it. */
final class PackingPropertyTest {

    private static final NodeShape[] SHAPES = {
        Fixtures.shape("small", new Resources(2000, 4 * GIB, 12, 0, 0)),
        Fixtures.shape("mid", new Resources(8000, 32 * GIB, 110, 2000, 0)),
        Fixtures.shape("wide", new Resources(32000, 64 * GIB, 30, 8000, 0)),
    };

    @Test
    void everyStrategyVerifiesAndRespectsTheBoundOnRandomInstances() {
        for (long seed = 1; seed <= 150; seed++) {
            Workload w = Fixtures.randomWorkload(seed, 1 + (int) (seed % 40), 12, 6000, 24 * GIB, seed % 3 == 0);
            NodeShape shape = SHAPES[(int) (seed % SHAPES.length)];
            Resources ds = seed % 4 == 0 ? new Resources(200, GIB / 4, 2, 0, 0) : Resources.ZERO;
            PackingProblem problem = new PackingProblem(DemandTable.of(w), shape, ds);
            for (PackingStrategies s : PackingStrategies.values()) {
                PackingResult r = PackingEngine.pack(problem, s.create(), seed); // verifies, throws on a bug
                assertThat(r.nodeCount()).as("seed %d %s", seed, s).isGreaterThanOrEqualTo(r.lowerBound().value());
                assertThat(r.unschedulablePodCount() + placed(r)).isEqualTo(w.podCount());
            }
        }
    }

    @Test
    void sameSeedGivesTheSameAssignment() {
        Workload w = Fixtures.randomWorkload(7, 30, 20, 3000, 8 * GIB, false);
        NodeShape shape = SHAPES[1];
        for (PackingStrategies s : PackingStrategies.values()) {
            int[] a = PackingTestSupport.pack(w, shape, Resources.ZERO, s.strategyName(), 99).assignment();
            int[] b = PackingTestSupport.pack(w, shape, Resources.ZERO, s.strategyName(), 99).assignment();
            assertThat(a).as(s.strategyName()).isEqualTo(b);
        }
    }

    @Test
    void sortedStrategiesDoNotDependOnInputOrderOfDistinctPods() {
        // With pairwise distinct pods the decreasing order is total, so the node count cannot change.
        Workload w = Fixtures.randomWorkload(11, 60, 1, 4000, 12 * GIB, false);
        List<io.nodesizer.model.PodGroup> shuffled = new ArrayList<>(w.groups());
        Collections.shuffle(shuffled, new java.util.Random(5));
        for (String s : List.of("ffd", "bfd", "dot-product")) {
            int a = PackingTestSupport.pack(w, SHAPES[1], s).nodeCount();
            int b = PackingTestSupport.pack(Workload.of(shuffled), SHAPES[1], s).nodeCount();
            assertThat(b).as(s).isEqualTo(a);
        }
    }

    @Test
    void addingAPodNeverLowersTheBound() {
        SplittableRandom random = new SplittableRandom(3);
        for (int trial = 0; trial < 60; trial++) {
            Workload w = Fixtures.randomWorkload(trial, 1 + random.nextInt(30), 5, 5000, 20 * GIB, trial % 2 == 0);
            Workload more = w.plus(Workload.of(List.of(Fixtures.group("extra", 1 + random.nextLong(7000), GIB, 1))));
            int before = new PackingEngineBound(w).value();
            int after = new PackingEngineBound(more).value();
            assertThat(after).isGreaterThanOrEqualTo(before);
        }
    }

    private record PackingEngineBound(Workload w) {
        int value() {
            return io.nodesizer.bound.LowerBounds.compute(new PackingProblem(DemandTable.of(w), SHAPES[1], Resources.ZERO)).value();
        }
    }

    private static int placed(PackingResult r) {
        return (int) Arrays.stream(r.assignment()).filter(n -> n >= 0).count();
    }
}

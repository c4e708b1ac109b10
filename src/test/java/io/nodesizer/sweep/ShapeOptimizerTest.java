package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingVerifier;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.testkit.Fixtures;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

final class ShapeOptimizerTest {

    /**
     * Random workloads: with the optimizer the packing is never worse than the best heuristic,
     * never below its (possibly LP-raised) bound, verifies, and repeats exactly for the same seed.
     */
    @Test
    void optimizeIsNeverWorseThanTheHeuristicsAndRepeatsExactly() {
        NodeShape node = new NodeShape("n", "test", "test", "amd64", new Resources(16_000, 64 * Fixtures.GIB, 40, 4000, 0),
                new Resources(16_000, 64 * Fixtures.GIB, 40, 4000, 0), "none", 1.0);
        int optimized = 0;
        for (long seed = 1; seed <= 15; seed++) {
            Workload w = Fixtures.randomWorkload(seed, 3 + (int) (seed % 20), 25, 9000, 40L * Fixtures.GIB, seed % 2 == 0);
            List<PackingStrategies> heuristics = List.of(PackingStrategies.FFD, PackingStrategies.BFD, PackingStrategies.DOT_PRODUCT);
            ShapeEvaluation plain = new ShapeEvaluator(DemandTable.of(w), List.of(), heuristics, seed).evaluate(node).evaluation();
            ShapeEvaluator optimizing = new ShapeEvaluator(DemandTable.of(w), List.of(), heuristics, seed,
                    ShapeEvaluator.OptimizeMode.ALWAYS, ShapeOptimizer.Settings.defaults());
            ShapeEvaluator.Outcome o = optimizing.evaluate(node);
            PackingVerifier.verify(o.best());
            assertThat(o.evaluation().nodes()).as("seed %d", seed).isLessThanOrEqualTo(plain.nodes());
            assertThat(o.evaluation().lowerBound().value()).isGreaterThanOrEqualTo(plain.lowerBound().value());
            assertThat(o.evaluation().nodes()).isGreaterThanOrEqualTo(o.evaluation().lowerBound().value());
            assertThat(o.evaluation().optimized()).isEqualTo(plain.nodes() > plain.lowerBound().value());
            assertThat(optimizing.evaluate(node).best().assignment()).isEqualTo(o.best().assignment());
            optimized += o.evaluation().optimized() ? 1 : 0;
        }
        assertThat(optimized).as("workloads where the heuristics left a gap").isGreaterThanOrEqualTo(5);
    }
}

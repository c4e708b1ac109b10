package io.nodesizer.rightsize;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;
import io.nodesizer.sweep.ProgressListener;
import io.nodesizer.sweep.ShapeEvaluation;
import io.nodesizer.sweep.ShapeEvaluator;
import io.nodesizer.sweep.ShapeOptimizer;
import io.nodesizer.sweep.ShapeSweep;

import java.util.List;

/**
 * What the new requests do to the cluster: the same candidate shapes ranked for the workload
 * before and after, with the same engine and settings.
 *
 * @param before             the best shape for today's requests
 * @param after              the best shape for the recommended requests
 * @param afterOnBeforeShape the recommended requests on today's best shape (like for like: nodes saved without changing shape)
 */
public record Impact(ShapeEvaluation before, ShapeEvaluation after, ShapeEvaluation afterOnBeforeShape) {

    public static Impact of(Workload before, Workload after, List<NodeShape> shapes, List<PackingStrategies> strategies, long seed,
                            int threads, ProgressListener progress, ShapeEvaluator.OptimizeMode mode, ShapeOptimizer.Settings settings) {
        List<ShapeEvaluation> b = ShapeSweep.run(before, shapes, strategies, seed, threads, progress, mode, settings);
        List<ShapeEvaluation> a = ShapeSweep.run(after, shapes, strategies, seed, threads, progress, mode, settings);
        ShapeEvaluation best = b.get(0);
        ShapeEvaluation same = a.stream().filter(e -> e.shape().name().equals(best.shape().name())).findFirst().orElseThrow();
        return new Impact(best, a.get(0), same);
    }

    /** The saving per hour of the best shape after against before; null when a price is unknown. */
    public Double savingPerHour() {
        return before.costPerHour() == null || after.costPerHour() == null ? null : before.costPerHour() - after.costPerHour();
    }
}

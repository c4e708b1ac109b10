package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Evaluates a workload on many shapes, in parallel, and ranks them. Each shape is an independent
 * run; results are collected by shape index (never completion order) and sorted by a total order,
 * so the output does not depend on the number of threads.
 */
public final class ShapeSweep {
    private ShapeSweep() {
    }

    /**
     * Ranking: fully schedulable shapes first; then monthly cost (unpriced shapes after priced
     * ones); then fewer nodes; then shape name.
     */
    public static final Comparator<ShapeEvaluation> RANKING = Comparator
            .comparing((ShapeEvaluation e) -> e.complete() ? 0 : 1)
            .thenComparingInt(ShapeEvaluation::unschedulableCount)
            .thenComparing(e -> e.costPerMonth() == null ? Double.MAX_VALUE : e.costPerMonth())
            .thenComparingInt(ShapeEvaluation::nodes)
            .thenComparing(e -> e.shape().name());

    public static List<ShapeEvaluation> run(Workload workload, List<NodeShape> shapes, List<PackingStrategies> strategies,
                                            long seed, int threads, ProgressListener progress) {
        DemandTable table = DemandTable.of(workload);
        ShapeEvaluator evaluator = new ShapeEvaluator(table, workload.daemonSets(), strategies, seed);
        List<ShapeEvaluation> results = Parallel.map(shapes.size(), threads,
                i -> evaluator.evaluate(shapes.get(i)).evaluation(), progress);
        List<ShapeEvaluation> ranked = new ArrayList<>(results);
        ranked.sort(RANKING);
        return ranked;
    }
}

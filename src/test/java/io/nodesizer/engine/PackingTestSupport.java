package io.nodesizer.engine;

import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;

/** Shortcuts for engine tests: pack a workload on a shape with a named strategy, verified. */
public final class PackingTestSupport {
    private PackingTestSupport() {
    }

    public static PackingResult pack(Workload workload, NodeShape shape, String strategy) {
        return pack(workload, shape, Resources.ZERO, strategy, 42);
    }

    public static PackingResult pack(Workload workload, NodeShape shape, Resources daemonSets, String strategy, long seed) {
        PackingProblem problem = new PackingProblem(DemandTable.of(workload), shape, daemonSets);
        return PackingEngine.pack(problem, PackingStrategies.byName(strategy).create(), seed);
    }
}

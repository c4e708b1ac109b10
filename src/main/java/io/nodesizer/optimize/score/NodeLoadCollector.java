package io.nodesizer.optimize.score;

import ai.timefold.solver.core.api.score.stream.uni.UniConstraintCollector;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.optimize.domain.Pod;

import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Sums the demand vectors of the pods in a group into a {@link NodeLoad}: one collector for every
 * resource, so the capacity constraint stays generic over {@link io.nodesizer.model.Resource}
 * (a groupBy takes at most four collectors, and there are five resources). Incremental: adding a
 * pod returns the undo that subtracts it.
 */
final class NodeLoadCollector implements UniConstraintCollector<Pod, long[], NodeLoad> {
    static final NodeLoadCollector INSTANCE = new NodeLoadCollector();

    private NodeLoadCollector() {
    }

    @Override
    public Supplier<long[]> supplier() {
        return () -> new long[DemandTable.D];
    }

    @Override
    public BiFunction<long[], Pod, Runnable> accumulator() {
        return (sum, pod) -> {
            long[] demand = pod.getDemand().amounts();
            for (int r = 0; r < DemandTable.D; r++) {
                sum[r] += demand[r];
            }
            return () -> {
                for (int r = 0; r < DemandTable.D; r++) {
                    sum[r] -= demand[r];
                }
            };
        };
    }

    @Override
    public Function<long[], NodeLoad> finisher() {
        // A fresh copy: the container keeps changing, the result handed downstream must not.
        return sum -> new NodeLoad(sum.clone());
    }
}

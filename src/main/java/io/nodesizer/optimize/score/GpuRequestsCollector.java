package io.nodesizer.optimize.score;

import ai.timefold.solver.core.api.score.stream.uni.UniConstraintCollector;
import io.nodesizer.optimize.domain.Pod;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Collects the GPU requests of a node's pods as a multiset (request → pods), incrementally: adding
 * a pod returns the undo that removes it. The finisher lists them in ascending order, so equal
 * multisets give equal {@link GpuRequests}.
 */
final class GpuRequestsCollector implements UniConstraintCollector<Pod, TreeMap<Long, int[]>, GpuRequests> {
    static final GpuRequestsCollector INSTANCE = new GpuRequestsCollector();
    private static final int GPU = io.nodesizer.model.Resource.GPU.ordinal();

    private GpuRequestsCollector() {
    }

    @Override
    public Supplier<TreeMap<Long, int[]>> supplier() {
        return TreeMap::new;
    }

    @Override
    public BiFunction<TreeMap<Long, int[]>, Pod, Runnable> accumulator() {
        return (set, pod) -> {
            long g = pod.getDemand().amounts()[GPU];
            set.computeIfAbsent(g, k -> new int[1])[0]++;
            return () -> {
                int[] c = set.get(g);
                if (--c[0] == 0) {
                    set.remove(g);
                }
            };
        };
    }

    @Override
    public Function<TreeMap<Long, int[]>, GpuRequests> finisher() {
        return set -> {
            int n = 0;
            for (int[] c : set.values()) {
                n += c[0];
            }
            long[] out = new long[n];
            int i = 0;
            for (Map.Entry<Long, int[]> e : set.entrySet()) {
                for (int k = 0; k < e.getValue()[0]; k++) {
                    out[i++] = e.getKey();
                }
            }
            return new GpuRequests(out);
        };
    }
}

package io.nodesizer.model;

import java.util.List;
import java.util.Objects;

/**
 * Everything read from the user's inputs: pod groups in input order (the arrival order for the
 * online strategies), DaemonSets (per-node overhead) and the objects that were recognised but
 * not packed.
 */
public record Workload(List<PodGroup> groups, List<DaemonSetSpec> daemonSets, List<IgnoredObject> ignored,
                       List<String> sources, List<Autoscaling> autoscalers) {
    public Workload {
        groups = List.copyOf(groups);
        daemonSets = List.copyOf(daemonSets);
        ignored = List.copyOf(ignored);
        sources = List.copyOf(sources);
        autoscalers = List.copyOf(autoscalers);
    }

    /** A workload without HorizontalPodAutoscalers. */
    public Workload(List<PodGroup> groups, List<DaemonSetSpec> daemonSets, List<IgnoredObject> ignored, List<String> sources) {
        this(groups, daemonSets, ignored, sources, List.of());
    }

    public static Workload of(List<PodGroup> groups) {
        return new Workload(groups, List.of(), List.of(), List.of());
    }

    /** Total number of pods (replicas summed). */
    public long podCount() {
        long n = 0;
        for (PodGroup g : groups) {
            n += g.replicas();
        }
        return n;
    }

    /** Concatenates several inputs, keeping their order. */
    public Workload plus(Workload other) {
        Objects.requireNonNull(other);
        return new Workload(concat(groups, other.groups), concat(daemonSets, other.daemonSets),
                concat(ignored, other.ignored), concat(sources, other.sources), concat(autoscalers, other.autoscalers));
    }

    private static <T> List<T> concat(List<T> a, List<T> b) {
        var out = new java.util.ArrayList<T>(a.size() + b.size());
        out.addAll(a);
        out.addAll(b);
        return out;
    }
}

package io.nodesizer.model;

import java.util.Map;
import java.util.Objects;

/**
 * A DaemonSet: one pod of {@code request} on every node whose labels match {@code nodeSelector}
 * (an empty selector selects every node). Its cost is charged to every selected node before any
 * workload pod is placed, as the DaemonSet controller does.
 */
public record DaemonSetSpec(String name, Resources request, Map<String, String> nodeSelector, SourceRef origin) {
    public DaemonSetSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(origin, "origin");
        nodeSelector = Map.copyOf(nodeSelector);
    }
}

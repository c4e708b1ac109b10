package io.nodesizer.model;

import java.util.List;
import java.util.Objects;

/**
 * A HorizontalPodAutoscaler, kept for what it does to requests: a utilisation target is usage
 * divided by the request, so changing the request changes when it scales.
 *
 * @param namespace  its namespace (and its target's)
 * @param name       its name
 * @param targetKind {@code scaleTargetRef.kind} (Deployment, StatefulSet, …)
 * @param targetName {@code scaleTargetRef.name}
 * @param utilization the resources with a {@code Utilization} target ({@code cpu}, {@code memory}), sorted
 */
public record Autoscaling(String namespace, String name, String targetKind, String targetName, List<String> utilization,
                          SourceRef origin) {
    public Autoscaling {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(targetName, "targetName");
        utilization = List.copyOf(new java.util.TreeSet<>(utilization));
    }
}

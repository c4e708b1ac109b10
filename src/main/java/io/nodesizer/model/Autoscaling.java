package io.nodesizer.model;

import java.util.List;
import java.util.Objects;

/**
 * A HorizontalPodAutoscaler, kept for what it does to its target's replicas (the controller keeps
 * them within [{@code minReplicas}, {@code maxReplicas}]) and to requests: a utilisation target is
 * usage divided by the request, so changing the request changes when it scales.
 *
 * @param namespace  its namespace (and its target's)
 * @param name       its name
 * @param targetKind {@code scaleTargetRef.kind} (Deployment, StatefulSet, …)
 * @param targetName {@code scaleTargetRef.name}
 * @param utilization the resources with a {@code Utilization} target ({@code cpu}, {@code memory}), sorted
 * @param minReplicas {@code spec.minReplicas} (the API's default: 1)
 * @param maxReplicas {@code spec.maxReplicas}, or 0 when the manifest gives none (the API server requires it)
 */
public record Autoscaling(String namespace, String name, String targetKind, String targetName, List<String> utilization,
                          SourceRef origin, int minReplicas, int maxReplicas) {
    public Autoscaling {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(targetName, "targetName");
        utilization = List.copyOf(new java.util.TreeSet<>(utilization));
        if (minReplicas < 0 || maxReplicas < 0) {
            throw new IllegalArgumentException("replicas bounds of " + name + " must not be negative");
        }
    }

    /** Whether the manifest gave {@code spec.maxReplicas}. */
    public boolean hasMax() {
        return maxReplicas > 0;
    }
}

package io.nodesizer.model;

import java.util.List;
import java.util.Objects;

/**
 * A HorizontalPodAutoscaler or a KEDA ScaledObject (which runs one), kept for what it does to its
 * target's replicas (the controller keeps them within [{@code minReplicas}, {@code maxReplicas}])
 * and to requests: a utilisation target is usage divided by the request, so changing the request
 * changes when it scales.
 *
 * @param kind       {@code HorizontalPodAutoscaler} or {@code ScaledObject}
 * @param namespace  its namespace (and its target's)
 * @param name       its name
 * @param targetKind {@code scaleTargetRef.kind} (Deployment, StatefulSet, …)
 * @param targetName {@code scaleTargetRef.name}
 * @param utilization the resources with a {@code Utilization} target ({@code cpu}, {@code memory}), and those of one
 *                    container's request ({@code ContainerResource} metrics: {@link #ofContainer}), sorted
 * @param minReplicas {@code spec.minReplicas} (the API's default: 1); a ScaledObject's {@code minReplicaCount}
 *                    (KEDA's default: 0, the count it scales to when every trigger is idle)
 * @param maxReplicas {@code spec.maxReplicas}, or 0 when the manifest gives none (the API server requires it); a
 *                    ScaledObject's {@code maxReplicaCount} (KEDA's default: 100)
 * @param paused      a paused ScaledObject's hold: the count of its {@code autoscaling.keda.sh/paused-replicas}
 *                    annotation (KEDA scales the target to it and stops), {@link #PAUSED_AS_IS} for
 *                    {@code autoscaling.keda.sh/paused: "true"} (stopped at the replicas it has), else {@link #NOT_PAUSED}
 * @param refused     why its controller cannot scale its target whatever the inputs hold (a {@code scaleTargetRef} of an
 *                    API group that does not serve the kind), or null
 */
public record Autoscaling(String kind, String namespace, String name, String targetKind, String targetName, List<String> utilization,
                          SourceRef origin, int minReplicas, int maxReplicas, int paused, String refused) {
    /** A ScaledObject's kind. */
    public static final String KEDA = "ScaledObject";
    /** {@link #paused} of an autoscaler that scales. */
    public static final int NOT_PAUSED = -1;
    /** {@link #paused} of a ScaledObject stopped at the replicas its target has. */
    public static final int PAUSED_AS_IS = -2;

    /** A {@code ContainerResource} metric's entry in {@link #utilization}: "memory (container app)". */
    public static String ofContainer(String resource, String container) {
        return resource + " (container " + container + ")";
    }

    /**
     * Whether its utilisation target on {@code resource} ({@code cpu}, {@code memory}) reads {@code container}'s request: a
     * Resource metric reads every container's, a ContainerResource metric its own container's.
     */
    public boolean scalesOn(String resource, String container) {
        return utilization.contains(resource) || utilization.contains(ofContainer(resource, container));
    }

    /** An autoscaler that is not paused. */
    public Autoscaling(String kind, String namespace, String name, String targetKind, String targetName, List<String> utilization,
                       SourceRef origin, int minReplicas, int maxReplicas) {
        this(kind, namespace, name, targetKind, targetName, utilization, origin, minReplicas, maxReplicas, NOT_PAUSED, null);
    }

    public Autoscaling {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(targetName, "targetName");
        utilization = List.copyOf(new java.util.TreeSet<>(utilization));
        if (minReplicas < 0 || maxReplicas < 0) {
            throw new IllegalArgumentException("replicas bounds of " + name + " must not be negative");
        }
        if (paused < PAUSED_AS_IS) {
            throw new IllegalArgumentException("paused " + paused);
        }
    }

    /** Whether it is a ScaledObject whose scaling is paused. */
    public boolean isPaused() {
        return paused != NOT_PAUSED;
    }

    /**
     * The fewest replicas while it scales on its metrics: a ScaledObject's HPA keeps at least one
     * (KEDA scales to {@code minReplicaCount} below that only when every trigger is idle).
     */
    public int activeMin() {
        return keda() ? Math.max(1, minReplicas) : minReplicas;
    }

    /** Whether it is a KEDA ScaledObject (which runs an HPA of its own). */
    public boolean keda() {
        return kind.equals(KEDA);
    }

    /** The name of its ceiling's field, for messages: {@code maxReplicas}, or a ScaledObject's {@code maxReplicaCount}. */
    public String maxField() {
        return keda() ? "maxReplicaCount" : "maxReplicas";
    }

    /** Whether the manifest gave {@code spec.maxReplicas}. */
    public boolean hasMax() {
        return maxReplicas > 0;
    }
}

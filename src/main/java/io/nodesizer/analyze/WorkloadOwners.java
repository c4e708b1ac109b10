package io.nodesizer.analyze;

import io.nodesizer.model.ClusterSnapshot;

import java.util.HashMap;
import java.util.Map;

/**
 * The owner chain of a snapshot's pods, followed through the controller objects the snapshot has
 * ({@code kubectl get …,deployments,replicasets,statefulsets,jobs}): pod → ReplicaSet → its
 * controller owner (a Deployment, or an Argo Rollout), pod → Job → CronJob. Where an object is
 * missing it falls back to {@link ClusterSnapshot.Pod#workload()}, which infers the chain from the
 * names the controllers give their objects.
 */
public final class WorkloadOwners {
    private final Map<String, ClusterSnapshot.Controller> byKey = new HashMap<>();

    public WorkloadOwners(ClusterSnapshot snapshot) {
        for (ClusterSnapshot.Controller c : snapshot.controllers()) {
            byKey.putIfAbsent(key(c.kind(), c.namespace(), c.name()), c);
        }
    }

    private static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    /** The controller object of that kind, namespace and name, or null when the snapshot lacks it. */
    public ClusterSnapshot.Controller controller(String kind, String namespace, String name) {
        return byKey.get(key(kind, namespace, name));
    }

    /** The controller that owns the pod directly (its ReplicaSet, StatefulSet, Job…), or null. */
    public ClusterSnapshot.Controller ownerOf(ClusterSnapshot.Pod p) {
        return p.owner() == null || p.ownerName() == null ? null : controller(p.owner(), p.namespace(), p.ownerName());
    }

    /** The workload a user edits for this pod. */
    public ClusterSnapshot.WorkloadRef workloadOf(ClusterSnapshot.Pod p) {
        ClusterSnapshot.Controller c = ownerOf(p);
        if (c == null) {
            return p.workload();
        }
        return c.ownerKind() != null && c.ownerName() != null ? new ClusterSnapshot.WorkloadRef(p.namespace(), c.ownerKind(), c.ownerName())
                : new ClusterSnapshot.WorkloadRef(p.namespace(), c.kind(), c.name());
    }

    /**
     * The replicas the workload wants (spec.replicas of the Deployment, StatefulSet or standalone
     * ReplicaSet), or null when the snapshot lacks its object or it has no replica count (a Job).
     */
    public Integer desiredReplicas(ClusterSnapshot.WorkloadRef w) {
        ClusterSnapshot.Controller c = controller(w.kind(), w.namespace(), w.name());
        return c == null ? null : c.replicas();
    }
}

package io.nodesizer.rightsize;

import io.nodesizer.model.PodGroup;

import java.util.Comparator;
import java.util.Objects;

/**
 * A workload as usage names it: a namespace and a name. Pod-group names carry both
 * ({@code namespace/name}, the {@code default} namespace left out by the manifest reader, a
 * {@code ~2} suffix when one workload runs two pod templates during a rollout); Kubernetes names
 * never contain {@code /} or {@code ~}, so the split is exact. Objects of different kinds that
 * share a name are {@code name[Kind]} ({@code Inputs.qualifyKindCollisions}); {@link #objectName()}
 * is then the Kubernetes name.
 */
public record WorkloadId(String namespace, String name) implements Comparable<WorkloadId> {
    private static final Comparator<WorkloadId> ORDER = Comparator.comparing(WorkloadId::namespace).thenComparing(WorkloadId::name);

    public WorkloadId {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    /** The workload a pod group belongs to. */
    public static WorkloadId of(PodGroup group) {
        return parse(group.name());
    }

    /** {@code ns/name}, {@code ns/name~2} or {@code name} (namespace {@code default}). */
    public static WorkloadId parse(String groupName) {
        String n = groupName;
        int tilde = n.indexOf('~');
        if (tilde > 0) {
            n = n.substring(0, tilde);
        }
        int slash = n.indexOf('/');
        return slash < 0 ? new WorkloadId("default", n) : new WorkloadId(n.substring(0, slash), n.substring(slash + 1));
    }

    @Override
    public int compareTo(WorkloadId o) {
        return ORDER.compare(this, o);
    }

    /** The Kubernetes object's name: {@link #name()} without a {@code [Kind]} suffix. */
    public String objectName() {
        int open = name.indexOf('[');
        return open > 0 && name.endsWith("]") ? name.substring(0, open) : name;
    }

    /** The kind a {@code name[Kind]} suffix names, or null. */
    String qualifiedKind() {
        int open = name.indexOf('[');
        return open > 0 && name.endsWith("]") ? name.substring(open + 1, name.length() - 1) : null;
    }

    /**
     * Whether the name ends in {@code -<pod-template-hash>}, as a Deployment or an Argo Rollout names its ReplicaSets
     * ({@link WorkloadIndex}'s hash alphabet).
     */
    public boolean hashNamed() {
        int dash = objectName().lastIndexOf('-');
        return dash > 0 && WorkloadIndex.templateHash(objectName().substring(dash + 1));
    }

    @Override
    public String toString() {
        return namespace + "/" + name;
    }
}

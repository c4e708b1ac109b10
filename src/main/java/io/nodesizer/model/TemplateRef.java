package io.nodesizer.model;

import java.util.Objects;

/**
 * A workload whose pods come from another object's pod template, resolved once every input is read:
 * an Argo Rollout's {@code spec.workloadRef} to a Deployment or ReplicaSet.
 *
 * @param targetKind      the kind of the object holding the template
 * @param targetName      its name, qualified by the namespace as workload names are ({@code shop/api})
 * @param replicas        the referring workload's own replicas
 * @param scalesTargetDown whether the referring workload's controller scales the target to zero once
 *                        it runs ({@code workloadRef.scaleDown: onsuccess} or {@code progressively})
 * @param scaleDown       the {@code scaleDown} value as written (null: absent), for the listing
 */
public record TemplateRef(String targetKind, String targetName, int replicas, boolean scalesTargetDown, String scaleDown) {
    public TemplateRef {
        Objects.requireNonNull(targetKind, "targetKind");
        Objects.requireNonNull(targetName, "targetName");
        if (replicas < 0) {
            throw new IllegalArgumentException("replicas " + replicas);
        }
    }
}

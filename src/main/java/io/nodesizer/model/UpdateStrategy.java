package io.nodesizer.model;

/**
 * How a DaemonSet replaces its running pods when its template changes (apps/v1 {@code DaemonSetUpdateStrategy}).
 * RollingUpdate with {@code maxSurge} 0, the default, deletes a node's old pod before it creates the new one; with
 * {@code maxSurge} above 0 the new pod is created beside the old one, which is deleted once the new one is available, so
 * a new pod that cannot be scheduled leaves the old one running; OnDelete creates the new pod only where the old one was
 * deleted by hand, so a rollout changes no running pod (kubernetes pkg/controller/daemon/update.go rollingUpdate,
 * {@code surgingRollingUpdate}; the DaemonSet concept page, "Updating a DaemonSet").
 *
 * @param onDelete whether the strategy is OnDelete
 * @param surge    whether RollingUpdate's maxSurge is above 0 (a count or a percentage of the nodes, rounded up)
 */
public record UpdateStrategy(boolean onDelete, boolean surge) {
    /** RollingUpdate, maxUnavailable 1, maxSurge 0: the API's defaults. */
    public static final UpdateStrategy DEFAULT = new UpdateStrategy(false, false);

    public UpdateStrategy {
        if (onDelete && surge) {
            throw new IllegalArgumentException("OnDelete has no maxSurge");
        }
    }

    /** As the reasons word it: "OnDelete", "RollingUpdate with maxSurge", "RollingUpdate". */
    public String describe() {
        return onDelete ? "OnDelete" : surge ? "RollingUpdate with maxSurge" : "RollingUpdate";
    }
}

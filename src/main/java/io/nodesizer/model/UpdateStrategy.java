package io.nodesizer.model;

/**
 * How a DaemonSet replaces its running pods when its template changes (apps/v1 {@code DaemonSetUpdateStrategy}).
 * RollingUpdate with {@code maxSurge} 0, the default, deletes a node's old pod before it creates the new one; with
 * {@code maxSurge} above 0 the new pod is created beside the old one, which is deleted once the new one is available, so
 * a new pod that cannot be scheduled leaves the old one running; OnDelete creates the new pod only where the old one was
 * deleted by hand, so a rollout changes no running pod (kubernetes pkg/controller/daemon/update.go rollingUpdate,
 * {@code surgingRollingUpdate}; the DaemonSet concept page, "Updating a DaemonSet").
 *
 * <p>A RollingUpdate replaces at most {@code maxUnavailable} old pods at a time (maxSurge 0), or creates at most
 * {@code maxSurge} new pods beside old ones: a new pod that stays Pending is unavailable for good, so once that many are,
 * the controller deletes (or surges) no more old pods and the rollout stalls ({@link #inFlight}).
 *
 * @param onDelete       whether the strategy is OnDelete
 * @param surge          whether RollingUpdate's maxSurge is above 0 (a count or a percentage of the nodes, rounded up)
 * @param maxUnavailable RollingUpdate's maxUnavailable as written (a count or a percentage), null for the default 1
 * @param maxSurge       RollingUpdate's maxSurge as written, null for the default 0
 */
public record UpdateStrategy(boolean onDelete, boolean surge, String maxUnavailable, String maxSurge) {
    /** RollingUpdate, maxUnavailable 1, maxSurge 0: the API's defaults. */
    public static final UpdateStrategy DEFAULT = new UpdateStrategy(false, false, null, null);

    public UpdateStrategy {
        if (onDelete && surge) {
            throw new IllegalArgumentException("OnDelete has no maxSurge");
        }
    }

    /** As the reasons word it: "OnDelete", "RollingUpdate with maxSurge", "RollingUpdate". */
    public String describe() {
        return onDelete ? "OnDelete" : surge ? "RollingUpdate with maxSurge" : "RollingUpdate";
    }

    /**
     * How many of a RollingUpdate's nodes may be mid-update at once, of {@code desired} nodes the DaemonSet runs on: maxSurge
     * when it surges, else maxUnavailable, a percentage scaled to the nodes and rounded up; 1 where both are 0 (kubernetes
     * pkg/controller/daemon/update.go {@code updatedDesiredNodeCounts}, util {@code UnavailableCount}, {@code SurgeCount}).
     */
    public int inFlight(int desired) {
        int n = scaled(surge ? maxSurge : maxUnavailable, surge ? 0 : 1, desired);
        return n == 0 && desired > 0 ? 1 : n;
    }

    /** The field's value ({@code intstr.GetScaledValueFromIntOrPercent}, rounded up), {@code absent} when not written. */
    private static int scaled(String value, int absent, int desired) {
        if (value == null) {
            return absent;
        }
        if (value.endsWith("%")) {
            return (int) Math.ceil(Integer.parseInt(value.substring(0, value.length() - 1)) * desired / 100.0);
        }
        return Integer.parseInt(value);
    }

    /** "maxUnavailable 1" or "maxSurge 25%": the field {@link #inFlight} reads, as written. */
    public String inFlightField() {
        return surge ? "maxSurge " + maxSurge : "maxUnavailable " + (maxUnavailable == null ? "1" : maxUnavailable);
    }
}

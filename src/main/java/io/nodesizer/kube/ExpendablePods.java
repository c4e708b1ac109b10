package io.nodesizer.kube;

/**
 * Cluster Autoscaler's expendable pods: a pod whose priority is below {@code --expendable-pods-priority-cutoff}
 * (default -10, {@code main.go}/{@code config/flags}) is left out of what CA simulates (kubernetes/autoscaler {@code cluster-autoscaler/core/utils/expendable.go}
 * {@code IsExpendablePod}; {@code core/static_autoscaler.go} builds its cluster snapshot from the
 * non-expendable scheduled pods alone, and its pod list processors drop expendable pending pods from
 * scale-up). Such a pod triggers no scale-up, counts nothing in a node's utilization and is not one of
 * the pods a node's removal must place elsewhere: it goes with its node. Over-provisioning
 * placeholders (pods of a negative-priority PriorityClass that real pods preempt) therefore get and
 * keep nodes from CA only at or above the cutoff: CA's FAQ recipe gives them -1.
 */
public final class ExpendablePods {
    /** CA's default {@code --expendable-pods-priority-cutoff}. */
    public static final int DEFAULT_CUTOFF = -10;

    private ExpendablePods() {
    }

    /** Whether a pod of {@code priority} is expendable below {@code cutoff} (strictly below, as CA compares). */
    public static boolean expendable(int priority, int cutoff) {
        return priority < cutoff;
    }
}

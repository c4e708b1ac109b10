package io.nodesizer.replay.autoscale;

import io.nodesizer.replay.Cluster;

/**
 * A model of a node autoscaler: a control loop that reads the cluster and requests or drains
 * nodes. The replay runs {@link #tick} only when it can matter: the autoscaler says when
 * ({@link #nextTick}), which for a periodic loop is the next period after a change or the next
 * timer to expire. Because a loop that sees an unchanged cluster and no expired timer does
 * nothing, this gives the same result as running every period (a test checks it), at a fraction
 * of the cost on month-long traces.
 */
public interface Autoscaler {
    String name();

    /** Sets the cluster up at time 0 (the nodes of a fixed cluster, a schedule's first minimum). */
    default void start(Cluster cluster) {
    }

    /** One run of the control loop at {@code cluster.now()}. */
    void tick(Cluster cluster);

    /**
     * A warm start's loops at time 0 are over (the pods present have their nodes): still at time 0, so nodes requested
     * now are ready at once. The groups' min sizes are met here: empty min-size nodes requested before took the pods
     * spread thin, and the loops then added nodes for what no longer fit.
     */
    default void warmStartSettled(Cluster cluster) {
    }

    /**
     * The next time the loop must run, at or after {@code cluster.now()} and after
     * {@code lastTick}; {@link Long#MAX_VALUE} when nothing but a change can make it act.
     *
     * @param changed whether the cluster changed since the end of the last run
     */
    long nextTick(Cluster cluster, long lastTick, boolean changed);

    /**
     * The priority below which a pending pod gets no node from this autoscaler (Cluster Autoscaler's
     * {@code --expendable-pods-priority-cutoff}); {@link Integer#MIN_VALUE} for one that has no cutoff.
     */
    default int expendableCutoff() {
        return Integer.MIN_VALUE;
    }

    /**
     * Why this autoscaler adds no node now for {@code pod}, which waits with none on its way: every node group (or
     * NodePool) it may use is at its max (said as CA's NotTriggerScaleUp "max node group size reached"), or (Karpenter) no
     * instance type holds it by the autoscaler's own estimate of the types; null when not.
     * Asked for the pods pending at the end only.
     */
    default String atLimit(Cluster cluster, int pod) {
        return null;
    }

    /**
     * Why this autoscaler never removes a node running a pod of {@code group} (its drain rules, {@link DrainRules}), or
     * null when such a pod may be moved. Asked once per group before the replay starts.
     */
    default String keepsNode(io.nodesizer.model.PodGroup group) {
        return null;
    }

    /**
     * Per group, whether this autoscaler's own simulation counts its running pods per zone, beyond what kube-scheduler's zone
     * rules count (Karpenter's preferred pod affinity and anti-affinity on the zone under Respect); null when none. Asked once
     * before the replay starts.
     */
    default boolean[] zoneCounted(java.util.List<io.nodesizer.model.PodGroup> groups) {
        return null;
    }

    /** The loop's period, for running it every period regardless of changes (tests); 0 if it has none. */
    long period();

    /** The first multiple of {@code period} at or after {@code now} and after {@code lastTick}. */
    static long nextGrid(long now, long lastTick, long period) {
        long from = Math.max(now, lastTick + 1);
        return Math.floorDiv(from + period - 1, period) * period;
    }
}

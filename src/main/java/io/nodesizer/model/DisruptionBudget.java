package io.nodesizer.model;

import java.util.List;
import java.util.Objects;

/**
 * A PodDisruptionBudget (policy/v1) from a cluster snapshot: which pods it covers and how many of
 * them may be evicted now.
 *
 * @param namespace           metadata.namespace (pods of other namespaces are never covered)
 * @param name                metadata.name
 * @param selector            spec.selector as a pod label selector (an empty one covers every pod of
 *                            the namespace, an absent one none, as policy/v1 has it); its topology
 *                            key is unused
 * @param disruptionsAllowed  status.disruptionsAllowed as the disruption controller last computed it,
 *                            or null when the snapshot has no status
 * @param minAvailable        spec.minAvailable (an integer or a percentage), or null
 * @param maxUnavailable      spec.maxUnavailable (an integer or a percentage), or null
 * @param alwaysAllowUnhealthy spec.unhealthyPodEvictionPolicy is AlwaysAllow (else IfHealthyBudget,
 *                             the default): a running pod that is not Ready may be evicted whatever
 *                             the budget allows
 */
public record DisruptionBudget(String namespace, String name, Placement.PodAffinityTerm selector, Integer disruptionsAllowed,
                               String minAvailable, String maxUnavailable, SourceRef origin, boolean alwaysAllowUnhealthy) {
    public DisruptionBudget {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(selector, "selector");
    }

    /** A budget with the default unhealthyPodEvictionPolicy, IfHealthyBudget. */
    public DisruptionBudget(String namespace, String name, Placement.PodAffinityTerm selector, Integer disruptionsAllowed,
                            String minAvailable, String maxUnavailable, SourceRef origin) {
        this(namespace, name, selector, disruptionsAllowed, minAvailable, maxUnavailable, origin, false);
    }

    public String fullName() {
        return namespace + "/" + name;
    }

    /** Whether this budget's selector covers {@code pod} (its namespace, its labels). */
    public boolean covers(ClusterSnapshot.Pod pod) {
        return io.nodesizer.kube.PodConflicts.matches(selector, namespace, pod.placement());
    }

    /**
     * Evictions allowed now: the snapshot's status when it has one, else what the disruption
     * controller computes — desired healthy from minAvailable, or from the covered pods less
     * maxUnavailable (percentages of the covered pods, rounded up), and allowed = healthy − desired,
     * at least 0. Without status, the covered pods stand in for the controller's expected count,
     * and healthy is as the controller counts it ({@link ClusterSnapshot.Pod#healthy()}: Ready and
     * not being deleted).
     *
     * @param covered the snapshot's pods this budget selects
     */
    public int allowed(List<ClusterSnapshot.Pod> covered) {
        if (disruptionsAllowed != null) {
            return Math.max(0, disruptionsAllowed);
        }
        return allowed(covered.size(), (int) covered.stream().filter(ClusterSnapshot.Pod::healthy).count());
    }

    /**
     * Evictions the disruption controller allows by the spec alone (kubernetes pkg/controller/disruption
     * {@code getExpectedPodCount}, {@code updatePdbStatus}): desired healthy is minAvailable, or {@code expected} less
     * maxUnavailable, percentages of {@code expected} rounded up; allowed is {@code healthy} less desired, at least 0, and
     * 0 while the controller expects no pod — so always 0 for a budget that sets neither field (its expected count stays
     * 0). The status is not read.
     *
     * @param expected the pods the budget's controllers want (their replicas; for an integer minAvailable, the pods it
     *                 selects)
     * @param healthy  those of them running and Ready
     */
    public int allowed(int expected, int healthy) {
        if (maxUnavailable == null && minAvailable == null || expected <= 0) {
            return 0; // "We require expectedCount to be > 0 so that PDBs which currently match no pods are in a safe state"
        }
        int desired;
        if (maxUnavailable != null) {
            desired = Math.max(0, expected - scaled(maxUnavailable, expected));
        } else {
            desired = scaled(minAvailable, expected);
        }
        return Math.max(0, healthy - desired);
    }

    /**
     * Whether this budget never holds a running pod back, whatever runs: {@code minAvailable: 0} or {@code 0%},
     * {@code maxUnavailable: 100%} (desired healthy 0, so every healthy pod may go).
     */
    public boolean neverHolds() {
        return maxUnavailable == null && minAvailable != null && number(minAvailable) == 0
                || maxUnavailable != null && percent(maxUnavailable) && number(maxUnavailable) == 100;
    }

    /**
     * Whether this budget allows no eviction whatever the number of pods it covers: maxUnavailable 0 or 0%, minAvailable
     * 100%, or neither set (the controller's expected count stays 0, so it allows none).
     */
    public boolean allowsNone() {
        return maxUnavailable == null && minAvailable == null
                || maxUnavailable != null && number(maxUnavailable) == 0
                || minAvailable != null && percent(minAvailable) && number(minAvailable) == 100;
    }

    /**
     * Whether this budget's selector is empty, which kube-scheduler's preemption takes as matching nothing
     * ({@code filterPodsWithPDBViolation}: "A PDB with a nil or empty selector matches nothing"), unlike the eviction API.
     */
    public boolean emptySelector() {
        return selector.matchLabels().isEmpty() && selector.matchExpressions().isEmpty();
    }

    /** An IntOrString of a budget: an integer, or a percentage of {@code total} rounded up. */
    static int scaled(String value, int total) {
        return percent(value) ? (int) Math.ceil(number(value) * (double) total / 100.0) : number(value);
    }

    /** Whether an IntOrString budget field is a percentage. */
    private static boolean percent(String value) {
        return value.trim().endsWith("%");
    }

    /** An IntOrString budget field's number, its percent sign dropped (the readers checked it: up to nine digits). */
    private static int number(String value) {
        String v = value.trim();
        return Integer.parseInt((v.endsWith("%") ? v.substring(0, v.length() - 1) : v).trim());
    }
}

package io.nodesizer.replay.autoscale;

import io.nodesizer.replay.Cluster;

/**
 * Cluster Autoscaler's {@code RemainingPdbTracker} over one unneeded pass (kubernetes/autoscaler
 * {@code simulator/drainability/rules/pdb}, {@code core/scaledown/pdb/basic.go}): set at the pass's start from what each
 * PodDisruptionBudget allows now, it blocks a candidate running a covered pod whose budget has less than one eviction
 * left, and each node the pass finds unneeded takes its covered pods from what is left, so that the nodes a loop may
 * delete do not evict more than the budgets allow between them.
 */
final class RemainingBudgets {
    private final Cluster cluster;
    private int[] remaining = new int[0];

    private RemainingBudgets(Cluster cluster) {
        this.cluster = cluster;
    }

    /** The tracker for {@code cluster}'s passes; null when no budget covers its pods. */
    static RemainingBudgets of(Cluster cluster) {
        return cluster.hasBudgets() ? new RemainingBudgets(cluster) : null;
    }

    /** A pass starts: every budget allows what it allows now. */
    void begin() {
        remaining = cluster.budgetAllowances(remaining);
    }

    /** Whether the budgets block removing {@code node} now (CA: unremovable, {@code NotEnoughPdb}). */
    boolean blocks(int node) {
        return !cluster.budgetsAllow(node, remaining);
    }

    /** {@code node} was found unneeded: its covered pods are taken from what the budgets allow. */
    void take(int node) {
        cluster.takeBudgets(node, remaining);
    }
}

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
    /** Pods of a lower priority are expendable: out of CA's snapshot, their budgets never asked (MIN_VALUE: none). */
    private final int unaskedBelow;
    private int[] remaining = new int[0];

    private RemainingBudgets(Cluster cluster, int unaskedBelow) {
        this.cluster = cluster;
        this.unaskedBelow = unaskedBelow;
    }

    /** The tracker for {@code cluster}'s passes, pods below {@code expendable} left out; null when no budget covers its pods. */
    static RemainingBudgets of(Cluster cluster, int expendable) {
        return cluster.hasBudgets() ? new RemainingBudgets(cluster, expendable) : null;
    }

    /** A pass starts: every budget allows what it allows now; {@code counting} whether its holds count in the result. */
    void begin(boolean counting) {
        this.counting = counting;
        remaining = cluster.budgetAllowances(remaining);
    }

    /**
     * Whether the budgets block removing {@code node} now (CA: unremovable, {@code NotEnoughPdb}); counted for the result
     * unless this pass only checks another ({@link #begin(boolean)}).
     */
    boolean blocks(int node) {
        int b = cluster.blockingBudget(node, remaining, unaskedBelow);
        if (b >= 0 && counting) {
            cluster.countBudgetHold(b);
        }
        return b >= 0;
    }

    /** Whether the pass under way counts what the budgets hold back (not a pass run only to check the fast one). */
    private boolean counting;

    /** {@code node} was found unneeded: its covered pods are taken from what the budgets allow. */
    void take(int node) {
        cluster.takeBudgets(node, remaining, unaskedBelow);
    }
}

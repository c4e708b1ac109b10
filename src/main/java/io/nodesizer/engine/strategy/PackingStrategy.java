package io.nodesizer.engine.strategy;

import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingProblem;

import java.util.SplittableRandom;

/**
 * How pods are assigned to nodes of one shape. Every schedulable pod (one that fits an empty
 * node) must be placed: a strategy opens a new node when nothing open fits, which is what the
 * Cluster Autoscaler does for a pending pod.
 */
public interface PackingStrategy {

    /** The user-facing name ({@code ffd}, {@code bfd}, …). */
    String name();

    /**
     * Places every replica of every group in {@link PackingProblem#schedulableGroups()}.
     *
     * @param ledger     ledger with the problem's pod capacity, empty or holding nodes that other
     *                   pods took before (the pod rules' placement, recorded in {@code assignment}):
     *                   the strategy treats those like nodes it opened; nodes are opened as needed
     * @param assignment one slot per pod (global pod index); the strategy writes the node index of
     *                   every schedulable pod and leaves the others untouched
     * @param random     the only source of randomness (ties), seeded by the caller
     */
    void pack(PackingProblem problem, NodeLedger ledger, int[] assignment, SplittableRandom random);
}

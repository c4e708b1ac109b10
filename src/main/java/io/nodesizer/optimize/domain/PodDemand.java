package io.nodesizer.optimize.domain;

import io.nodesizer.engine.DemandTable;

import java.util.Arrays;

/**
 * The request of one replica of pod group {@code group}, shared by every pod of the group (not to be
 * mutated): {@link DemandTable#D} entries in the engine's resource order and base units; and the
 * group's rules: at most {@code cap} of its pods per node (0: no cap; required anti-affinity on
 * itself, or a hostname spread), and the other groups it may not share a node with
 * ({@code repels}, ascending; required anti-affinity either way).
 */
public record PodDemand(int group, long[] amounts, int cap, int[] repels) {
    private static final int[] NONE = new int[0];

    public PodDemand {
        if (amounts.length != DemandTable.D) {
            throw new IllegalArgumentException("A pod demand has " + DemandTable.D + " entries, got " + amounts.length + ".");
        }
    }

    /** A group without rules. */
    public PodDemand(int group, long[] amounts) {
        this(group, amounts, 0, NONE);
    }

    /** Whether a pod of this group may not share a node with a pod of {@code other} (another group). */
    public boolean repels(int other) {
        return Arrays.binarySearch(repels, other) >= 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PodDemand other && group == other.group && Arrays.equals(amounts, other.amounts);
    }

    @Override
    public int hashCode() {
        return 31 * group + Arrays.hashCode(amounts);
    }

    @Override
    public String toString() {
        return "group " + group + " " + Arrays.toString(amounts);
    }
}

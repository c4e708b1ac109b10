package io.nodesizer.optimize.domain;

import io.nodesizer.engine.DemandTable;

import java.util.Arrays;

/**
 * The request of one replica of pod group {@code group}, shared by every pod of the group (not to be
 * mutated): {@link DemandTable#D} entries in the engine's resource order and base units.
 */
public record PodDemand(int group, long[] amounts) {
    public PodDemand {
        if (amounts.length != DemandTable.D) {
            throw new IllegalArgumentException("A pod demand has " + DemandTable.D + " entries, got " + amounts.length + ".");
        }
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

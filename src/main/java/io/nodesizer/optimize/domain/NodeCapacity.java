package io.nodesizer.optimize.domain;

import io.nodesizer.engine.DemandTable;

import java.util.Arrays;

/**
 * The room every node of the single shape offers to workload pods, and the resources that matter.
 * One instance is shared by all {@link Node}s of a solution; it is never mutated.
 *
 * @param podCapacity per resource ({@link DemandTable#D} entries): allocatable minus DaemonSets
 * @param activeDims  resource indices some schedulable pod requests
 * @param gpuDevices  GPU devices per node to respect ({@link io.nodesizer.engine.GpuDevices}), 0 when
 *                    no pod requests GPUs
 */
public record NodeCapacity(long[] podCapacity, int[] activeDims, int gpuDevices) {

    /** A capacity without GPU devices to track. */
    public NodeCapacity(long[] podCapacity, int[] activeDims) {
        this(podCapacity, activeDims, 0);
    }

    public NodeCapacity {
        if (podCapacity.length != DemandTable.D) {
            throw new IllegalArgumentException("The pod capacity has " + podCapacity.length + " entries; expected "
                    + DemandTable.D + ".");
        }
        podCapacity = podCapacity.clone();
        activeDims = activeDims.clone();
    }

    // Value equality (and a hash that does not depend on identity), so that nothing Timefold keys
    // by a node varies from run to run.
    @Override
    public boolean equals(Object o) {
        return o instanceof NodeCapacity other && Arrays.equals(podCapacity, other.podCapacity)
                && Arrays.equals(activeDims, other.activeDims) && gpuDevices == other.gpuDevices;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(podCapacity) + Arrays.hashCode(activeDims)) + gpuDevices;
    }

    @Override
    public String toString() {
        return "NodeCapacity" + Arrays.toString(podCapacity) + " dims " + Arrays.toString(activeDims) + " devices " + gpuDevices;
    }
}

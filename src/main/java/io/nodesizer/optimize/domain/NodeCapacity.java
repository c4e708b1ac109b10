package io.nodesizer.optimize.domain;

import io.nodesizer.engine.DemandTable;

import java.util.Arrays;

/**
 * The room every node of the single shape offers to workload pods, and the resources that matter.
 * One instance is shared by all {@link Node}s of a solution; it is never mutated.
 */
public final class NodeCapacity {
    private final long[] podCapacity;
    private final int[] activeDims;
    private final int gpuDevices;
    /**
     * The hash, made once: Timefold's group-by maps hash a {@link Node} (and so its capacity) at every
     * move, and two array hashes per call were ~5 % of the local search's samples. A class, not a
     * record, only to hold it; the value is the record's.
     */
    private final int hash;

    /** A capacity without GPU devices to track. */
    public NodeCapacity(long[] podCapacity, int[] activeDims) {
        this(podCapacity, activeDims, 0);
    }

    /**
     * @param podCapacity per resource ({@link DemandTable#D} entries): allocatable minus DaemonSets
     * @param activeDims  resource indices some schedulable pod requests
     * @param gpuDevices  GPU devices per node to respect ({@link io.nodesizer.engine.GpuDevices}), 0 when
     *                    no pod requests GPUs
     */
    public NodeCapacity(long[] podCapacity, int[] activeDims, int gpuDevices) {
        if (podCapacity.length != DemandTable.D) {
            throw new IllegalArgumentException("The pod capacity has " + podCapacity.length + " entries; expected "
                    + DemandTable.D + ".");
        }
        this.podCapacity = podCapacity.clone();
        this.activeDims = activeDims.clone();
        this.gpuDevices = gpuDevices;
        this.hash = 31 * (31 * Arrays.hashCode(this.podCapacity) + Arrays.hashCode(this.activeDims)) + gpuDevices;
    }

    public long[] podCapacity() {
        return podCapacity;
    }

    public int[] activeDims() {
        return activeDims;
    }

    public int gpuDevices() {
        return gpuDevices;
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
        return hash;
    }

    @Override
    public String toString() {
        return "NodeCapacity" + Arrays.toString(podCapacity) + " dims " + Arrays.toString(activeDims) + " devices " + gpuDevices;
    }
}

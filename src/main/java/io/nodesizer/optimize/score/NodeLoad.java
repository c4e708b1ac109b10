package io.nodesizer.optimize.score;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.optimize.domain.NodeCapacity;

import java.util.Arrays;

/**
 * The summed requests of the pods on one node, in base units ({@link DemandTable#D} entries, not
 * to be mutated), and the two measures the constraints take from it. Both normalise each resource by
 * the node's pod capacity onto the integer scale {@link #SCALE}, so a GiB and a millicore weigh
 * the same fraction of a node.
 */
public record NodeLoad(long[] amounts) {
    /**
     * The normalised value of a full resource. 10^5 resolves a 1-millicore pod on a 100-core node
     * to within one unit. Overflow: a concentration term is at most SCALE² = 10^10 per resource,
     * so Σ over 5 resources and 10^8 nodes stays below 2^63 ≈ 9.2·10^18.
     */
    public static final long SCALE = 100_000;

    /**
     * Σ over active resources of ⌈excess / capacity × SCALE⌉ (at least 1 for any excess), so the
     * penalty grows with the overcommit and every overload counts, however small.
     */
    public long overloadPenalty(NodeCapacity capacity) {
        long[] cap = capacity.podCapacity();
        long penalty = 0;
        for (int r : capacity.activeDims()) {
            long excess = amounts[r] - cap[r];
            if (excess > 0) {
                // double: an excess in bytes times SCALE may overflow a long; the value only needs to be
                // monotone and >= 1, and Java's double arithmetic is deterministic.
                double scaled = cap[r] == 0 ? (double) excess * SCALE : Math.ceil((double) excess / cap[r] * SCALE);
                penalty += Math.max(1L, (long) Math.min(scaled, (double) (Long.MAX_VALUE >> 8)));
            }
        }
        return penalty;
    }

    /** True when the pods exceed the capacity on some active resource. */
    public boolean isOverloaded(NodeCapacity capacity) {
        long[] cap = capacity.podCapacity();
        for (int r : capacity.activeDims()) {
            if (amounts[r] > cap[r]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Σ over active resources of u², u = ⌊load / capacity × SCALE⌋ capped at SCALE. Convex, so
     * moving load from a lighter node to a fuller one raises it: the search is drawn towards nodes
     * that empty out.
     */
    public long concentration(NodeCapacity capacity) {
        long[] cap = capacity.podCapacity();
        long sum = 0;
        for (int r : capacity.activeDims()) {
            long u = normalised(amounts[r], cap[r]);
            sum += u * u;
        }
        return sum;
    }

    /** ⌊load / capacity × SCALE⌋ in [0, SCALE]; exact unless load × SCALE overflows. */
    static long normalised(long load, long capacity) {
        if (load <= 0) {
            return 0;
        }
        if (capacity <= 0 || load >= capacity) {
            return SCALE;
        }
        if (load <= Long.MAX_VALUE / SCALE) {
            return load * SCALE / capacity;
        }
        return Math.min(SCALE, (long) ((double) load / capacity * SCALE));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NodeLoad other && Arrays.equals(amounts, other.amounts);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(amounts);
    }

    @Override
    public String toString() {
        return "NodeLoad" + Arrays.toString(amounts);
    }
}

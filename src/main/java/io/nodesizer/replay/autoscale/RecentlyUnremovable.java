package io.nodesizer.replay.autoscale;

import io.nodesizer.replay.Cluster;

import java.util.Arrays;
import java.util.BitSet;

/**
 * CA's recently unremovable nodes: a node whose removal simulation failed (its pods found no
 * place) is not simulated again until {@code --unremovable-node-recheck-timeout} has passed.
 * cluster-autoscaler's planner gives every node {@code SimulateNodeRemoval} returns as unremovable
 * a time-out of the loop's time plus the recheck time-out ({@code categorizeNodes},
 * {@code unremovableNodes.AddTimeout}); the next loops' eligibility check skips it while that time
 * is after the loop's ({@code FilterOutUnremovable}, {@code IsRecent}; {@code Update} drops a
 * time-out that is not), so it keeps other pods' destinations but is not a candidate. A node that
 * is not a candidate for another reason (above the threshold, not ready) gets no time-out.
 */
final class RecentlyUnremovable {
    private final long timeout;
    /** Per node, the time from which it is simulated again; meaningful for the nodes in {@link #recent}. */
    private long[] until = new long[0];
    private final BitSet recent = new BitSet();

    /** @param timeout {@code --unremovable-node-recheck-timeout} in seconds (0: every loop simulates every candidate) */
    RecentlyUnremovable(long timeout) {
        this.timeout = timeout;
    }

    /** The nodes a loop at {@code now} skips: those whose time-out is after {@code now} (the others are dropped). */
    BitSet at(long now) {
        for (int n = recent.nextSetBit(0); n >= 0; n = recent.nextSetBit(n + 1)) {
            if (until[n] <= now) {
                recent.clear(n);
            }
        }
        return recent;
    }

    /** The earliest time after {@code after} at which a ready node is simulated again; MAX_VALUE when none. */
    long nextRecheck(Cluster cluster, long after) {
        long earliest = Long.MAX_VALUE;
        for (int n = recent.nextSetBit(0); n >= 0; n = recent.nextSetBit(n + 1)) {
            if (until[n] > after && cluster.state(n) == Cluster.READY) {
                earliest = Math.min(earliest, until[n]);
            }
        }
        return earliest;
    }

    /** Gives the nodes in {@code failed}, whose removal simulation failed at {@code now}, their time-out. */
    void add(BitSet failed, long now) {
        if (failed.isEmpty()) {
            return;
        }
        if (until.length < failed.length()) {
            until = Arrays.copyOf(until, Math.max(16, failed.length() * 2));
        }
        for (int n = failed.nextSetBit(0); n >= 0; n = failed.nextSetBit(n + 1)) {
            until[n] = now + timeout;
            recent.set(n);
        }
    }
}

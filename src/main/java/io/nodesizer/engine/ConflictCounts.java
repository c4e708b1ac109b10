package io.nodesizer.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Pods per (node, group) for the groups that repel others (required pod anti-affinity on the
 * hostname; {@link DemandTable#conflicts()}), for the places that are not the packing's hot path
 * ({@link NodeLedger} keeps the same counts in an array): replay's cluster and its autoscalers'
 * simulations, the fleet packer, and the verifiers. Groups without conflicts are not counted.
 */
public final class ConflictCounts {
    private final int[][] conflicts;
    private final int[] caps;
    private final Map<Long, Integer> counts = new HashMap<>();

    /**
     * @param conflicts per group, the groups it may not share a node with; null when there are none
     * @param caps      per group in its own list, how many of its pods one node may hold ({@link DemandTable#caps()})
     */
    public ConflictCounts(int[][] conflicts, int[] caps) {
        this.conflicts = conflicts;
        this.caps = caps;
    }

    /** The conflicts and caps of a table's groups. */
    public ConflictCounts(DemandTable table) {
        this(table.conflicts(), table.caps());
    }

    /** How many of its own pods a node may hold when a group limits them (1: its replicas repel each other). */
    public int cap(int group) {
        return caps[group];
    }

    private static long key(int node, int group) {
        return ((long) node << 32) | group;
    }

    /** Whether pods of the group are counted (it repels some group, or some group repels it). */
    public boolean tracks(int group) {
        return conflicts != null && conflicts[group] != null;
    }

    /** Adds (or with a negative delta removes) pods of a group on a node. */
    public void add(int node, int group, int delta) {
        if (tracks(group)) {
            counts.merge(key(node, group), delta, (a, b) -> a + b == 0 ? null : a + b);
        }
    }

    public int count(int node, int group) {
        return counts.getOrDefault(key(node, group), 0);
    }

    /** True when no pod on the node repels a pod of the group, nor the other way round. */
    public boolean admits(int node, int group) {
        if (!tracks(group)) {
            return true;
        }
        for (int h : conflicts[group]) {
            if (count(node, h) >= (h == group ? caps[group] : 1)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The first pair of pods that share a node though they repel each other, described as
     * "node N holds …" with {@code groupName} naming the groups; null when there is none.
     */
    public String violation(java.util.function.IntFunction<String> groupName) {
        for (var e : counts.entrySet()) {
            int node = (int) (e.getKey() >>> 32);
            int g = (int) (e.getKey() & 0xffffffffL);
            for (int h : conflicts[g]) {
                if (h == g ? e.getValue() > caps[g] : count(node, h) > 0) {
                    return "node " + node + " holds " + (h == g ? e.getValue() + " pods of " + groupName.apply(g) + ", more than the "
                            + caps[g] + " its required pod anti-affinity or topology spread (maxSkew) allows"
                            : "pods of " + groupName.apply(g) + " and of " + groupName.apply(h) + ", which its required pod anti-affinity keeps apart");
                }
            }
        }
        return null;
    }

    /** The same counts (for a ledger checked against a recount). */
    public boolean sameCounts(ConflictCounts other) {
        return counts.equals(other.counts);
    }
}

package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.PodConflicts;

import java.util.List;

/**
 * Hard topology spread over zones in a replay (kube-scheduler's PodTopologySpread filter with
 * {@code whenUnsatisfiable: DoNotSchedule}): per (group, zone) the running pods of each group
 * with a zone skew, and the ready nodes of the pools the group may use there, which make the
 * zone one of its domains. A pod of group g may go to zone z while
 * {@code running(g, z) + 1 − min over its domains d of running(g, d) ≤ maxSkew(g)}.
 * Counts are flat int arrays at {@code [group * zones + zone]}; the filter is O(zones) and
 * allocates nothing.
 */
final class ZoneSpread {
    private final int zones;
    /** Per group its maxSkew over zones, 0 for a group without a zone spread. */
    private final int[] skew;
    private final int[] running;
    private final int[] domainNodes;
    /** Per pool, the spread groups that may use its nodes (their domains grow and shrink with its ready nodes). */
    private final int[][] groupsOnPool;

    private ZoneSpread(int zones, int[] skew, int[][] groupsOnPool) {
        this.zones = zones;
        this.skew = skew;
        this.running = new int[skew.length * zones];
        this.domainNodes = new int[skew.length * zones];
        this.groupsOnPool = groupsOnPool;
    }

    /** The spread of {@code table}'s groups over {@code zones} zones, or null when no group spreads over zones or there is one zone. */
    static ZoneSpread of(DemandTable table, List<Pool> pools, int zones) {
        int[] skew = zones < 2 ? null : PodConflicts.zoneSkew(table.groups());
        if (skew == null) {
            return null;
        }
        int[][] groupsOnPool = new int[pools.size()][];
        for (Pool p : pools) {
            int[] gs = new int[skew.length];
            int n = 0;
            for (int g = 0; g < skew.length; g++) {
                if (skew[g] > 0 && p.allows(table.group(g))) {
                    gs[n++] = g;
                }
            }
            groupsOnPool[p.index()] = java.util.Arrays.copyOf(gs, n);
        }
        return new ZoneSpread(zones, skew, groupsOnPool);
    }

    /** Whether {@code group} spreads over zones. */
    boolean spreads(int group) {
        return skew[group] > 0;
    }

    /** A pod of {@code group} starts ({@code delta} 1) or stops (-1) running in {@code zone}. */
    void podMoved(int group, int zone, int delta) {
        if (skew[group] > 0) {
            running[group * zones + zone] += delta;
        }
    }

    /** A node of {@code pool} in {@code zone} became ready ({@code delta} 1) or stopped being ready (-1). */
    void nodeReady(int pool, int zone, int delta) {
        for (int g : groupsOnPool[pool]) {
            domainNodes[g * zones + zone] += delta;
        }
    }

    /**
     * Whether a pod of {@code group} may go to a node in {@code zone}. The zone itself counts as a
     * domain: it is one for a ready node of a pool the group may use, and a provisioning node's
     * zone becomes one when the node is ready, so the autoscalers ask the same question of it.
     */
    boolean admits(int group, int zone) {
        return admits(group, zone, null);
    }

    /**
     * As {@link #admits(int, int)}, with the running counts changed by {@code moved} (same layout;
     * null for none): an autoscaler's what-if placements and the pods they would move away.
     */
    boolean admits(int group, int zone, int[] moved) {
        int s = skew[group];
        if (s == 0) {
            return true;
        }
        int b = group * zones;
        int own = running(b + zone, moved);
        int min = own;
        for (int z = 0; z < zones; z++) {
            if (domainNodes[b + z] > 0 && running(b + z, moved) < min) {
                min = running(b + z, moved);
            }
        }
        return own + 1 - min <= s;
    }

    private int running(int i, int[] moved) {
        return moved == null ? running[i] : running[i] + moved[i];
    }

    /** A zeroed what-if change of the running counts for {@link #admits(int, int, int[])}; index with {@link #slot}. */
    int[] newMoves() {
        return new int[running.length];
    }

    /** The index of ({@code group}, {@code zone}) in the counts and in {@link #newMoves()}. */
    int slot(int group, int zone) {
        return group * zones + zone;
    }

    /**
     * Checks the counts against the running pods and ready nodes re-derived from scratch
     * ({@code running} and {@code domainNodes} built with {@link #copyShape()}). Not checked: the
     * skew itself, max − min ≤ maxSkew. The scheduler checks it only when it places a pod (as
     * kube-scheduler does), and pods leaving or nodes going away may legitimately skew a spread
     * later; {@link Pods#place} asserts it at every placement instead.
     */
    void verify(ZoneSpread derived) {
        if (!java.util.Arrays.equals(running, derived.running)) {
            throw new IllegalStateException("the zone spread's running pods per zone are out of step with the running pods");
        }
        if (!java.util.Arrays.equals(domainNodes, derived.domainNodes)) {
            throw new IllegalStateException("the zone spread's ready nodes per zone are out of step with the ready nodes");
        }
    }

    /** Empty counts over the same groups, zones and pools, for {@link #verify}. */
    ZoneSpread copyShape() {
        return new ZoneSpread(zones, skew, groupsOnPool);
    }
}

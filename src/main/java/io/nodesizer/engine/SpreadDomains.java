package io.nodesizer.engine;

import io.nodesizer.kube.NodeLabels;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;

import java.util.Map;

/**
 * The zones a hard topology spread over the zones counts for a workload pinned to some of them.
 * kube-scheduler's default {@code nodeAffinityPolicy: Honor} counts only the nodes the pod's node
 * selector and required node affinity admit, so a workload pinned to two of three zones spreads
 * over those two, the fewest taken over them, and minDomains is compared with their number (as
 * replay's {@code TopologyRules} counts them). With {@code Ignore} every zone counts.
 */
final class SpreadDomains {
    private SpreadDomains() {
    }

    /** Per group, the zones its spread counts, as bits (0: every zone); null when no spread workload is pinned to fewer zones. */
    static long[] eligible(PackingProblem problem) {
        DemandTable table = problem.table();
        int zones = table.zones();
        int[] skew = table.zoneSkew();
        boolean[] pinned = table.zonePinned();
        if (skew == null || pinned == null || table.zoneNames() == null || zones > 64) {
            return null;
        }
        long all = zones == 64 ? -1L : (1L << zones) - 1;
        Map<String, String> labels = NodeLabels.of(problem.shape());
        long[] out = null;
        for (int g = 0; g < table.groupCount(); g++) {
            if (skew[g] == 0 || !pinned[g] || !honorsNodeAffinity(table.group(g).placement())) {
                continue;
            }
            long mask = admitted(problem, labels, g);
            if (mask != 0 && mask != all) { // no zone at all: the group runs nowhere, whatever it counts
                out = out == null ? new long[table.groupCount()] : out;
                out[g] = mask;
            }
        }
        return out;
    }

    /** The named zones (bits) whose nodes group g's node selector and required node affinity admit. */
    static long admitted(PackingProblem problem, Map<String, String> labels, int g) {
        DemandTable table = problem.table();
        long mask = 0;
        for (int z = 0; z < table.zones(); z++) {
            if (NodeMatching.inZone(table.group(g).placement(), problem.shape(), labels, table.zoneNames().get(z)) == null) {
                mask |= 1L << z;
            }
        }
        return mask;
    }

    /**
     * Per group, whether its spread counts the fewest as 0: minDomains above the zones it counts
     * ({@link DemandTable#zoneFloor()} compares with every zone); null when no group's does.
     */
    static boolean[] floor(DemandTable table, long[] eligible) {
        boolean[] base = table.zoneFloor();
        if (eligible == null) {
            return base;
        }
        boolean[] out = base == null ? new boolean[table.groupCount()] : base.clone();
        boolean any = base != null;
        for (int g = 0; g < out.length; g++) {
            if (eligible[g] != 0 && PodConflicts.zoneMinDomains(table.group(g).placement()) > Long.bitCount(eligible[g])) {
                out[g] = true;
                any = true;
            }
        }
        return any ? out : null;
    }

    /** Whether a hard spread over the zones that selects the group's own pods honours its node affinity (the default). */
    private static boolean honorsNodeAffinity(Placement p) {
        for (Placement.Spread s : p.spread()) {
            if (s.hard() && PodConflicts.isZone(s.term().topologyKey()) && s.honorsNodeAffinity()
                    && PodConflicts.matches(s.term(), p.namespace(), p)) {
                return true;
            }
        }
        return false;
    }

    /** The fewest of {@code counts[base + z]} over the zones {@code mask} names (every zone when 0). */
    static int fewest(int[] counts, int base, int zones, long mask) {
        int fewest = Integer.MAX_VALUE;
        for (int z = 0; z < zones; z++) {
            if (mask == 0 || (mask >>> z & 1) != 0) {
                fewest = Math.min(fewest, counts[base + z]);
            }
        }
        return fewest;
    }
}

package io.nodesizer.engine;

import io.nodesizer.kube.NodeLabels;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;

import java.util.Map;

/**
 * The zones a hard topology spread over the zones counts for a workload pinned to some of them.
 * kube-scheduler counts as domains only the zones of nodes that exist and pass the constraint's
 * node inclusion policies (kubernetes {@code pkg/scheduler/framework/plugins/podtopologyspread/
 * filtering.go}, {@code calPreFilterState}: nodes that fail {@code matchNodeInclusionPolicies}
 * are skipped and {@code TpValueToMatchNum} holds only the zones of the nodes left). Its default
 * {@code nodeAffinityPolicy: Honor} counts only the nodes the pod's node selector and required
 * node affinity admit, so a workload pinned to two of three zones spreads over those two, the
 * fewest taken over them, and minDomains is compared with their number (as replay's
 * {@code TopologyRules} counts them). With {@code Ignore} every zone that has a node counts: the
 * zones the packing can open a node in, that is those some workload of the problem admits (a node
 * opens only for a pod that may go there), or every zone beside other workloads' nodes that may
 * be anywhere ({@link DemandTable#besideNodesInEveryZone}). A zone counted that ends up without a
 * node only makes the count stricter, so a pod placed is one kube-scheduler admits in the packed
 * cluster.
 */
public final class SpreadDomains {
    private SpreadDomains() {
    }

    /**
     * The zone floors of a problem's hard spreads over the zones ({@link ZoneFloors#floor}); null where they say nothing:
     * no such spread, one zone, or a spread over the zones that also counts other workloads' pods. The zones each group
     * counts are worked out once here, for every group's floor.
     */
    public static ZoneFloors zoneFloors(PackingProblem problem) {
        DemandTable table = problem.table();
        if (table.zoneSkew() == null || table.zones() < 2 || table.zones() > 64 || table.sharesZoneSpread()) {
            return null;
        }
        long[] counted = eligible(problem);
        return new ZoneFloors(table.zoneSkew(), table.zones(), counted, floor(table, counted));
    }

    /** A problem's zone floors: per group its maxSkew over the zones, the zones it counts (null: every one), and whether its fewest counts as 0. */
    public record ZoneFloors(int[] skew, int zones, long[] counted, boolean[] floors) {
        /**
         * The zones group g's hard spread over the zones counts (bits) and the fewest of its pods every one of them holds
         * in any packing that places {@code pods} of them and keeps the spread, as {@link PackingVerifier} checks it: most −
         * fewest ≤ maxSkew over those zones, so the fewest is at least ⌈(pods − maxSkew·(zones − 1)) ÷ zones⌉. Null where
         * that says nothing: no such spread, minDomains above the zones (the fewest counts as 0), fewer pods than that.
         */
        public ZoneFloor floor(int g, int pods) {
            if (skew[g] == 0 || floors != null && floors[g]) {
                return null;
            }
            long mask = countedZones(g);
            int n = Long.bitCount(mask);
            long above = pods - (long) skew[g] * (n - 1);
            return n < 2 || above <= 0 ? null : new ZoneFloor(mask, (int) ((above + n - 1) / n));
        }

        /** The zones group g's spread counts that its node affinity admits ({@code admitted}, bits; 0 when not known: all). */
        /** The zones (bits) group g's spread counts: its own, or every zone. */
        private long countedZones(int g) {
            return counted == null || counted[g] == 0 ? (zones == 64 ? -1L : (1L << zones) - 1) : counted[g];
        }

        public int zonesOpenTo(int g, long admitted) {
            long mask = countedZones(g);
            return Long.bitCount(admitted == 0 ? mask : mask & admitted);
        }

        /**
         * The most of group g's {@code pods} one zone can hold in a packing that keeps its hard spread over the zones (most
         * − fewest ≤ maxSkew over the zones it counts, as {@link PackingVerifier} checks it): maxSkew where the fewest is
         * 0 — minDomains above the zones counted, or a zone counted ({@code nodeAffinityPolicy: Ignore}) that the group's
         * node affinity keeps it out of ({@code admitted}, bits; 0 when not known) —, else ⌊pods ÷ zones⌋ + maxSkew, since
         * the fewest is at most the mean. {@link Integer#MAX_VALUE} where no such spread binds it. So its pods take at
         * least ⌈pods ÷ most⌉ zones, a node each (QA 61b F1: 3 replicas with maxSkew 1 over 5 zones are 3 nodes; the
         * bound said 1 and a 200 % gap).
         */
        public int mostPerZone(int g, int pods, long admitted) {
            if (skew[g] == 0) {
                return Integer.MAX_VALUE;
            }
            long mask = countedZones(g);
            int n = Long.bitCount(mask);
            boolean fewestZero = floors != null && floors[g] || admitted != 0 && (mask & ~admitted) != 0;
            long most = fewestZero ? skew[g] : (long) pods / n + skew[g];
            return (int) Math.min(Integer.MAX_VALUE, most);
        }
    }

    /** {@link ZoneFloors#floor}: the zones counted (bits) and the fewest pods each holds. */
    public record ZoneFloor(long zones, int least) {
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
        long withNodes = -1; // the zones some workload admits, read on the first Ignore spread
        for (int g = 0; g < table.groupCount(); g++) {
            Boolean honors = skew[g] == 0 || !pinned[g] ? null : honorsNodeAffinity(table.group(g).placement());
            if (honors == null) {
                continue;
            }
            if (!honors && withNodes == -1) {
                withNodes = table.othersInEveryZone() ? all : 0;
                for (int h = 0; h < table.groupCount() && withNodes != all; h++) {
                    withNodes |= pinned[h] ? admitted(problem, labels, h) : all;
                }
            }
            long mask = honors ? admitted(problem, labels, g) : withNodes;
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

    /**
     * Whether the hard spreads over the zones that select the group's own pods all honour its node
     * affinity (the default): true; any of them with {@code Ignore}: false (it counts the wider set
     * of zones, so the stricter); null when it has none.
     */
    private static Boolean honorsNodeAffinity(Placement p) {
        Boolean honors = null;
        for (Placement.Spread s : p.spread()) {
            if (s.hard() && PodConflicts.isZone(s.term().topologyKey()) && PodConflicts.matches(s.term(), p.namespace(), p)) {
                honors = (honors == null || honors) && s.honorsNodeAffinity();
            }
        }
        return honors;
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

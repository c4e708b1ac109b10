package io.nodesizer.engine;

import java.util.BitSet;
import java.util.List;

/**
 * The zones of the nodes an even try opens up front ({@link PackingEngine}, {@link
 * HostnameSpreads#placeEvenly}). Round-robin over the zones, as node groups spread their nodes,
 * unless workloads kept to some named zones need more of them in theirs: then each such zone gets
 * at least the nodes its pinned pods need beside the spread units' share of every node (their
 * volume on the tightest resource), or a pinned spread's minDomains, and the other nodes go
 * round-robin. Opening round-robin regardless left a workload pinned to one zone a third of the
 * nodes, where it could only stack maxSkew per node or open more: 12 pinned pods beside 40 unpinned
 * spread ones took 13 nodes where 6 in that zone hold them all.
 */
final class TryZones {
    private TryZones() {
    }

    /**
     * The zone of each of the {@code nodes} up-front nodes, or null to open them with {@link
     * NodeLedger#open()} (round-robin over every zone). {@code within}: the zones the nodes may go
     * to (0: every zone; {@link HostnameSpreads#tryZones}). Null too when nothing is pinned, or when
     * a unit spreads over the zones too (its zone spread needs the zones' nodes even), or when
     * {@code byNeed} is false (round-robin over {@code within} whatever the pinned workloads need).
     */
    static int[] plan(PackingProblem problem, List<HostnameSpreads.Unit> units, BitSet floored,
                      HostnameSpreads spreads, int nodes, long within, boolean byNeed) {
        DemandTable table = problem.table();
        int zones = table.zones();
        boolean[] pinned = !byNeed || zones < 2 || zones > 64 ? null : table.zonePinned();
        int[] need = pinned == null || spreadsOverZones(table, units) ? null : need(problem, units, floored, spreads, pinned, nodes);
        if (need == null && within == 0) {
            return null;
        }
        int[] opened = new int[Math.max(1, zones)];
        int[] out = new int[nodes];
        for (int i = 0; i < nodes; i++) {
            int zone = -1;
            for (int z = 0; need != null && z < zones; z++) {
                if (opened[z] < need[z] && (zone < 0 || opened[z] < opened[zone])) {
                    zone = z; // a zone short of its pinned pods' nodes, the one with the fewest first
                }
            }
            if (zone < 0) {
                // no zone short: the fewest nodes first, the lowest zone on ties (round-robin), within the allowed zones
                for (int z = 0; z < opened.length; z++) {
                    if ((within == 0 || (within >>> z & 1) != 0) && (zone < 0 || opened[z] < opened[zone])) {
                        zone = z;
                    }
                }
            }
            out[i] = zone;
            opened[zone]++;
        }
        return out;
    }

    /**
     * Whether {@link #plan} can open nodes other than round-robin for the pinned workloads: some
     * workload beside {@code units} is pinned to some of the zones (and no unit spreads over them).
     */
    static boolean byNeed(PackingProblem problem, List<HostnameSpreads.Unit> units) {
        DemandTable table = problem.table();
        int zones = table.zones();
        boolean[] pinned = zones < 2 || zones > 64 ? null : table.zonePinned();
        if (pinned == null || spreadsOverZones(table, units)) {
            return false;
        }
        int[] candidates = pinnedBeside(problem, units, pinned);
        for (long mask : candidates.length == 0 ? new long[0] : problem.admittedZones(candidates)) {
            if (mask != 0) {
                return true;
            }
        }
        return false;
    }

    private static boolean spreadsOverZones(DemandTable table, List<HostnameSpreads.Unit> units) {
        int[] zoneSkew = table.zoneSkew();
        if (zoneSkew == null) {
            return false;
        }
        for (HostnameSpreads.Unit u : units) {
            for (int g : u.groups()) {
                if (zoneSkew[g] > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Per zone, the nodes its pinned pods need beside the units' share of each of {@code nodes}
     * nodes: their volume on each resource over the room left, and for a workload pinned to that
     * zone alone its replicas over the pods of it that room holds (whole pods: two 1-CPU pods do
     * not go where 1.9 CPU is left); a workload admitted to several zones counts evenly over them
     * by volume. Null when no pinned workload needs any.
     */
    private static int[] need(PackingProblem problem, List<HostnameSpreads.Unit> units, BitSet floored,
                              HostnameSpreads spreads, boolean[] pinned, int nodes) {
        DemandTable table = problem.table();
        int zones = table.zones();
        long[] demand = problem.flatDemand();
        long[] cap = problem.podCapacity();
        int[] dims = problem.activeDims();
        int[] candidates = pinnedBeside(problem, units, pinned);
        if (candidates.length == 0) {
            return null;
        }
        double[] room = room(table, units, demand, cap, dims, nodes);
        long[] masks = problem.admittedZones(candidates);
        double[][] load = new double[zones][DemandTable.D];
        int[] out = new int[zones];
        boolean any = false;
        for (int i = 0; i < candidates.length; i++) {
            int g = candidates[i];
            int in = Long.bitCount(masks[i]);
            if (in == 0) {
                continue; // admits none of the zones: unschedulable, or the zones are unnamed
            }
            any = true;
            for (int z = 0; z < zones; z++) {
                if ((masks[i] >>> z & 1) != 0) {
                    for (int r : dims) {
                        load[z][r] += (double) demand[g * DemandTable.D + r] * table.replicas(g) / in;
                    }
                }
            }
            if (in == 1) {
                int z = Long.numberOfTrailingZeros(masks[i]);
                long fit = Long.MAX_VALUE;
                for (int r : dims) {
                    long d = demand[g * DemandTable.D + r];
                    if (d > 0) {
                        fit = Math.min(fit, (long) Math.max(0, Math.floor(room[r] / d)));
                    }
                }
                out[z] = Math.max(out[z], fit == 0 ? nodes : (int) Math.min(nodes, (table.replicas(g) + fit - 1) / fit));
                if (floored != null && floored.get(g) && spreads != null) {
                    out[z] = Math.max(out[z], Math.min(nodes, spreads.minDomains(g))); // a pinned spread's minDomains are its zone's nodes
                }
            }
        }
        if (!any) {
            return null;
        }
        for (int z = 0; z < zones; z++) {
            for (int r : dims) {
                if (load[z][r] > 0) {
                    out[z] = Math.max(out[z], room[r] <= 0 ? nodes : (int) Math.min(nodes, Math.ceil(load[z][r] / room[r])));
                }
            }
        }
        return out;
    }

    /** The schedulable groups pinned to named zones ({@code pinned}) that are none of {@code units}'. */
    private static int[] pinnedBeside(PackingProblem problem, List<HostnameSpreads.Unit> units, boolean[] pinned) {
        BitSet inUnits = HostnameSpreads.groups(units);
        return java.util.Arrays.stream(problem.schedulableGroups()).filter(g -> pinned[g] && !inUnits.get(g)).toArray();
    }

    /**
     * What a node has left per resource beside the units' share of it: ⌈their pods ÷ nodes⌉ of
     * their largest pod each, since the extras beyond the even count land one per node, possibly
     * on the pinned zone's.
     */
    private static double[] room(DemandTable table, List<HostnameSpreads.Unit> units, long[] demand, long[] cap, int[] dims, int nodes) {
        double[] room = new double[DemandTable.D];
        for (int r : dims) {
            room[r] = cap[r];
        }
        for (HostnameSpreads.Unit u : units) {
            long perNode = (u.pods(table) + nodes - 1) / nodes;
            for (int r : dims) {
                long largest = 0;
                for (int g : u.groups()) {
                    largest = Math.max(largest, demand[g * DemandTable.D + r]);
                }
                room[r] -= (double) largest * perNode;
            }
        }
        return room;
    }
}

package io.nodesizer.replay;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The node count a fixed cluster needs for a replay's peak: at each instant where the running
 * pods' total CPU, memory or pod count peaks, the pods present are packed with first-fit
 * decreasing onto the pool's shape; the largest count wins. This is {@code pack} at peak, the
 * default size of the {@code none} autoscaler.
 */
public final class PeakPacking {
    private PeakPacking() {
    }

    public static int nodesAtPeak(PodStream stream, Pool pool, long seed) {
        return nodesAtPeak(stream, pool, seed, 1);
    }

    /**
     * As {@link #nodesAtPeak(PodStream, Pool, long)}, with the nodes spread over {@code zones}
     * zones as a replay spreads them (each new node in the zone with the fewest): the packing keeps
     * the hard spreads over zones and says how many nodes each zone needs, and the count is the
     * least whose even spread gives every zone as many (zones being alike, the busiest zone of the
     * packing takes the first of the spread, and so on).
     */
    public static int nodesAtPeak(PodStream stream, Pool pool, long seed, int zones) {
        return nodesAtPeak(stream, pool, seed, zones, null);
    }

    /**
     * As above; {@code labelled} the zones' names when {@code --zones} names them (else null):
     * pods whose selectors name zones then go only to those, and since such zones are not alike,
     * zone i of the fixed cluster (nodes round-robin over the zones in their order) must hold what
     * the packing put in zone i.
     */
    public static int nodesAtPeak(PodStream stream, Pool pool, long seed, int zones, List<String> labelled) {
        return nodesAtPeak(stream, pool, seed, zones, labelled, Integer.MIN_VALUE);
    }

    /**
     * As above, the pods below {@code minPriority} left out (--slo-min-priority): over-provisioning placeholders hold
     * room only until real pods preempt them, so a fleet sized for the peak need not hold them too.
     */
    public static int nodesAtPeak(PodStream stream, Pool pool, long seed, int zones, List<String> labelled, int minPriority) {
        long[] peakTimes = peakInstants(stream);
        int best = 0;
        DemandTable table = stream.table();
        for (long t : peakTimes) {
            int[] count = new int[table.groupCount()];
            for (int p = 0; p < stream.size(); p++) {
                if (stream.arrival(p) <= t && stream.departure(p) > t) {
                    count[stream.group(p)]++;
                }
            }
            List<PodGroup> groups = new ArrayList<>();
            for (int g = 0; g < count.length; g++) {
                if (count[g] > 0 && table.group(g).priority() >= minPriority) {
                    PodGroup pg = table.group(g);
                    groups.add(new PodGroup(pg.name(), pg.kind(), pg.request(), count[g], count[g] == 1 && pg.singlePod(),
                            null, pg.origin(), pg.gpuModels(), pg.template(), pg.placement(), pg.priority()));
                }
            }
            if (groups.isEmpty()) {
                continue;
            }
            // With the DaemonSets, whose pods the pod rules see on the pool's nodes (a pod may need one beside it).
            io.nodesizer.model.Workload w = new io.nodesizer.model.Workload(groups, table.daemonSets(), List.of(), List.of());
            DemandTable peak = (labelled != null && zones > 1 ? DemandTable.of(w, labelled) : DemandTable.of(w, zones))
                    .runningOn(List.of(pool.shape()));
            PackingProblem problem = new PackingProblem(peak, pool.shape(), pool.daemonSetLoad(), pool.daemonSetScoring());
            io.nodesizer.engine.PackingResult packed = PackingEngine.pack(problem, PackingStrategies.FFD.create(), seed);
            best = Math.max(best, zones > 1 ? evenSpreadCovering(packed, zones, peak.zonePinned() == null) : packed.nodeCount());
        }
        return best;
    }

    /**
     * The least node count whose even spread over the zones gives each zone the nodes the packing
     * put there: busiest first when the zones are {@code alike}, else zone by zone in order.
     */
    static int evenSpreadCovering(io.nodesizer.engine.PackingResult packed, int zones, boolean alike) {
        int[] need = new int[zones];
        for (int node = 0; node < packed.nodeCount(); node++) {
            need[packed.zoneOf(node, zones)]++;
        }
        if (alike) {
            Arrays.sort(need); // ascending: the even spread's zone i (0 = most) takes the i-th largest need
        }
        for (int f = packed.nodeCount(); ; f++) {
            boolean covers = true;
            for (int i = 0; i < zones && covers; i++) {
                // zone i of the even spread gets ceil((f − i) / zones) nodes
                covers = (f - i + zones - 1) / zones >= (alike ? need[zones - 1 - i] : need[i]);
            }
            if (covers) {
                return f;
            }
        }
    }

    /** The instants (at most one per resource) where the running pods' total request is highest. */
    static long[] peakInstants(PodStream stream) {
        int n = stream.size();
        long[] times = new long[2 * n];
        int[] pods = new int[2 * n];
        int k = 0;
        for (int p = 0; p < n; p++) {
            times[k] = stream.arrival(p) * 2 + 1;
            pods[k++] = p;
            if (stream.departure(p) != PodStream.STAYS) {
                times[k] = stream.departure(p) * 2;
                pods[k++] = p;
            }
        }
        int[] order = PodStream.sortedBy(Arrays.copyOf(times, k), k);
        Resource[] resources = {Resource.CPU, Resource.MEMORY, Resource.PODS};
        long[] total = new long[resources.length];
        long[] peak = new long[resources.length];
        long[] at = new long[resources.length];
        DemandTable table = stream.table();
        for (int i = 0; i < k; i++) {
            int e = order[i];
            int p = pods[e];
            boolean arrive = (times[e] & 1) == 1;
            long t = times[e] >> 1;
            for (int r = 0; r < resources.length; r++) {
                long d = table.demand(stream.group(p), resources[r].ordinal());
                total[r] += arrive ? d : -d;
            }
            boolean lastAtInstant = i + 1 == k || (times[order[i + 1]] >> 1) != t;
            if (lastAtInstant) {
                for (int r = 0; r < resources.length; r++) {
                    if (total[r] > peak[r]) {
                        peak[r] = total[r];
                        at[r] = t;
                    }
                }
            }
        }
        return Arrays.stream(at).distinct().toArray();
    }
}

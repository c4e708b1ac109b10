package io.nodesizer.replay;

import io.nodesizer.kube.NodeMatching;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.List;

/**
 * Which pools' nodes are domains of a pod's hard topology spread, by its node inclusion policies
 * (kubernetes {@code pkg/scheduler/framework/plugins/podtopologyspread/common.go},
 * {@code matchNodeInclusionPolicies}): {@code nodeAffinityPolicy: Honor} (the default) keeps the
 * nodes the pod's node selector and required node affinity admit, Ignore all; {@code
 * nodeTaintsPolicy: Honor} keeps the nodes whose taints the pod tolerates, Ignore (the default)
 * all. A pool the pod may not use can so still be a domain, with none of its pods.
 */
final class SpreadPools {
    private SpreadPools() {
    }

    /** Per pool (by index), whether its nodes are domains of spread {@code sp} of the group (null: the default policies). */
    static boolean[] domains(PodGroup g, Placement.Spread sp, List<Pool> pools) {
        return domains(g, sp, pools, 1, null);
    }

    /**
     * Per pool and zone (at {@code pool * zones + zone}), whether that pool's nodes in that zone are
     * domains of spread {@code sp}: with named zones a node selector or required node affinity on
     * the zone decides (one Deployment per zone spreads over its zone's nodes); without names every
     * zone of a pool is as the pool.
     */
    static boolean[] domains(PodGroup g, Placement.Spread sp, List<Pool> pools, int zones, List<String> zoneNames) {
        boolean[] out = new boolean[pools.size() * zones];
        for (Pool pool : pools) {
            boolean any = NodeMatching.inSpreadDomain(sp, g.placement(), pool.shape(), pool.labels());
            for (int z = 0; z < zones; z++) {
                out[pool.index() * zones + z] = zoneNames == null ? any
                        : NodeMatching.inSpreadDomainInZone(sp, g.placement(), pool.shape(), pool.labels(), zoneNames.get(z));
            }
        }
        return out;
    }

    /** The group's hard spread over the zones with the largest minDomains (the one {@code zoneMinDomains} takes), or null. */
    static Placement.Spread zoneSpread(PodGroup g) {
        Placement p = g.placement();
        Placement.Spread best = null;
        for (Placement.Spread s : p.spread()) {
            if (s.hard() && PodConflicts.isZone(s.term().topologyKey()) && (best == null || s.minDomains() > best.minDomains())) {
                best = s;
            }
        }
        return best;
    }
}

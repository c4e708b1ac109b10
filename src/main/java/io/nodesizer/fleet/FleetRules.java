package io.nodesizer.fleet;

import io.nodesizer.engine.CoLocation;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.ZoneConflicts;
import io.nodesizer.kube.PodConflicts;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The inter-pod rules that tie pods to other pods' nodes and zones, on a given fleet whose nodes
 * carry their own zone labels ({@code pack --fleet}): required pod affinity on the hostname and
 * on the zone, required pod anti-affinity on the zone, and hard topology spreads over the zones.
 * (Anti-affinity and spreads on the hostname are {@link io.nodesizer.engine.ConflictCounts}.)
 *
 * <p>The zones are the values of the nodes' {@code topology.kubernetes.io/zone} label (or the
 * older beta label), as {@link #zonesOf} lists them for the demand table. As kube-scheduler has
 * it: a node without the label passes an anti-affinity term (no domain, nothing to repel) but
 * fails affinity and spread filters; a spread counts the zones of the nodes the pod's node
 * selector and affinity admit (nodeAffinityPolicy Honor, the default), and with fewer of them
 * than its minDomains the fewest is taken as 0. Only the pods this packing places count: pods
 * already running on a snapshot's nodes are known by their requests, not their labels.
 */
final class FleetRules {
    private final DemandTable table;
    private final int zones;
    private final int[] nodeZone;
    private final CoLocation hostAffinity;
    private final CoLocation zoneAffinity;
    private final ZoneConflicts zoneConflicts;
    private final int[] skew;
    /** Pods per group per zone: [g * zones + z]. */
    private final int[] inZone;
    /** Per group, pods placed anywhere. */
    private final int[] placed;
    /** Per group with a spread, the zones its pods may use (nodes its selectors admit); 0 without a spread. */
    private final long[] eligible;
    /** Pods of the hostname affinity targets per node: node → group → count, only for target groups. */
    private final java.util.Map<Long, Integer> onNode = new java.util.HashMap<>();

    FleetRules(DemandTable table, List<FleetPacking.FleetNode> nodes) {
        this.table = table;
        this.zones = Math.max(1, table.zones());
        List<String> names = table.zoneNames();
        this.nodeZone = new int[nodes.size()];
        for (int k = 0; k < nodes.size(); k++) {
            String z = zoneLabel(nodes.get(k));
            nodeZone[k] = z == null || names == null ? (names == null ? 0 : -1) : names.indexOf(z);
        }
        this.hostAffinity = table.coLocation();
        this.zoneAffinity = table.zoneCoLocation();
        this.zoneConflicts = table.zoneConflicts();
        this.skew = table.zoneSkew();
        int n = table.groupCount();
        this.inZone = new int[n * zones];
        this.placed = new int[n];
        this.eligible = new long[n];
        for (int g = 0; skew != null && g < n; g++) {
            if (skew[g] > 0) {
                for (int k = 0; k < nodes.size(); k++) {
                    if (nodeZone[k] >= 0 && counts(table.group(g).placement(), nodes.get(k))) {
                        eligible[g] |= 1L << nodeZone[k];
                    }
                }
            }
        }
    }

    /**
     * Whether node k's zone counts for the group's spreads over the zones, as kube-scheduler's
     * policies have it: nodeAffinityPolicy Honor (the default) leaves out nodes its selector and
     * affinity refuse, nodeTaintsPolicy Honor (default Ignore) nodes with taints it does not
     * tolerate. With several such spreads, a node any of them counts.
     */
    private static boolean counts(io.nodesizer.model.Placement placement, FleetPacking.FleetNode node) {
        for (io.nodesizer.model.Placement.Spread s : placement.spread()) {
            if (s.hard() && PodConflicts.isZone(s.term().topologyKey())
                    && io.nodesizer.kube.NodeMatching.inSpreadDomain(s, placement, node.labels(), node.taints(), node.name())) {
                return true;
            }
        }
        return false;
    }

    /** The zone label values of the fleet's nodes, in the order first seen; empty when none carries one. */
    static List<String> zonesOf(List<FleetPacking.FleetNode> nodes) {
        Set<String> out = new LinkedHashSet<>();
        for (FleetPacking.FleetNode node : nodes) {
            String z = zoneLabel(node);
            if (z != null) {
                out.add(z);
            }
        }
        return new ArrayList<>(out);
    }

    private static String zoneLabel(FleetPacking.FleetNode node) {
        String z = node.labels().get(PodConflicts.ZONE);
        return z != null ? z : node.labels().get(PodConflicts.BETA_ZONE);
    }

    /** Whether a rule here applies to group g's own placement (so that an earlier node may admit its next pod). */
    boolean ruled(int g) {
        return follows(g) || zoneConflicts.repels(g) != null || zoneConflicts.repelledEverywhere(g) || skew != null && skew[g] > 0;
    }

    /** Whether group g waits for other pods (pod affinity): it is placed after the groups that do not. */
    boolean follows(int g) {
        return hostAffinity.constrains(g) || zoneAffinity.constrains(g);
    }

    /** Whether a pod of group g may go on node k by these rules. */
    boolean admits(int k, int g) {
        int z = nodeZone[k];
        if (hostAffinity.constrains(g) && !hostAffinity.admits(g, targetsOnNode(k, g), targets(hostAffinity, g))) {
            return false;
        }
        if (zoneAffinity.constrains(g) && (z < 0 || !zoneAffinity.admits(g, targetsInZone(z, g), targets(zoneAffinity, g)))) {
            return false;
        }
        int[] repels = zoneConflicts.repels(g);
        if (zoneConflicts.repelledEverywhere(g)) {
            return false;
        }
        if (repels != null && z >= 0) {
            for (int h : repels) {
                if (inZone[h * zones + z] > 0) {
                    return false;
                }
            }
        }
        if (skew != null && skew[g] > 0) {
            if (z < 0 || (eligible[g] & (1L << z)) == 0) {
                return false;
            }
            return inZone[g * zones + z] + 1 - fewest(g) <= skew[g];
        }
        return true;
    }

    /** The fewest pods of g in a zone it may use (0 with fewer such zones than its minDomains). */
    private int fewest(int g) {
        if (table.zoneFloor() != null && table.zoneFloor()[g]
                || Long.bitCount(eligible[g]) < PodConflicts.zoneMinDomains(table.group(g).placement())) {
            return 0;
        }
        int min = Integer.MAX_VALUE;
        for (int z = 0; z < zones; z++) {
            if ((eligible[g] & (1L << z)) != 0) {
                min = Math.min(min, inZone[g * zones + z]);
            }
        }
        return min == Integer.MAX_VALUE ? 0 : min;
    }

    private int targetsOnNode(int k, int g) {
        int n = 0;
        for (int h : hostAffinity.targets(g)) {
            n += onNode.getOrDefault((long) k * table.groupCount() + h, 0);
        }
        return n;
    }

    private int targetsInZone(int z, int g) {
        int n = 0;
        for (int h : zoneAffinity.targets(g)) {
            n += inZone[h * zones + z];
        }
        return n;
    }

    private int targets(CoLocation co, int g) {
        int n = 0;
        for (int h : co.targets(g)) {
            n += placed[h];
        }
        return n;
    }

    /** Records a pod of group g on node k. */
    void add(int k, int g) {
        placed[g]++;
        if (nodeZone[k] >= 0) {
            inZone[g * zones + nodeZone[k]]++;
        }
        if (hostAffinity.isTarget(g)) {
            onNode.merge((long) k * table.groupCount() + g, 1, Integer::sum);
        }
    }

    /**
     * The first rule the final assignment breaks, or null: every pod with affinity runs beside (in
     * the zone of) a target pod, except one node (zone) per group where its own series began; no
     * zone runs pods that repel each other on the zone; each spread ends within its maxSkew over
     * the zones it may use (the fewest never falls, so every earlier state had it too).
     */
    static String violation(DemandTable table, List<FleetPacking.FleetNode> nodes, int[] assignment) {
        FleetRules r = new FleetRules(table, nodes);
        int n = table.groupCount();
        for (int g = 0; g < n; g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int k = assignment[table.firstPod(g) + i];
                if (k >= 0) {
                    r.add(k, g);
                }
            }
        }
        for (int g = 0; g < n; g++) {
            Set<Integer> alone = new java.util.HashSet<>();
            Set<Integer> aloneZones = new java.util.HashSet<>();
            for (int i = 0; i < table.replicas(g); i++) {
                int k = assignment[table.firstPod(g) + i];
                if (k < 0) {
                    continue;
                }
                int z = r.nodeZone[k];
                if (r.hostAffinity.constrains(g) && r.targetsOnNode(k, g) - (r.hostAffinity.isTarget(g) && contains(r.hostAffinity.targets(g), g)
                        ? r.onNode.getOrDefault((long) k * n + g, 0) : 0) == 0) {
                    alone.add(k);
                }
                if (r.zoneAffinity.constrains(g) && (z < 0 || r.targetsInZone(z, g) - (contains(r.zoneAffinity.targets(g), g)
                        ? r.inZone[g * r.zones + z] : 0) == 0)) {
                    aloneZones.add(z);
                }
                int[] repels = r.zoneConflicts.repels(g);
                for (int h : repels == null || z < 0 ? new int[0] : repels) {
                    if (r.inZone[h * r.zones + z] > (h == g ? 1 : 0)) {
                        return "zone " + table.zoneNames().get(z) + " runs pods of " + table.group(g).name() + " and " + table.group(h).name()
                                + ", which required pod anti-affinity on the zone keeps apart";
                    }
                }
            }
            if (alone.size() > (r.hostAffinity.selfMatch(g) ? 1 : 0) || aloneZones.size() > (r.zoneAffinity.selfMatch(g) ? 1 : 0)) {
                return "pods of " + table.group(g).name() + " run where no pod their required pod affinity selects runs";
            }
            if (r.skew != null && r.skew[g] > 0) {
                int most = 0;
                for (int z = 0; z < r.zones; z++) {
                    most = (r.eligible[g] & (1L << z)) != 0 ? Math.max(most, r.inZone[g * r.zones + z]) : most;
                }
                if (most - r.fewest(g) > r.skew[g]) {
                    return "pods of " + table.group(g).name() + " spread over the zones with a skew above its maxSkew " + r.skew[g];
                }
            }
        }
        return null;
    }

    private static boolean contains(int[] a, int x) {
        for (int v : a) {
            if (v == x) {
                return true;
            }
        }
        return false;
    }
}

package io.nodesizer.engine;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The pod side of the scheduler's preference scores, which depends on the workload and the zone
 * count but not on the node shapes: per group, the spread constraints PodTopologySpread scores, and
 * the groups whose running pods add to or take from its InterPodAffinity score. A sweep scores
 * every shape with the same workload, so {@link DemandTable#preferences} keeps it once per zone count.
 *
 * @param spreadKeys     per group its scored spread constraints' keys ({@link #HOST} or {@link #ZONE}); null for none
 * @param spreadSkews    their maxSkews
 * @param relatedGroups  per group the groups whose running pods score it; null for none
 * @param relatedKeys    the key of each ({@link #HOST} or {@link #ZONE})
 * @param relatedWeights the summed signed weight of each
 */
public record PodPreferences(byte[][] spreadKeys, int[][] spreadSkews, int[][] relatedGroups, byte[][] relatedKeys, int[][] relatedWeights) {
    /** The hostname domain: one node. */
    public static final byte HOST = 0;
    /** The zone domain. */
    public static final byte ZONE = 1;
    /** kube-scheduler's default {@code hardPodAffinityWeight}. */
    public static final int HARD_POD_AFFINITY_WEIGHT = 1;

    /** The pod side of the preferences of these groups, on nodes spread over {@code zones} zones. */
    public static PodPreferences of(List<PodGroup> groups, int zones) {
        int n = groups.size();
        byte[][] spreadKeys = new byte[n][];
        int[][] spreadSkews = new int[n][];
        for (int g = 0; g < n; g++) {
            spread(groups.get(g).placement(), zones, g, spreadKeys, spreadSkews);
        }
        int[][] relatedGroups = new int[n][];
        byte[][] relatedKeys = new byte[n][];
        int[][] relatedWeights = new int[n][];
        relations(groups, zones, relatedGroups, relatedKeys, relatedWeights);
        return new PodPreferences(spreadKeys, spreadSkews, relatedGroups, relatedKeys, relatedWeights);
    }

    /**
     * The constraints PodTopologySpread scores for the group: its ScheduleAnyway ones when it has any
     * constraint, else the system defaults when a controller owns it. Only the hostname, and the zone
     * with more than one zone, make scores differ between nodes.
     */
    static void spread(Placement pl, int zones, int g, byte[][] keys, int[][] skews) {
        List<byte[]> found = new ArrayList<>();
        List<Integer> skew = new ArrayList<>();
        if (!pl.spread().isEmpty()) {
            for (Placement.Spread s : pl.spread()) {
                if (s.hard()) {
                    continue;
                }
                String key = s.term().topologyKey();
                if (PodConflicts.HOSTNAME.equals(key)) {
                    found.add(new byte[]{HOST});
                    skew.add(s.maxSkew());
                } else if (PodConflicts.isZone(key) && zones > 1) {
                    found.add(new byte[]{ZONE});
                    skew.add(s.maxSkew());
                }
            }
        } else if (pl.preferences().systemSpread()) {
            found.add(new byte[]{HOST});
            skew.add(3);
            if (zones > 1) {
                found.add(new byte[]{ZONE});
                skew.add(5);
            }
        }
        if (!found.isEmpty()) {
            keys[g] = new byte[found.size()];
            skews[g] = new int[found.size()];
            for (int i = 0; i < found.size(); i++) {
                keys[g][i] = found.get(i)[0];
                skews[g][i] = skew.get(i);
            }
        }
    }

    /**
     * InterPodAffinity's relations: for an incoming pod of group g, each group h whose running pods
     * add (or take) score in their domain, with the summed signed weight per key.
     */
    private static void relations(List<PodGroup> groups, int zones, int[][] relatedGroups, byte[][] relatedKeys, int[][] relatedWeights) {
        int n = groups.size();
        List<Integer> withTerms = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            Placement p = groups.get(g).placement();
            if (!p.preferences().affinity().isEmpty() || !p.preferences().antiAffinity().isEmpty() || !p.affinity().isEmpty()) {
                withTerms.add(g);
            }
        }
        if (withTerms.isEmpty()) {
            return;
        }
        // weight[g][h * 2 + key]
        Map<Integer, Map<Integer, int[]>> rel = new java.util.TreeMap<>();
        for (int a : withTerms) {
            Placement pa = groups.get(a).placement();
            for (int b = 0; b < n; b++) {
                Placement pb = groups.get(b).placement();
                // a's own preferred terms, when a is the incoming pod and b runs
                for (Placement.WeightedPodTerm t : pa.preferences().affinity()) {
                    relate(rel, a, b, t.term(), t.weight(), pa.namespace(), pb, zones);
                }
                for (Placement.WeightedPodTerm t : pa.preferences().antiAffinity()) {
                    relate(rel, a, b, t.term(), -t.weight(), pa.namespace(), pb, zones);
                }
                // a's terms when a runs and b comes in: required affinity (hardPodAffinityWeight) and preferred terms
                for (Placement.PodAffinityTerm t : pa.affinity()) {
                    relate(rel, b, a, t, HARD_POD_AFFINITY_WEIGHT, pa.namespace(), pb, zones);
                }
                for (Placement.WeightedPodTerm t : pa.preferences().affinity()) {
                    relate(rel, b, a, t.term(), t.weight(), pa.namespace(), pb, zones);
                }
                for (Placement.WeightedPodTerm t : pa.preferences().antiAffinity()) {
                    relate(rel, b, a, t.term(), -t.weight(), pa.namespace(), pb, zones);
                }
            }
        }
        for (var e : rel.entrySet()) {
            int g = e.getKey();
            List<int[]> rows = new ArrayList<>();
            for (var h : e.getValue().entrySet()) {
                for (byte key = HOST; key <= ZONE; key++) {
                    if (h.getValue()[key] != 0) {
                        rows.add(new int[]{h.getKey(), key, h.getValue()[key]});
                    }
                }
            }
            if (rows.isEmpty()) {
                continue;
            }
            relatedGroups[g] = new int[rows.size()];
            relatedKeys[g] = new byte[rows.size()];
            relatedWeights[g] = new int[rows.size()];
            for (int i = 0; i < rows.size(); i++) {
                relatedGroups[g][i] = rows.get(i)[0];
                relatedKeys[g][i] = (byte) rows.get(i)[1];
                relatedWeights[g][i] = rows.get(i)[2];
            }
        }
    }

    /**
     * Records that running pods of {@code running} add {@code weight} to the domain score of an
     * incoming pod of {@code incoming}, when the term (of a pod in {@code termNamespace}) matches
     * {@code matched}'s pods; only hostname and zone domains make scores differ.
     */
    private static void relate(Map<Integer, Map<Integer, int[]>> rel, int incoming, int running, Placement.PodAffinityTerm term, int weight,
                               String termNamespace, Placement matched, int zones) {
        byte key;
        if (PodConflicts.HOSTNAME.equals(term.topologyKey())) {
            key = HOST;
        } else if (PodConflicts.isZone(term.topologyKey()) && zones > 1) {
            key = ZONE;
        } else {
            return;
        }
        if (!PodConflicts.matches(term, termNamespace, matched)) {
            return;
        }
        rel.computeIfAbsent(incoming, k -> new java.util.TreeMap<>()).computeIfAbsent(running, k -> new int[2])[key] += weight;
    }
}

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
 * @param spreadOtherKeys per group the keys of its soft constraints other than the hostname and the zone; null for none
 * @param relatedGroups  per group the groups whose running pods score it; null for none
 * @param relatedKeys    the key of each ({@link #HOST} or {@link #ZONE})
 * @param relatedWeights the summed signed weight of each
 */
public record PodPreferences(byte[][] spreadKeys, int[][] spreadSkews, String[][] spreadOtherKeys, int[][] relatedGroups, byte[][] relatedKeys,
                             int[][] relatedWeights) {
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
        String[][] others = new String[n][];
        for (int g = 0; g < n; g++) {
            spread(groups.get(g).placement(), g, spreadKeys, spreadSkews, others);
        }
        int[][] relatedGroups = new int[n][];
        byte[][] relatedKeys = new byte[n][];
        int[][] relatedWeights = new int[n][];
        relations(groups, zones, relatedGroups, relatedKeys, relatedWeights);
        return new PodPreferences(spreadKeys, spreadSkews, others, relatedGroups, relatedKeys, relatedWeights);
    }

    /**
     * The constraints PodTopologySpread scores for the group: its ScheduleAnyway ones when it has any
     * constraint, else the system defaults when a controller owns it. The zone counts even with one
     * zone: every node of a cloud cluster carries a zone label, and upstream's normalization
     * ({@code 100·(max + min − s)/max}) feels the count every node then shares. Soft constraints on
     * other keys are listed in {@code others}: the scoring decides with the node labels.
     */
    static void spread(Placement pl, int g, byte[][] keys, int[][] skews, String[][] others) {
        List<byte[]> found = new ArrayList<>();
        List<Integer> skew = new ArrayList<>();
        List<String> other = new ArrayList<>();
        if (!pl.spread().isEmpty()) {
            for (Placement.Spread s : pl.spread()) {
                if (s.hard()) {
                    continue;
                }
                String key = s.term().topologyKey();
                if (PodConflicts.HOSTNAME.equals(key)) {
                    found.add(new byte[]{HOST});
                    skew.add(s.maxSkew());
                } else if (PodConflicts.isZone(key)) {
                    found.add(new byte[]{ZONE});
                    skew.add(s.maxSkew());
                } else {
                    other.add(key);
                }
            }
        } else if (pl.preferences().systemSpread()) {
            found.add(new byte[]{HOST});
            skew.add(3);
            found.add(new byte[]{ZONE});
            skew.add(5);
        }
        if (!found.isEmpty()) {
            keys[g] = new byte[found.size()];
            skews[g] = new int[found.size()];
            for (int i = 0; i < found.size(); i++) {
                keys[g][i] = found.get(i)[0];
                skews[g][i] = skew.get(i);
            }
        }
        if (!other.isEmpty()) {
            others[g] = other.toArray(String[]::new);
        }
    }

    /**
     * InterPodAffinity's relations: for an incoming pod of group g, each group h whose running pods
     * add (or take) score in their domain, with the summed signed weight per key. Each term is
     * matched once, against the groups its selector can select ({@link GroupLabelIndex}), and adds to both directions
     * it scores: a preferred term of a when a comes in beside h, and when h comes in beside a.
     * Zone terms count only with several zones: with one, they add the same to every node, which
     * the min–max normalization cancels.
     */
    private static void relations(List<PodGroup> groups, int zones, int[][] relatedGroups, byte[][] relatedKeys, int[][] relatedWeights) {
        int n = groups.size();
        GroupLabelIndex index = null;
        // rel.get(g).get(h)[key]: the signed weight running pods of h add for an incoming pod of g
        Map<Integer, Map<Integer, int[]>> rel = new java.util.TreeMap<>();
        for (int a = 0; a < n; a++) {
            Placement pa = groups.get(a).placement();
            Placement.Preferences pref = pa.preferences();
            if (pref.affinity().isEmpty() && pref.antiAffinity().isEmpty() && pa.affinity().isEmpty()) {
                continue;
            }
            if (index == null) {
                index = new GroupLabelIndex(groups);
            }
            for (Placement.WeightedPodTerm t : pref.affinity()) {
                relate(rel, groups, index, a, t.term(), t.weight(), true, zones);
            }
            for (Placement.WeightedPodTerm t : pref.antiAffinity()) {
                relate(rel, groups, index, a, t.term(), -t.weight(), true, zones);
            }
            for (Placement.PodAffinityTerm t : pa.affinity()) {
                relate(rel, groups, index, a, t, HARD_POD_AFFINITY_WEIGHT, false, zones);
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
     * Adds what a term of group a's pods scores, for every group b its selector matches: a
     * preferred term ({@code both}) scores an incoming pod of a beside running pods of b and an
     * incoming pod of b beside running pods of a; a required affinity term only the latter
     * (hardPodAffinityWeight). Only hostname and zone domains make scores differ.
     */
    private static void relate(Map<Integer, Map<Integer, int[]>> rel, List<PodGroup> groups, GroupLabelIndex index, int a,
                               Placement.PodAffinityTerm term, int weight, boolean both, int zones) {
        byte key;
        if (PodConflicts.HOSTNAME.equals(term.topologyKey())) {
            key = HOST;
        } else if (PodConflicts.isZone(term.topologyKey()) && zones > 1) {
            key = ZONE;
        } else {
            return;
        }
        for (int b : index.selected(term, groups.get(a).placement().namespace())) {
            if (both) {
                rel.computeIfAbsent(a, k -> new java.util.TreeMap<>()).computeIfAbsent(b, k -> new int[2])[key] += weight;
            }
            rel.computeIfAbsent(b, k -> new java.util.TreeMap<>()).computeIfAbsent(a, k -> new int[2])[key] += weight;
        }
    }
}

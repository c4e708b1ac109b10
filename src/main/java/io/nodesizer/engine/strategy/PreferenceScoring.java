package io.nodesizer.engine.strategy;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GroupCounts;
import io.nodesizer.engine.PodPreferences;
import io.nodesizer.kube.NodeLabels;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The default profile's score plugins for preferences, with their weights (kube-scheduler
 * {@code pkg/scheduler/apis/config/v1/default_plugins.go}): TaintToleration 3, NodeAffinity 2,
 * PodTopologySpread 2, InterPodAffinity 2. Each plugin scores the nodes being scored for a pod
 * and normalizes over them as upstream does (files under
 * {@code pkg/scheduler/framework/plugins/}):
 * <ul>
 *   <li><b>TaintToleration</b>: the node's PreferNoSchedule taints the pod does not tolerate, reversed
 *       ({@code 100 − 100·count/max}; 100 everywhere when no node has one).</li>
 *   <li><b>NodeAffinity</b>: the sum of the weights of the preferred terms the node meets, as
 *       {@code 100·sum/max} (0 everywhere when no node meets one).</li>
 *   <li><b>PodTopologySpread</b>: the pod's {@code ScheduleAnyway} constraints, or when it has no
 *       constraint at all and belongs to a controller the system defaults (hostname maxSkew 3, zone
 *       maxSkew 5). Per node {@code round(Σ count·ln(domains + 2) + maxSkew − 1)}, the count being the
 *       pods of the pod's own workload on the node or in its zone (upstream counts the pods of the
 *       same owner); normalized as {@code 100·(max + min − s)/max} (100 everywhere when max is 0).</li>
 *   <li><b>InterPodAffinity</b>: for every running pod in the node's domain, the weight of each of the
 *       pod's preferred affinity terms it matches, minus those of its preferred anti-affinity terms;
 *       plus, the other way round, the running pod's required affinity terms (hardPodAffinityWeight 1)
 *       and preferred terms that match the pod; normalized from the lowest to the highest over the scored
 *       nodes onto 0..100 (truncated; 0 everywhere when they are all equal).</li>
 * </ul>
 * Domains are the hostname and the zone; every node carries a zone (one zone without
 * {@code --zones}, as in a single-zone cloud cluster). Simplifications (see the README): inter-pod
 * terms and spread constraints on other topology keys are not scored (a soft spread on a key no
 * node carries makes upstream score 0 everywhere, and so does this); preferred node terms on region
 * labels count as met on every node, and so do terms on zone labels unless the zones have names
 * ({@link DemandTable#zoneNames()}: then they are matched per zone). TaintToleration and
 * NodeAffinity are skipped for a group whose raw score is the same on every pool and zone: they
 * would add the same to every node.
 */
public final class PreferenceScoring {
    /** Plugin weights of the default profile. */
    static final int TAINT_WEIGHT = 3;
    static final int NODE_AFFINITY_WEIGHT = 2;
    static final int SPREAD_WEIGHT = 2;
    static final int INTER_POD_WEIGHT = 2;
    /** {@code framework.MaxNodeScore}. */
    static final long MAX_SCORE = 100;
    /** kube-scheduler's default {@code hardPodAffinityWeight}. */
    static final int HARD_POD_AFFINITY_WEIGHT = PodPreferences.HARD_POD_AFFINITY_WEIGHT;

    private static final byte HOST = PodPreferences.HOST;
    private static final byte ZONE = PodPreferences.ZONE;

    /** Where a node is: its pool (index into the pool shapes) and zone (0 without zones). */
    public interface NodePlaces {
        int pool(int node);

        int zone(int node);

        /** The places given by two lookups. */
        static NodePlaces of(java.util.function.IntUnaryOperator pool, java.util.function.IntUnaryOperator zone) {
            return new NodePlaces() {
                @Override
                public int pool(int node) {
                    return pool.applyAsInt(node);
                }

                @Override
                public int zone(int node) {
                    return zone.applyAsInt(node);
                }
            };
        }
    }

    private final int pools;
    private final int zones;
    /** Per (group, pool): the summed weights of the group's preferred node terms the pool's nodes meet; null when no group has one. */
    /** Per (group, pool, zone) the weights of the preferred node terms met; zones 1 unless named. */
    private final int[] nodeAffinity;
    private final int affinityZones;
    /** Per (group, pool): the pool's PreferNoSchedule taints the group does not tolerate; null when no pool has one. */
    private final int[] taints;
    /** Per group: its scored spread constraints' keys (HOST or ZONE) and maxSkews; null for none. */
    private final byte[][] spreadKeys;
    private final int[][] spreadSkews;
    /** Per group: the groups whose running pods score it, the key and the signed weight of each. */
    private final int[][] relatedGroups;
    private final byte[][] relatedKeys;
    private final int[][] relatedWeights;
    private final boolean[] scored;
    private final boolean[] counted;
    private long[] raw = new long[64];
    /**
     * {@link #spreadRaw}'s score of a node is a function of the group's pods on it and its zone
     * (every hostname key counts the former, every zone key the latter), and a pod's few hundred
     * scored nodes hold only a handful of distinct pairs: each pair's score is computed once per
     * pod, at [zone * MEMO_COUNTS + pods on the node], valid where {@link #memoStamp} is the pod's stamp.
     */
    private final long[] memo;
    private final int[] memoStamp;
    private int stamp;
    private static final int MEMO_COUNTS = 32;
    /** PodTopologySpread's normalized score per raw score from the lowest, for one pod (see {@link #podTopologySpread}). */
    private long[] normalizedOf = new long[64];

    private PreferenceScoring(int groups, int pools, int zones, int affinityZones, int[] nodeAffinity, int[] taints, byte[][] spreadKeys, int[][] spreadSkews,
                              int[][] relatedGroups, byte[][] relatedKeys, int[][] relatedWeights) {
        this.pools = pools;
        this.zones = zones;
        this.nodeAffinity = nodeAffinity;
        this.affinityZones = affinityZones;
        this.taints = taints;
        this.spreadKeys = spreadKeys;
        this.spreadSkews = spreadSkews;
        this.relatedGroups = relatedGroups;
        this.relatedKeys = relatedKeys;
        this.relatedWeights = relatedWeights;
        this.memo = new long[Math.max(1, zones) * MEMO_COUNTS];
        this.memoStamp = new int[memo.length];
        this.scored = new boolean[groups];
        this.counted = new boolean[groups];
        for (int g = 0; g < groups; g++) {
            if (spreadKeys[g] != null) {
                counted[g] = true;
            }
            if (relatedGroups[g] != null) {
                for (int h : relatedGroups[g]) {
                    counted[h] = true;
                }
            }
            scored[g] = spreadKeys[g] != null || relatedGroups[g] != null || affinityVaries(g) || varies(taints, g);
        }
    }

    /** Whether the group's preferred node terms score some (pool, zone) of the nodes differently from another. */
    private boolean affinityVaries(int g) {
        if (nodeAffinity == null) {
            return false;
        }
        int base = g * pools * affinityZones;
        for (int i = 1; i < pools * affinityZones; i++) {
            if (nodeAffinity[base + i] != nodeAffinity[base]) {
                return true;
            }
        }
        return false;
    }

    private boolean varies(int[] perPool, int g) {
        if (perPool == null) {
            return false;
        }
        for (int p = 1; p < pools; p++) {
            if (perPool[g * pools + p] != perPool[g * pools]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The preference scores of a workload's groups on nodes of these pools spread over {@code zones}
     * zones, or null when no group's score can differ between nodes (nothing to score).
     */
    public static PreferenceScoring of(DemandTable table, List<NodeShape> poolShapes, int zones) {
        PreferenceScoring s = build(table, poolShapes, zones);
        for (int g = 0; g < table.groupCount(); g++) {
            if (s.scored[g]) {
                return s;
            }
        }
        return null;
    }

    /** The scores whether or not any group's can differ between nodes ({@link #of} returns null then). */
    static PreferenceScoring build(DemandTable table, List<NodeShape> poolShapes, int zones) {
        int groups = table.groupCount();
        int pools = poolShapes.size();
        List<Map<String, String>> labels = new ArrayList<>();
        boolean anyPreferNoSchedule = false;
        for (NodeShape s : poolShapes) {
            labels.add(NodeLabels.of(s));
            for (Placement.Taint t : s.taints()) {
                anyPreferNoSchedule |= t.effect().equals("PreferNoSchedule");
            }
        }
        int[] nodeAffinity = null;
        int[] taints = anyPreferNoSchedule ? new int[groups * pools] : null;
        PodPreferences pod = table.preferences(zones);
        // With named zones (the nodes' zone label values) a term on the zone, and on the region the
        // zone's name gives (NodeMatching.regionOf), is matched per zone; without them both count as met.
        List<String> zoneNames = table.zoneNames() != null && table.zoneNames().size() == zones ? table.zoneNames() : null;
        int nz = zoneNames == null ? 1 : zoneNames.size();
        for (int g = 0; g < groups; g++) {
            Placement pl = table.group(g).placement();
            List<Placement.WeightedTerm> terms = pl.preferences().nodeTerms();
            if (!terms.isEmpty() && pools * nz > 1) {
                nodeAffinity = nodeAffinity == null ? new int[groups * pools * nz] : nodeAffinity;
                for (int p = 0; p < pools; p++) {
                    for (int z = 0; z < nz; z++) {
                        Map<String, String> l = labels.get(p);
                        java.util.Set<String> assumed = new java.util.HashSet<>(NodeMatching.PER_NODE);
                        if (zoneNames != null) {
                            l = NodeMatching.zoneLabels(l, zoneNames.get(z), assumed);
                        }
                        int sum = 0;
                        for (Placement.WeightedTerm t : terms) {
                            if (NodeMatching.matchesTerms(List.of(t.term()), l, null, assumed)) {
                                sum += t.weight();
                            }
                        }
                        nodeAffinity[(g * pools + p) * nz + z] = sum;
                    }
                }
            }
            if (taints != null) {
                for (int p = 0; p < pools; p++) {
                    taints[g * pools + p] = intolerable(pl.tolerations(), poolShapes.get(p).taints());
                }
            }
        }
        byte[][] spreadKeys = pod.spreadKeys().clone();
        int[][] spreadSkews = pod.spreadSkews().clone();
        for (int g = 0; g < groups; g++) {
            if (zones < 1 && spreadKeys[g] != null) {
                withoutZone(spreadKeys, spreadSkews, g, table.group(g).placement().spread().isEmpty());
            }
            String[] others = pod.spreadOtherKeys()[g];
            if (others != null && spreadKeys[g] != null && !carried(others, labels)) {
                // A soft constraint on a key no node carries: upstream ignores every node (requireAllTopologies) and scores 0.
                spreadKeys[g] = null;
            }
        }
        return new PreferenceScoring(groups, pools, zones, nz, nodeAffinity, taints, spreadKeys, spreadSkews, pod.relatedGroups(),
                pod.relatedKeys(), pod.relatedWeights());
    }

    /**
     * The spread keys on nodes without zone labels (0 zones, for hand-made clusters): the system
     * defaults drop the zone (upstream does not require every key of its own constraints), while a
     * pod's own soft zone constraint makes upstream ignore every node (null: nothing scored).
     */
    private static void withoutZone(byte[][] keys, int[][] skews, int g, boolean systemDefaults) {
        int kept = 0;
        for (byte k : keys[g]) {
            kept += k == ZONE ? 0 : 1;
        }
        if (kept == keys[g].length) {
            return;
        }
        if (!systemDefaults || kept == 0) {
            keys[g] = null;
            skews[g] = null;
            return;
        }
        byte[] k2 = new byte[kept];
        int[] s2 = new int[kept];
        int i = 0;
        for (int c = 0; c < keys[g].length; c++) {
            if (keys[g][c] != ZONE) {
                k2[i] = keys[g][c];
                s2[i++] = skews[g][c];
            }
        }
        keys[g] = k2;
        skews[g] = s2;
    }

    /** Whether some pool's nodes carry every one of these label keys. */
    private static boolean carried(String[] keys, List<Map<String, String>> poolLabels) {
        for (Map<String, String> labels : poolLabels) {
            boolean all = true;
            for (String k : keys) {
                all &= labels.containsKey(k);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** TaintToleration's count: the PreferNoSchedule taints no toleration of the pod tolerates. */
    static int intolerable(List<Placement.Toleration> tolerations, List<Placement.Taint> taints) {
        int n = 0;
        for (Placement.Taint taint : taints) {
            if (taint.effect().equals("PreferNoSchedule") && !NodeMatching.tolerated(tolerations, taint)) {
                n++;
            }
        }
        return n;
    }

    /** Whether any plugin can score the group's pods differently on different nodes. */
    public boolean scores(int group) {
        return scored[group];
    }

    /** Which groups' running pods the scores count ({@link GroupCounts}). */
    public boolean[] counted() {
        return counted.clone();
    }

    /**
     * Adds the weighted, normalized scores of the preference plugins for a pod of {@code group} to
     * {@code total[i]} of each node {@code nodes[i]}, i &lt; n: the nodes being scored for the pod.
     * A plugin whose raw score is the same on every node of every pool is skipped (it would add the
     * same to every node).
     */
    public void addTo(int group, int[] nodes, int n, long[] total, NodePlaces places, GroupCounts counts) {
        addTo(group, nodes, n, total, places, counts, null);
    }

    /**
     * As {@link #addTo(int, int[], int, long[], NodePlaces, GroupCounts)}, with one more intolerable PreferNoSchedule
     * taint on the nodes {@code softTainted} holds (null: none): Cluster Autoscaler's soft taint on its deletion
     * candidates, which the replay's scheduler counts in TaintToleration with the shapes' own.
     */
    public void addTo(int group, int[] nodes, int n, long[] total, NodePlaces places, GroupCounts counts,
                      java.util.function.IntPredicate softTainted) {
        if (!scored[group] || n == 0) {
            return;
        }
        if (raw.length < n) {
            raw = new long[Math.max(n, raw.length * 2)];
        }
        if (taints != null && varies(taints, group) || softTainted != null) {
            taintToleration(group, nodes, n, places, total, TAINT_WEIGHT, softTainted);
        }
        if (affinityVaries(group)) {
            preferredNodeAffinity(group, nodes, n, places, total, NODE_AFFINITY_WEIGHT);
        }
        if (spreadKeys[group] != null) {
            podTopologySpread(group, nodes, n, places, counts, total, SPREAD_WEIGHT);
        }
        if (relatedGroups[group] != null) {
            interPodAffinity(group, nodes, n, places, counts, total, INTER_POD_WEIGHT);
        }
    }

    /** The score plugins, for {@link #normalized}. */
    enum Plugin {
        TAINT_TOLERATION, NODE_AFFINITY, POD_TOPOLOGY_SPREAD, INTER_POD_AFFINITY
    }

    /**
     * For tests: one plugin's normalized scores (0..100, unweighted) for a pod of {@code group} on
     * {@code nodes[0..n)}, as upstream's Score and NormalizeScore give them, also where {@link #addTo}
     * skips the plugin because it adds the same to every node. 0 everywhere for a plugin upstream
     * skips (PodTopologySpread without constraints, InterPodAffinity without terms).
     */
    long[] normalized(Plugin plugin, int group, int[] nodes, int n, NodePlaces places, GroupCounts counts) {
        long[] out = new long[n];
        if (n == 0) {
            return out;
        }
        if (raw.length < n) {
            raw = new long[Math.max(n, raw.length * 2)];
        }
        switch (plugin) {
            case TAINT_TOLERATION -> taintToleration(group, nodes, n, places, out, 1, null);
            case NODE_AFFINITY -> preferredNodeAffinity(group, nodes, n, places, out, 1);
            case POD_TOPOLOGY_SPREAD -> {
                if (spreadKeys[group] != null) {
                    podTopologySpread(group, nodes, n, places, counts, out, 1);
                }
            }
            case INTER_POD_AFFINITY -> {
                if (relatedGroups[group] != null) {
                    interPodAffinity(group, nodes, n, places, counts, out, 1);
                }
            }
        }
        return out;
    }

    /** TaintToleration: the intolerable PreferNoSchedule taints, reversed by helper.DefaultNormalizeScore. */
    private void taintToleration(int group, int[] nodes, int n, NodePlaces places, long[] total, int weight,
                                 java.util.function.IntPredicate softTainted) {
        for (int i = 0; i < n; i++) {
            raw[i] = (taints == null ? 0 : taints[group * pools + places.pool(nodes[i])])
                    + (softTainted != null && softTainted.test(nodes[i]) ? 1 : 0);
        }
        addDefaultNormalized(total, n, true, weight);
    }

    /** NodeAffinity: the weights of the preferred terms met, by helper.DefaultNormalizeScore. */
    private void preferredNodeAffinity(int group, int[] nodes, int n, NodePlaces places, long[] total, int weight) {
        for (int i = 0; i < n; i++) {
            raw[i] = nodeAffinity == null ? 0
                    : nodeAffinity[(group * pools + places.pool(nodes[i])) * affinityZones + (affinityZones == 1 ? 0 : places.zone(nodes[i]))];
        }
        addDefaultNormalized(total, n, false, weight);
    }

    /** PodTopologySpread: {@code 100·(max + min − s)/max}, max from 0 and min over the nodes (100 everywhere when max is 0). */
    private void podTopologySpread(int group, int[] nodes, int n, NodePlaces places, GroupCounts counts, long[] total, int weight) {
        spreadRaw(group, nodes, n, places, counts);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, raw[i]);
            max = Math.max(max, raw[i]);
        }
        if (max == 0) {
            for (int i = 0; i < n; i++) {
                total[i] += weight * MAX_SCORE;
            }
            return;
        }
        // Few distinct raw scores: one division each, not one per node.
        int span = (int) Math.min(max - min + 1, Integer.MAX_VALUE);
        if (span > n) {
            for (int i = 0; i < n; i++) {
                total[i] += weight * (MAX_SCORE * (max + min - raw[i]) / max);
            }
            return;
        }
        if (normalizedOf.length < span) {
            normalizedOf = new long[Math.max(span, normalizedOf.length * 2)];
        }
        for (int v = 0; v < span; v++) {
            normalizedOf[v] = weight * (MAX_SCORE * (max - v) / max); // raw = min + v
        }
        for (int i = 0; i < n; i++) {
            total[i] += normalizedOf[(int) (raw[i] - min)];
        }
    }

    /**
     * InterPodAffinity: the signed weights of the running pods in the node's domains, mapped from the
     * lowest to the highest over the nodes onto 0..100 (truncated; 0 everywhere when they are all equal).
     */
    private void interPodAffinity(int group, int[] nodes, int n, NodePlaces places, GroupCounts counts, long[] total, int weight) {
        int[] hs = relatedGroups[group];
        byte[] ks = relatedKeys[group];
        int[] ws = relatedWeights[group];
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < n; i++) {
            int node = nodes[i];
            long s = 0;
            for (int j = 0; j < hs.length; j++) {
                int c = ks[j] == HOST ? counts.onNode(node, hs[j]) : counts.inZone(places.zone(node), hs[j]);
                s += (long) ws[j] * c;
            }
            raw[i] = s;
            min = Math.min(min, s);
            max = Math.max(max, s);
        }
        long diff = max - min;
        if (diff > 0) {
            for (int i = 0; i < n; i++) {
                total[i] += weight * (long) (MAX_SCORE * ((double) (raw[i] - min) / diff));
            }
        }
    }

    /** PodTopologySpread's per-node score before normalization, into {@link #raw}. */
    private void spreadRaw(int group, int[] nodes, int n, NodePlaces places, GroupCounts counts) {
        byte[] keys = spreadKeys[group];
        int[] skews = spreadSkews[group];
        double hostWeight = Math.log(n + 2);
        double zoneWeight = 0;
        boolean zoned = false;
        for (byte k : keys) {
            zoned |= k == ZONE;
        }
        if (zoned && zones <= 1) {
            zoneWeight = Math.log(3); // one zone: every scored node is in it
        } else if (zoned) {
            long seen = 0; // zones among the scored nodes (at most 64)
            for (int i = 0; i < n; i++) {
                seen |= 1L << places.zone(nodes[i]);
            }
            zoneWeight = Math.log(Long.bitCount(seen) + 2);
        }
        if (++stamp == 0) {
            java.util.Arrays.fill(memoStamp, 0); // the stamp wrapped round: forget every pod's entries
            stamp = 1;
        }
        for (int i = 0; i < n; i++) {
            int node = nodes[i];
            int zone = zoned ? places.zone(node) : 0;
            int onNode = counts.onNode(node, group);
            int at = zone * MEMO_COUNTS + onNode;
            boolean memoised = onNode < MEMO_COUNTS && at < memo.length;
            if (memoised && memoStamp[at] == stamp) {
                raw[i] = memo[at];
                continue;
            }
            raw[i] = spreadRaw(keys, skews, onNode, zoned ? counts.inZone(zone, group) : 0, hostWeight, zoneWeight);
            if (memoised) {
                memo[at] = raw[i];
                memoStamp[at] = stamp;
            }
        }
    }

    /** PodTopologySpread's raw score of a node with {@code onNode} of the pod's workload on it and {@code inZone} in its zone. */
    private static long spreadRaw(byte[] keys, int[] skews, int onNode, int inZone, double hostWeight, double zoneWeight) {
        double s = 0;
        for (int c = 0; c < keys.length; c++) {
            int count = keys[c] == HOST ? onNode : inZone;
            s += count * (keys[c] == HOST ? hostWeight : zoneWeight) + (skews[c] - 1);
        }
        return Math.round(s);
    }

    /**
     * Whether PodTopologySpread is the only plugin that scores the group's pods differently on
     * different nodes, with a raw score that depends on the group's pods on the node alone (no zone
     * key, or one zone: every node's zone count is the same). Its raw score then never falls as
     * those pods grow (the same sum of the same terms, one larger), so the nodes with the fewest and
     * the most of them give its normalization's minimum and maximum ({@link #spreadScores}).
     */
    public boolean spreadAlone(int group) {
        if (spreadKeys[group] == null || relatedGroups[group] != null || affinityVaries(group) || taints != null && varies(taints, group)) {
            return false;
        }
        for (byte k : spreadKeys[group]) {
            if (k == ZONE && zones > 1) {
                return false;
            }
        }
        return true;
    }

    /**
     * For a {@link #spreadAlone} group: what {@link #addTo} adds to a node with {@code fewest + i}
     * of the group's pods, into {@code out[i]} for i &le; {@code most − fewest}, when the {@code n}
     * nodes being scored run between {@code fewest} and {@code most} of them: the same arithmetic
     * as {@link #podTopologySpread}, with the minimum and maximum taken at those counts. Returns
     * {@code out}, grown when too short.
     */
    public long[] spreadScores(int group, int n, int fewest, int most, GroupCounts counts, long[] out) {
        if (out.length <= most - fewest) {
            out = new long[Math.max(most - fewest + 1, out.length * 2)];
        }
        byte[] keys = spreadKeys[group];
        int[] skews = spreadSkews[group];
        boolean zoned = false;
        for (byte k : keys) {
            zoned |= k == ZONE;
        }
        double hostWeight = logPlusTwo(n);
        double zoneWeight = zoned ? Math.log(3) : 0; // one zone (spreadAlone): every scored node is in it
        int inZone = zoned ? counts.inZone(0, group) : 0;
        long min = spreadRaw(keys, skews, fewest, inZone, hostWeight, zoneWeight);
        long max = Math.max(0, spreadRaw(keys, skews, most, inZone, hostWeight, zoneWeight));
        for (int i = 0; i <= most - fewest; i++) {
            out[i] = max == 0 ? SPREAD_WEIGHT * MAX_SCORE
                    : SPREAD_WEIGHT * (MAX_SCORE * (max + min - spreadRaw(keys, skews, fewest + i, inZone, hostWeight, zoneWeight)) / max);
        }
        return out;
    }

    /**
     * ln(n + 2), PodTopologySpread's weight of a topology with n domains, remembered for the last
     * n: the replay asks per pod with n the feasible nodes found, which is most often the same
     * count pod after pod, and a logarithm cost as much as the rest of {@link #spreadScores}.
     */
    private double logPlusTwo(int n) {
        if (n != logOf) {
            logOf = n;
            logValue = Math.log(n + 2);
        }
        return logValue;
    }

    private int logOf = -1;
    private double logValue;

    /** helper.DefaultNormalizeScore onto 0..100 (reversed for TaintToleration), weighted, added to the totals. */
    private void addDefaultNormalized(long[] total, int n, boolean reverse, int weight) {
        long max = 0;
        for (int i = 0; i < n; i++) {
            max = Math.max(max, raw[i]);
        }
        for (int i = 0; i < n; i++) {
            long s = max == 0 ? 0 : MAX_SCORE * raw[i] / max;
            total[i] += weight * (reverse ? MAX_SCORE - s : s);
        }
    }

}

package io.nodesizer.engine;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hard topology spreads whose selector is not the group's own: it also selects other workloads'
 * pods (web-stable and web-canary both labelled {@code app: web}), or selects only other pods.
 * kube-scheduler counts every pod the selector matches in the pod's namespace, whichever workload
 * it belongs to, and admits the incoming pod where
 * {@code matchNum + selfMatchNum − minMatchNum ≤ maxSkew} (selfMatchNum 1 when the incoming pod
 * matches the selector itself, else 0): kubernetes/kubernetes
 * {@code pkg/scheduler/framework/plugins/podtopologyspread/filtering.go} at
 * 01c2588bf4a3eb6bb3524b1e2bd60efb38a4b577, {@code Filter} (the counts from
 * {@code countPodsMatchSelector(nodeInfo.GetPods(), c.Selector, pod.Namespace)} in its PreFilter).
 *
 * <p>A <em>counter</em> is one (topology key kind, set of matched groups): spreads with equal
 * member sets share it. A <em>constraint</em> is one group's spread on one counter, with its
 * maxSkew and whether the group matches the selector itself. Only the incoming pod's constraints
 * are checked by the scheduler; a matched group without a spread of its own is placed freely and
 * raises the counts. The packing places those groups first (the strategy packs them with the rest,
 * {@link RulePacking} places the constrained groups after), so the counts a constrained pod sees
 * include them; it also tries the constrained groups first where a fresh node always takes what
 * comes after ({@link #freshNodeAlwaysFits}), and keeps the order that needs fewer nodes. Any pod
 * placed where a constrained pod runs is kept from pushing that pod's count over its maxSkew (a
 * constrained group that another's spread selects too: the scheduler would let it in, so this is
 * conservative), so that every final state is one the scheduler reaches when the selected pods
 * without a spread of their own come first — the property {@link PackingVerifier} checks.
 *
 * <p>Hostname counts assume, as {@link PodConflicts#caps} does, that some eligible node runs none
 * of the matched pods (a cluster that grows by adding nodes): minMatchNum 0, so a node holds at
 * most maxSkew matched pods (maxSkew − 1 before a self-matching pod goes there). Zones: every zone
 * of {@code --zones} is a domain; minMatchNum is the fewest in any zone (0 with minDomains above
 * the zones).
 *
 * <p>Spreads narrowed to the pod's own rollout ({@code matchLabelKeys: [pod-template-hash]}) and
 * those whose selector matches only the group's own pods are not here: per-workload counting
 * ({@link DemandTable#caps()}, {@link DemandTable#zoneSkew()}) is exact for them.
 */
public final class SharedSpreads {
    /** Counters on the hostname, then counters on the zone: indices 0..hostCounters-1 and 0..zoneCounters-1. */
    private final int hostCounters;
    private final int zoneCounters;
    /** Per group: its hostname entries as (counter, own maxSkew or 0, member 0/1) triples; null for a group with none. */
    private final int[][] host;
    /** Per group: its zone entries as (counter, own maxSkew or 0, member 0/1, floor 0/1) quadruples; null for none. */
    private final int[][] zone;
    /** Per group, whether it has a constraint here (placed after the rest, by {@link RulePacking}). */
    private final boolean[] constrained;
    /** Per group, whether it has an entry at all (member or constrained). */
    private final boolean[] touches;
    private final List<String> described;
    /** Per constrained group, its spreads (by index in its placement's list) that are shared; empty for the others. */
    private final Map<Integer, BitSet> sharedIndex;
    /** Per zone counter, the groups whose pods it counts, ascending. */
    private final int[][] zoneMembers;
    /** Per (group, zone counter) with a constraint, at {@code group << 32 | counter}, the largest minDomains of its spreads there. */
    private final Map<Long, Integer> zoneMinDomains;
    /** Per shared spread, at {@code group << 32 | its index in the group's spread list}, the counter (hostname or zone) it is on. */
    private final Map<Long, Integer> counterOf;

    private SharedSpreads(int hostCounters, int zoneCounters, int[][] host, int[][] zone, boolean[] constrained, boolean[] touches,
                          List<String> described, Map<Integer, BitSet> sharedIndex, int[][] zoneMembers, Map<Long, Integer> zoneMinDomains,
                          Map<Long, Integer> counterOf) {
        this.sharedIndex = sharedIndex;
        this.counterOf = counterOf;
        this.zoneMembers = zoneMembers;
        this.zoneMinDomains = zoneMinDomains;
        this.hostCounters = hostCounters;
        this.zoneCounters = zoneCounters;
        this.host = host;
        this.zone = zone;
        this.constrained = constrained;
        this.touches = touches;
        this.described = described;
    }

    /** Whether spread sp of a group is one the packing counts: hard, on the hostname (or the zone with zones), not per rollout. */
    static boolean counted(Placement.Spread sp, int zones) {
        String key = sp.term().topologyKey();
        return sp.hard() && !sp.perRollout() && (PodConflicts.HOSTNAME.equals(key) || PodConflicts.isZone(key) && zones > 1);
    }

    /** The shared spreads of these groups over {@code zones} zones; null when no spread is shared. */
    public static SharedSpreads of(List<PodGroup> groups, int zones) {
        int n = groups.size();
        // (kind, members) -> counter index; kind 0 hostname, 1 zone
        Map<BitSet, Integer> hostIds = new LinkedHashMap<>();
        Map<BitSet, Integer> zoneIds = new LinkedHashMap<>();
        List<List<int[]>> hostEntries = new ArrayList<>();
        List<List<int[]>> zoneEntries = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            hostEntries.add(null);
            zoneEntries.add(null);
        }
        Map<String, BitSet> byLabel = null; // "key=value" -> groups whose pods carry it, built on the first spread
        List<BitSet> hostMembers = new ArrayList<>();
        List<BitSet> zoneMembers = new ArrayList<>();
        List<String> described = new ArrayList<>();
        boolean[] constrained = new boolean[n];
        Map<Integer, BitSet> sharedIndex = new java.util.HashMap<>();
        Map<Long, Integer> zoneMinDomains = new java.util.HashMap<>();
        Map<Long, Integer> counterOf = new java.util.HashMap<>();
        for (int g = 0; g < n; g++) {
            Placement p = groups.get(g).placement();
            if (p == Placement.ANY || p.spread().isEmpty()) {
                continue; // a trace's 150,000 groups: no walk of the others
            }
            for (int si = 0; si < p.spread().size(); si++) {
                Placement.Spread sp = p.spread().get(si);
                if (!counted(sp, zones)) {
                    continue;
                }
                if (byLabel == null) {
                    byLabel = byLabel(groups);
                }
                BitSet members = new BitSet();
                BitSet candidates = candidates(sp.term(), byLabel, n);
                for (int h = candidates.nextSetBit(0); h >= 0; h = candidates.nextSetBit(h + 1)) {
                    if (PodConflicts.matches(sp.term(), p.namespace(), groups.get(h).placement())) {
                        members.set(h);
                    }
                }
                boolean self = members.get(g);
                if (self && members.cardinality() == 1) {
                    continue; // its own pods only: counted per workload (caps, zoneSkew)
                }
                if (members.isEmpty()) {
                    continue; // selects no pod of the workload: the count stays 0, which any maxSkew admits
                }
                boolean onZone = PodConflicts.isZone(sp.term().topologyKey());
                Map<BitSet, Integer> ids = onZone ? zoneIds : hostIds;
                List<BitSet> all = onZone ? zoneMembers : hostMembers;
                Integer k = ids.get(members);
                if (k == null) {
                    k = all.size();
                    ids.put(members, k);
                    all.add(members);
                }
                constrained[g] = true;
                sharedIndex.computeIfAbsent(g, x -> new BitSet()).set(si);
                counterOf.put((long) g << 32 | si, k);
                boolean floor = onZone && sp.minDomains() > zones;
                if (onZone) {
                    zoneMinDomains.merge((long) g << 32 | k, sp.minDomains(), Math::max);
                }
                List<List<int[]>> entries = onZone ? zoneEntries : hostEntries;
                addEntry(entries, g, k, sp.maxSkew(), self, floor);
                List<String> names = new ArrayList<>();
                for (int h = members.nextSetBit(0); h >= 0 && names.size() < 3; h = members.nextSetBit(h + 1)) {
                    if (h != g) {
                        names.add(groups.get(h).name());
                    }
                }
                described.add(groups.get(g).name() + " (" + (onZone ? "zone" : "hostname") + ", maxSkew " + sp.maxSkew() + ") also counts "
                        + String.join(", ", names) + (members.cardinality() - (self ? 1 : 0) > 3 ? ", …" : "")
                        + (self ? "" : ", not its own pods"));
            }
        }
        if (hostMembers.isEmpty() && zoneMembers.isEmpty()) {
            return null;
        }
        // Every matched group raises its counters (an entry with no constraint of its own, or marks its constraint's entry).
        for (int pass = 0; pass < 2; pass++) {
            List<BitSet> all = pass == 0 ? hostMembers : zoneMembers;
            List<List<int[]>> entries = pass == 0 ? hostEntries : zoneEntries;
            for (int k = 0; k < all.size(); k++) {
                BitSet members = all.get(k);
                for (int h = members.nextSetBit(0); h >= 0; h = members.nextSetBit(h + 1)) {
                    addEntry(entries, h, k, 0, true, false);
                }
            }
        }
        int[][] host = flatten(hostEntries, 3);
        int[][] zone = flatten(zoneEntries, 4);
        boolean[] touches = new boolean[n];
        for (int g = 0; g < n; g++) {
            touches[g] = host[g] != null || zone[g] != null;
        }
        int[][] members = new int[zoneMembers.size()][];
        for (int k = 0; k < members.length; k++) {
            members[k] = zoneMembers.get(k).stream().toArray();
        }
        return new SharedSpreads(hostMembers.size(), zoneMembers.size(), host, zone, constrained, touches, List.copyOf(described),
                sharedIndex, members, zoneMinDomains, counterOf);
    }

    /** Per pod label "key=value", the groups whose pods carry it: a selector's matchLabels then look at those groups only. */
    private static Map<String, BitSet> byLabel(List<PodGroup> groups) {
        Map<String, BitSet> out = new java.util.HashMap<>();
        for (int h = 0; h < groups.size(); h++) {
            for (Map.Entry<String, String> e : groups.get(h).placement().podLabels().entrySet()) {
                out.computeIfAbsent(e.getKey() + "=" + e.getValue(), k -> new BitSet()).set(h);
            }
        }
        return out;
    }

    /**
     * The groups a term may match: those that carry all of its matchLabels (every group when it has
     * none); {@link PodConflicts#matches} then decides, namespaces and expressions included. Keeps
     * a workload of many groups, each spread by its own labels, from a check of every pair.
     */
    private static BitSet candidates(Placement.PodAffinityTerm term, Map<String, BitSet> byLabel, int n) {
        BitSet out = null;
        for (Map.Entry<String, String> e : term.matchLabels().entrySet()) {
            BitSet with = byLabel.get(e.getKey() + "=" + e.getValue());
            if (with == null) {
                return new BitSet();
            }
            if (out == null) {
                out = (BitSet) with.clone();
            } else {
                out.and(with);
            }
        }
        if (out == null) {
            out = new BitSet(n);
            out.set(0, n);
        }
        return out;
    }

    /** Adds (or merges into) group g's entry on counter k: the smallest own maxSkew, member if any says so, floor if any does. */
    private static void addEntry(List<List<int[]>> entries, int g, int k, int skew, boolean member, boolean floor) {
        if (entries.get(g) == null) {
            entries.set(g, new ArrayList<>());
        }
        for (int[] e : entries.get(g)) {
            if (e[0] == k) {
                if (skew > 0) {
                    e[1] = e[1] == 0 ? skew : Math.min(e[1], skew);
                    e[3] |= floor ? 1 : 0;
                }
                e[2] |= member ? 1 : 0;
                return;
            }
        }
        entries.get(g).add(new int[]{k, skew, member ? 1 : 0, floor ? 1 : 0});
    }

    private static int[][] flatten(List<List<int[]>> entries, int stride) {
        int[][] out = new int[entries.size()][];
        for (int g = 0; g < out.length; g++) {
            List<int[]> es = entries.get(g);
            if (es == null) {
                continue;
            }
            out[g] = new int[es.size() * stride];
            for (int i = 0; i < es.size(); i++) {
                System.arraycopy(es.get(i), 0, out[g], i * stride, stride);
            }
        }
        return out;
    }

    public int hostCounters() {
        return hostCounters;
    }

    public int zoneCounters() {
        return zoneCounters;
    }

    /** Group g's hostname entries, (counter, own maxSkew or 0, member 0/1) triples; null when none. Not to be mutated. */
    public int[] host(int g) {
        return host[g];
    }

    /** Group g's zone entries, (counter, own maxSkew or 0, member 0/1, floor 0/1) quadruples; null when none. Not to be mutated. */
    public int[] zone(int g) {
        return zone[g];
    }

    /** The groups whose pods zone counter {@code k} counts, ascending. Not to be mutated. */
    public int[] zoneMembers(int k) {
        return zoneMembers[k];
    }

    /** The minDomains of group g's spread on zone counter {@code k} (the largest, if it has several there); 1 when it has none. */
    public int zoneMinDomains(int g, int k) {
        return zoneMinDomains.getOrDefault((long) g << 32 | k, 1);
    }

    /** The counter (on its key: hostname or zone) of group g's shared spread {@code index}, or -1 when that spread is not shared. */
    public int counterOf(int g, int index) {
        return counterOf.getOrDefault((long) g << 32 | index, -1);
    }

    /** Whether spread {@code index} (in group g's placement's list) is counted here, over the other workloads' pods too. */
    public boolean isShared(int g, int index) {
        BitSet b = sharedIndex.get(g);
        return b != null && b.get(index);
    }

    /** Whether group g has a shared spread of its own (the rules place it after the rest). */
    public boolean constrained(int g) {
        return constrained[g];
    }

    /** Whether group g has a shared spread of its own on the zone. */
    public boolean constrainedOnZone(int g) {
        int[] e = zone[g];
        for (int i = 0; e != null && i < e.length; i += 4) {
            if (e[i + 1] > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a fresh node always takes a pod placed after the spreading pods: true unless some
     * group is counted by two spreads over the zones, or some spread over the zones counts the
     * fewest as 0 (minDomains above the zones). Otherwise the zone with the fewest of the one
     * count a pod raises always admits it (one more there is a skew of 1), and a fresh node has no
     * hostname count; the strategies, which take a pod on the node they open for it, may then
     * place the selected pods after the spreading ones ({@link RulePacking#mayGoFirst}).
     */
    public boolean freshNodeAlwaysFits() {
        for (int[] e : zone) {
            if (e != null && (e.length > 4 || e[3] == 1)) {
                return false;
            }
        }
        return true;
    }

    /** Whether group g's pods are counted or checked here at all. */
    public boolean touches(int g) {
        return touches[g];
    }

    /** The groups with a shared spread of their own, or matched by one. */
    public BitSet involved() {
        BitSet out = new BitSet();
        for (int g = 0; g < touches.length; g++) {
            out.set(g, touches[g]);
        }
        return out;
    }

    /** One line per shared spread: "web-stable (hostname, maxSkew 1) also counts web-canary". */
    public List<String> described() {
        return described;
    }

    @Override
    public String toString() {
        return "SharedSpreads" + described + " host=" + Arrays.deepToString(host) + " zone=" + Arrays.deepToString(zone);
    }
}

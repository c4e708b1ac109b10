package io.nodesizer.replay;

import io.nodesizer.engine.CoLocation;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.ZoneConflicts;
import io.nodesizer.kube.NodeLabels;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Required pod affinity and anti-affinity on topology keys other than the hostname and the zone
 * in a replay ({@link PodConflicts#isClusterKey}), as InterPodAffinity's filter applies them: the
 * domains of such a key are the values the pools' nodes carry (an instance type, an architecture,
 * a node group's name), every node of a pool in its pool's domain. A pool whose shape does not
 * carry the key is in none: an anti-affinity term binds nothing on its nodes, an affinity term
 * admits none of them. The region counts as carried, one value for the cluster; a node group label
 * the shape does not declare counts as carried with a value of each pool's own.
 *
 * <p>A hard topology spread on such a key admits only the pools that carry it, and checks its skew
 * as PodTopologySpread's filter does: {@code matched(d) + selfMatch − fewest ≤ maxSkew}, where d is
 * the node's value, matched counts the running pods of every group the spread's selector selects
 * (its own and other workloads'), and the fewest is taken over the values with a ready node of a
 * pool the spread's node inclusion policies keep ({@link SpreadPools}; 0 while there are fewer
 * such values than its minDomains). A provisioning node's value counts once it is ready, so the
 * autoscalers ask the same question of it (its count starts at 0). Not modelled: a selected
 * workload's pods on pools that carry the value but are not domains count here too.
 *
 * <p>Per key, the running pods of the groups its rules count, per (group, domain), live in the
 * counts {@link TopologyRules} keeps, from {@code offset}.
 *
 * <p>Affinity terms that mix keys: kube-scheduler counts only pods that match all of the terms,
 * and a node needs such a pod in its domain of each term's key ({@link PodConflicts#affinityKey}).
 * With a term on the hostname the node holds such a pod ({@link CoLocation} on the hostname), which
 * is then in the node's domain of every key the node carries: here only the key's presence is
 * checked. Otherwise each key here is checked on its own over those same targets, as the zone is
 * ({@link TopologyRules}), which together is the scheduler's filter. The first of a series
 * passes only while no target runs on a node that carries one of the terms' keys (the scheduler's
 * counts are then empty): with a term on the zone, which every node carries, no target anywhere,
 * so each key also counts the targets on pools without it (one more slot per group).
 */
final class KeyDomains {
    private final String[] keys;
    /** Per key, per pool, its domain (-1: the pool's nodes do not carry the key). */
    private final int[][] domainOfPool;
    private final int[] domains;
    /** Per key, where its counts start. */
    private final int[] base;
    private final ZoneConflicts[] conflicts;
    private final CoLocation[] co;
    /** Per key, per group, whether its running pods are counted. */
    private final boolean[][] counted;
    /** Per key, per group, whether it has a hard topology spread on the key (the node must carry it). */
    private final boolean[][] spreadOn;
    /** Per key, per group, its hard spreads on the key whose skew is checked (null: none). */
    private final Spread[][][] spreads;
    /** Per key, every such spread (for the ready-node counts). */
    private final Spread[][] spreadsOn;
    /** Per group, whether it has such a spread (its pending pods are tried again when a domain appears or goes). */
    private final boolean[] spreading;
    /** How many ready-node counts the spreads keep. */
    private final int readySize;
    /** Per key, per group, whether one of its required affinity terms is on the key (the node must carry it). */
    private final boolean[][] affinityOn;
    /** Per group, whether one of its required affinity terms is on the zone, which every node carries. */
    private final boolean[] zoneTerm;
    private final boolean[] constrained;
    private final boolean[] unblocks;
    private final boolean[] target;
    private final int size;

    /**
     * A hard topology spread on a key here, with its skew checked.
     *
     * @param members the groups whose pods its selector selects (the spreading group among them when it selects its own)
     * @param self    1 when the spreading group's pods match its selector (they raise the count where they go), else 0
     * @param pools   per pool, whether its nodes are domains (node inclusion policies)
     * @param ready   where its ready-node counts per value start
     */
    private record Spread(int maxSkew, int minDomains, int[] members, int self, boolean[] pools, int ready) {
    }

    private KeyDomains(String[] keys, int[][] domainOfPool, int[] domains, int[] base, ZoneConflicts[] conflicts, CoLocation[] co,
                       boolean[][] counted, boolean[][] spreadOn, boolean[][] affinityOn, boolean[] zoneTerm, boolean[] constrained, boolean[] unblocks,
                       boolean[] target, int size, Spread[][][] spreads, Spread[][] spreadsOn, boolean[] spreading, int readySize) {
        this.spreads = spreads;
        this.spreadsOn = spreadsOn;
        this.spreading = spreading;
        this.readySize = readySize;
        this.keys = keys;
        this.domainOfPool = domainOfPool;
        this.domains = domains;
        this.base = base;
        this.conflicts = conflicts;
        this.co = co;
        this.counted = counted;
        this.spreadOn = spreadOn;
        this.affinityOn = affinityOn;
        this.zoneTerm = zoneTerm;
        this.constrained = constrained;
        this.unblocks = unblocks;
        this.target = target;
        this.size = size;
    }

    /** The rules on such keys of {@code table}'s groups over {@code pools}, counted from {@code offset}; null when no group has any. */
    static KeyDomains of(DemandTable table, List<Pool> pools, int offset) {
        if (table.clusterKeyOwners() == null) {
            return null;
        }
        List<PodGroup> gs = table.groups();
        TreeSet<String> used = new TreeSet<>();
        for (PodGroup g : gs) {
            Placement p = g.placement();
            java.util.stream.Stream.concat(p.antiAffinity().stream(), p.affinity().stream()).map(Placement.PodAffinityTerm::topologyKey)
                    .filter(PodConflicts::isClusterKey).forEach(used::add);
            p.spread().stream().filter(s -> s.hard() && PodConflicts.isClusterKey(s.term().topologyKey()))
                    .forEach(s -> used.add(s.term().topologyKey()));
        }
        if (used.isEmpty()) {
            return null;
        }
        String[] keys = used.toArray(String[]::new);
        int n = gs.size();
        int[][] domainOfPool = new int[keys.length][pools.size()];
        int[] domains = new int[keys.length];
        int[] base = new int[keys.length];
        ZoneConflicts[] conflicts = new ZoneConflicts[keys.length];
        CoLocation[] co = new CoLocation[keys.length];
        boolean[][] counted = new boolean[keys.length][n];
        boolean[][] spreadOn = new boolean[keys.length][n];
        boolean[][] affinityOn = new boolean[keys.length][n];
        boolean[] zoneTerm = new boolean[n];
        for (int g = 0; g < n; g++) {
            zoneTerm[g] = gs.get(g).placement().affinity().stream().anyMatch(t -> PodConflicts.isZone(t.topologyKey()));
        }
        boolean[] constrained = new boolean[n];
        boolean[] unblocks = new boolean[n];
        boolean[] target = new boolean[n];
        Spread[][][] spreads = new Spread[keys.length][n][];
        Spread[][] spreadsOn = new Spread[keys.length][];
        boolean[] spreading = new boolean[n];
        int ready = 0;
        int at = offset;
        for (int k = 0; k < keys.length; k++) {
            String key = keys[k];
            Map<String, Integer> values = new LinkedHashMap<>();
            for (Pool p : pools) {
                String value = NodeLabels.topologyValue(p.labels(), key, Integer.toString(p.index()));
                domainOfPool[k][p.index()] = value == null ? -1 : values.computeIfAbsent(value, v -> values.size());
            }
            domains[k] = Math.max(1, values.size());
            base[k] = at;
            at += n * (domains[k] + 1); // and one slot for the pools without the key
            ZoneConflicts c = ZoneConflicts.of(gs, table.daemonSetPods(), key::equals, false);
            // Terms on this key, with no term on the hostname (which decides alone): the targets match all of them.
            CoLocation a = CoLocation.where(gs, terms -> !PodConflicts.HOSTNAME.equals(PodConflicts.affinityKey(terms))
                    && terms.stream().anyMatch(t -> key.equals(t.topologyKey())), table.daemonSetPods());
            conflicts[k] = c.any() ? c : null;
            co[k] = a.any() ? a : null;
            for (int g = 0; g < n; g++) {
                List<Placement.PodAffinityTerm> aff = gs.get(g).placement().affinity();
                if (aff.stream().anyMatch(t -> key.equals(t.topologyKey()))) {
                    affinityOn[k][g] = true; // a node without the key fails it, even where a DaemonSet's pod would satisfy it
                    constrained[g] = true;
                }
                List<Spread> own = new java.util.ArrayList<>();
                for (Placement.Spread sp : gs.get(g).placement().spread()) {
                    if (sp.hard() && key.equals(sp.term().topologyKey())) {
                        spreadOn[k][g] = true; // a node without the key fails PodTopologySpread's filter
                        constrained[g] = true;
                        Spread e = spread(gs, g, sp, pools, ready);
                        ready += domains[k];
                        own.add(e);
                        spreading[g] = true;
                        for (int h : e.members()) {
                            counted[k][h] = true;
                            if (h != g) {
                                unblocks[h] = true; // leaving a value's domain, or starting in one, may let its pods in
                                target[h] = true;
                            }
                        }
                    }
                }
                spreads[k][g] = own.isEmpty() ? null : own.toArray(Spread[]::new);
                if (c.any() && (c.repels(g) != null || c.repelledEverywhere(g))) {
                    constrained[g] = true;
                    for (int h : c.repels(g) == null ? new int[0] : c.repels(g)) {
                        counted[k][h] = true;
                        unblocks[h] = true;
                    }
                }
                if (a.any() && a.constrains(g)) {
                    constrained[g] = true;
                    for (int h : a.targets(g)) {
                        counted[k][h] = true;
                        unblocks[h] = true;
                        target[h] = true;
                    }
                }
            }
        }
        for (int k = 0; k < keys.length; k++) {
            spreadsOn[k] = java.util.Arrays.stream(spreads[k]).filter(java.util.Objects::nonNull).flatMap(java.util.Arrays::stream)
                    .toArray(Spread[]::new);
        }
        return new KeyDomains(keys, domainOfPool, domains, base, conflicts, co, counted, spreadOn, affinityOn, zoneTerm, constrained,
                unblocks, target, at - offset, spreads, spreadsOn, spreading, ready);
    }

    /** Spread {@code sp} of group g: the groups its selector selects (only g's own rollout with matchLabelKeys), its domain pools. */
    private static Spread spread(List<PodGroup> gs, int g, Placement.Spread sp, List<Pool> pools, int ready) {
        Placement own = gs.get(g).placement();
        List<Integer> members = new java.util.ArrayList<>();
        for (int h = 0; h < gs.size(); h++) {
            if ((h == g || !sp.perRollout()) && PodConflicts.matches(sp.term(), own.namespace(), gs.get(h).placement())) {
                members.add(h);
            }
        }
        int self = PodConflicts.matches(sp.term(), own.namespace(), own) ? 1 : 0;
        return new Spread(sp.maxSkew(), sp.minDomains(), members.stream().mapToInt(Integer::intValue).toArray(), self,
                SpreadPools.domains(gs.get(g), sp, pools), ready);
    }

    /** How many ready-node counts the spreads on these keys keep (from an offset the caller chooses). */
    int readySize() {
        return readySize;
    }

    /** Whether the group has a hard spread on such a key: a value's domain appearing or going may admit its pending pods. */
    boolean spreads(int group) {
        return spreading[group];
    }

    /**
     * A node of {@code pool} became ready ({@code delta} 1) or stopped being ready (-1): counted in
     * {@code ready} (from {@code offset}) for every spread whose domains its pool is among.
     */
    void nodeReady(int[] ready, int offset, int pool, int delta) {
        for (int k = 0; k < keys.length; k++) {
            int d = domainOfPool[k][pool];
            if (d < 0) {
                continue;
            }
            for (Spread e : spreadsOn[k]) {
                if (e.pools()[pool]) {
                    ready[offset + e.ready() + d] += delta;
                }
            }
        }
    }

    /** How many counts these rules keep (after {@code offset}). */
    int size() {
        return size;
    }

    /** Whether some group has pod affinity on such a key. */
    boolean anyAffinity() {
        for (CoLocation a : co) {
            if (a != null) {
                return true;
            }
        }
        return false;
    }

    boolean constrains(int group) {
        return constrained[group];
    }

    /** Whether a pod of {@code group} leaving its domain may let pending pods of another group in. */
    boolean unblocks(int group) {
        return unblocks[group];
    }

    /** Whether a pod of {@code group} starting somewhere may let pending pods of another group in (an affinity target). */
    boolean isTarget(int group) {
        return target[group];
    }

    /** A pod of {@code group} starts ({@code delta} 1) or stops (-1) running on a node of {@code pool} (-1: unknown, nothing counted). */
    void move(int[] counts, int group, int pool, int delta) {
        for (int k = 0; k < keys.length && pool >= 0; k++) {
            int d = domainOfPool[k][pool];
            if (counted[k][group]) {
                counts[slot(k, group, d < 0 ? domains[k] : d)] += delta; // the pools without the key: their own slot
            }
        }
    }

    private int slot(int k, int group, int domain) {
        return base[k] + group * (domains[k] + 1) + domain;
    }

    /**
     * The group's affinity targets that kube-scheduler's counts hold: those on nodes that carry
     * one of its terms' keys, and with a term on the zone (every node has one) all of them. Zero
     * lets its pods start a series (with the hostname, the {@link CoLocation} on it decides).
     */
    private int counted(int group, int[] running, int[] moved) {
        int n = 0;
        for (int k = 0; k < keys.length; k++) {
            CoLocation a = co[k];
            if (a == null || !a.constrains(group)) {
                continue;
            }
            int upto = domains[k] + (zoneTerm[group] ? 1 : 0);
            for (int h : a.targets(group)) {
                for (int e = 0; e < upto; e++) {
                    n += count(running, moved, slot(k, h, e));
                }
            }
        }
        return n;
    }

    /**
     * Whether a pod of {@code group} may go on a node of {@code pool}, with the running counts
     * changed by {@code moved} (or null), and the spreads' ready nodes per value in {@code ready}
     * from {@code readyOffset}.
     */
    boolean admits(int group, int pool, int[] running, int[] moved, int[] ready, int readyOffset) {
        if (!constrained[group]) {
            return true;
        }
        for (int k = 0; k < keys.length; k++) {
            int d = domainOfPool[k][pool];
            if ((spreadOn[k][group] || affinityOn[k][group]) && d < 0) {
                return false;
            }
            for (Spread e : spreads[k][group] == null ? NO_SPREADS : spreads[k][group]) {
                if (!skewAdmits(e, k, d, running, moved, ready, readyOffset)) {
                    return false;
                }
            }
            ZoneConflicts c = conflicts[k];
            if (c != null && d >= 0) { // without the key on the node the term binds nothing
                if (c.repelledEverywhere(group)) {
                    return false;
                }
                for (int h : c.repels(group) == null ? new int[0] : c.repels(group)) {
                    if (count(running, moved, slot(k, h, d)) > 0) {
                        return false;
                    }
                }
            }
            CoLocation a = co[k];
            if (a != null && a.constrains(group)) {
                if (d < 0) {
                    return false; // kube-scheduler requires every key of the terms on the node
                }
                int here = 0;
                for (int h : a.targets(group)) {
                    here += count(running, moved, slot(k, h, d));
                }
                if (here == 0 && !a.admits(group, 0, counted(group, running, moved))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static final Spread[] NO_SPREADS = new Spread[0];

    /**
     * PodTopologySpread's filter on value d of key k: the selected pods there, plus the pod when it
     * matches, at most maxSkew above the fewest over the values with a ready domain node (d itself
     * always among them), the fewest 0 while those values are fewer than minDomains.
     */
    private boolean skewAdmits(Spread e, int k, int d, int[] running, int[] moved, int[] ready, int readyOffset) {
        int here = matched(e, k, d, running, moved);
        int fewest = here;
        int values = 0;
        for (int v = 0; v < domains[k]; v++) {
            if (v == d || ready[readyOffset + e.ready() + v] > 0) {
                values++;
                fewest = v == d ? fewest : Math.min(fewest, matched(e, k, v, running, moved));
            }
        }
        if (values < e.minDomains()) {
            fewest = 0;
        }
        return here + e.self() - fewest <= e.maxSkew();
    }

    /** Running pods of the spread's selected groups on value d of key k, with the what-if moves. */
    private int matched(Spread e, int k, int d, int[] running, int[] moved) {
        int c = 0;
        for (int h : e.members()) {
            c += count(running, moved, slot(k, h, d));
        }
        return c;
    }

    private static int count(int[] running, int[] moved, int i) {
        return moved == null ? running[i] : running[i] + moved[i];
    }

    /** Why no node of {@code pool} ever admits the group's pods by these rules, or null. */
    String whyNotOn(int group, int pool) {
        for (int k = 0; k < keys.length; k++) {
            int d = domainOfPool[k][pool];
            if (spreadOn[k][group] && d < 0) {
                return "topology spread (DoNotSchedule) on topology key " + keys[k] + ": no node of the pools carries that label, "
                        + "and kube-scheduler's PodTopologySpread filter rejects a node without it; it keeps it Pending";
            }
            if (affinityOn[k][group] && d < 0) {
                return "required pod affinity on topology key " + keys[k] + ": no node of the pools carries that label, and "
                        + "kube-scheduler admits a pod only on a node with every key of its terms; it keeps it Pending";
            }
            if (conflicts[k] != null && conflicts[k].repelledEverywhere(group) && d >= 0) {
                return "required pod anti-affinity on topology key " + keys[k] + " keeps it from a DaemonSet's pods (its terms or theirs), "
                        + "which run on every node; kube-scheduler keeps it Pending";
            }
        }
        return null;
    }
}

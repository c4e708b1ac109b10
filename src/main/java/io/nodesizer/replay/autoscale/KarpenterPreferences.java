package io.nodesizer.replay.autoscale;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;
import io.nodesizer.replay.Cluster;
import io.nodesizer.replay.Pool;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Karpenter's {@code preferencePolicy: Respect} (its default; {@code --preference-policy}/{@code PREFERENCE_POLICY}, pkg/operator/
 * options): its scheduler, in provisioning and in consolidation's {@code SimulateScheduling} alike, treats a pod's preferences
 * as required and relaxes them one at a time only when the pod cannot be added anywhere, not to an existing node, an in-flight
 * claim nor a new one (pkg/controllers/provisioning/scheduling/scheduler.go {@code trySchedule}: {@code add}, then
 * {@code preferences.Relax}, again). preferences.go relaxes in this order, one term a step: the first of several OR'd required
 * node-affinity terms, a preferred pod-affinity term, a preferred pod anti-affinity term (the heaviest first), the heaviest
 * preferred node-affinity term (only the heaviest is required at a time: scheduling/requirements.go), a ScheduleAnyway topology
 * spread (the first in the pod's list, which its removal refills with the last), and last, when some NodePool has a
 * PreferNoSchedule taint, a toleration of every PreferNoSchedule taint. Every preferred pod (anti-)affinity term and every
 * ScheduleAnyway spread is required until relaxed (topology.go {@code newForAffinities}, {@code newForTopologies}). A running or
 * placed pod's preferred anti-affinity does not keep the pods it selects out of its domain: only required terms are tracked the
 * other way ({@code updateInverseAntiAffinity}, state/cluster.go {@code updatePodAntiAffinities}: "We intentionally don't track
 * inverse anti-affinity preferences"; review 72 #2).
 * <p>
 * Modelled here, per group: its preferred pod affinity and anti-affinity terms on the hostname, its ScheduleAnyway spreads on
 * the hostname (at most maxSkew of the selected pods on a node, as Karpenter takes a hostname domain's fewest as 0), and its
 * heaviest preferred node-affinity term (the pools it admits). Whether a node meets the first three depends on the pods about,
 * not on its pool, so the step a group launches at is found once, by walking upstream's order as far as a new node's pool goes
 * ({@link #of}); from there a pod whose add fails is relaxed a step at a time ({@link Step}; the terms this model ignores take
 * no step, as dropping them changes nothing here): when no new claim can be made (the NodePool at its limit), or when it keeps a
 * preferred pod affinity, which a new claim meets only as the first of a series (the term selects the pod itself and no
 * target runs or is placed anywhere: topologygroup.go {@code nextDomainAffinity}, whose hostname domain of a new claim counts
 * nothing yet). A node or claim meets a kept affinity term when it holds one of the term's targets (running, or placed there by
 * the what-if or the launch plan), each term on its own (upstream makes each its own TopologyGroup, where kube-scheduler's
 * required terms must all match one pod).
 * <p>
 * On the zone (fix 76e): its preferred pod affinity and anti-affinity terms on the zone, ordered with the hostname terms by
 * weight (one list per kind, as upstream sorts them), and a heaviest preferred node term's requirements on the zone labels when
 * the zones have names. A node or claim meets them by its zone ({@link #zonesAdmitted}): an affinity term where a target is
 * counted in the zone, or anywhere when it selects the pod itself and none is counted ({@code nextDomainAffinity}); an
 * anti-affinity term where none is ({@code nextDomainAntiAffinity}, the empty domains). The targets are counted per zone by the
 * zone rules (their running pods, the what-if moves and the plan's claims of one zone), which count them because Karpenter asks
 * ({@code Autoscaler.zoneCounted}). A claim's zone requirement narrows to the zones such a pod admits (Karpenter.launch), one left
 * fixing it; a pod on a claim of several zones counts in all of them for the anti-affinity terms that select it and in none
 * for the affinity terms (topology.go {@code Record}), on a claim with no zone requirement in none. A new claim may be in any zone,
 * so such a term is relaxed in provisioning only when no zone meets it (or at the NodePool's limit). Not modelled: ScheduleAnyway
 * spreads on the zone, and preferences on keys other than the hostname and the zone.
 * <p>
 * Under either policy (scheduler.go {@code trySchedule} relaxes whatever it is), when some pool has a PreferNoSchedule taint
 * (upstream: some NodePool's template, {@code NewScheduler}'s {@code toleratePreferNoSchedule}), the last step adds a
 * toleration of every PreferNoSchedule taint (preferences.go {@code toleratePreferNoScheduleTaints}); until then a node or
 * claim of a pool whose PreferNoSchedule taint the pod does not tolerate does not take it ({@code Taints.ToleratesPod} asks
 * every effect: existingnode.go, nodeclaim.go {@code CanAdd}). A group that only such pools hold launches tolerating them.
 * A planned claim keeps the pools of one set of taints, one NodePool's, from when it opens (Karpenter.oneNodePool), so a pod
 * that does not tolerate them does not join it.
 */
final class KarpenterPreferences {
    private static final int D = DemandTable.D;

    /**
     * What a group's pods keep at one relaxation step.
     *
     * @param affinity       per kept preferred hostname pod-affinity term, the groups it selects (sorted), or null when none
     * @param affinitySelf   per kept affinity term, whether it selects the group's own pods
     * @param repels         the groups its kept preferred hostname anti-affinity terms select (sorted), or null
     * @param zone           its kept preferred pod (anti-)affinity terms on the zone, or null when none
     * @param spreadSkew     its kept ScheduleAnyway hostname spreads' maxSkew, or null when none
     * @param spreadSelects  the groups each of those spreads selects (sorted)
     * @param preferredPools the pools its kept heaviest preferred node term admits, or null when none is kept
     * @param preferredZones per pool, the zones (bits) its kept heaviest preferred node term admits there, or null when that
     *                       term names no zone (or the zones have no names, so a zone requirement is taken as met)
     * @param tolerant       whether it tolerates every PreferNoSchedule taint (upstream's last step)
     */
    private record Step(int[][] affinity, boolean[] affinitySelf, int[] repels, ZoneTerms zone, int[] spreadSkew, int[][] spreadSelects,
                        boolean[] preferredPools, long[] preferredZones, boolean tolerant) {
        boolean prefers() {
            return affinity != null || repels != null || zone != null || spreadSkew != null || preferredPools != null;
        }

        /** Whether where its pods may go depends on the pods about (running, or moved and planned in a what-if). */
        boolean neighbourly() {
            return affinity != null || repels != null || zone != null || spreadSkew != null;
        }

        /** Whether a kept term decides which zones take its pods. */
        boolean zoned() {
            return zone != null || preferredZones != null;
        }
    }

    /**
     * A step's kept preferred pod (anti-)affinity terms on the zone, each its own TopologyGroup upstream (topology.go
     * {@code newForAffinities}), as the zone rules count their targets ({@link Cluster#zoneCount}).
     *
     * @param affinity     per kept affinity term, the groups it selects (sorted), or null when none
     * @param affinitySelf per kept affinity term, whether it selects the group's own pods
     * @param repels       the groups its kept anti-affinity terms select (sorted), or null when none
     */
    private record ZoneTerms(int[][] affinity, boolean[] affinitySelf, int[] repels) {
        static ZoneTerms of(List<int[]> affinity, int group, List<int[]> anti) {
            if (affinity.isEmpty() && anti.isEmpty()) {
                return null;
            }
            int[][] aff = affinity.isEmpty() ? null : affinity.toArray(new int[0][]);
            return new ZoneTerms(aff, aff == null ? null : selfSelecting(aff, group), anti.isEmpty() ? null : union(anti));
        }
    }

    /** Per term of {@code affinity}, whether it selects {@code group} itself. */
    private static boolean[] selfSelecting(int[][] affinity, int group) {
        boolean[] self = new boolean[affinity.length];
        for (int t = 0; t < self.length; t++) {
            self[t] = Arrays.binarySearch(affinity[t], group) >= 0;
        }
        return self;
    }

    /** The groups any of {@code terms} selects, sorted. */
    private static int[] union(List<int[]> terms) {
        List<Integer> out = new ArrayList<>();
        for (int[] sel : terms) {
            for (int h : sel) {
                if (!out.contains(h)) {
                    out.add(h);
                }
            }
        }
        return sorted(out);
    }

    /** A preferred pod (anti-)affinity term this model keeps: the groups it selects, and whether its key is the zone (else the hostname). */
    private record PodTerm(int[] selects, boolean zone) {
    }

    private final Cluster cluster;
    /** Per group, its steps: the one it launches at first, each next one a term fewer, the last with nothing kept. */
    private final Step[][] steps;
    /** Per group, the required node-affinity term (index) it launches with: Karpenter's first, after the relaxations. */
    private final int[] requiredTerm;
    /**
     * Per group, whether no new claim takes it at any step (upstream's Relax ran out with no pool admitting it): it stays
     * pending unless a ready or in-flight node takes it.
     */
    private final boolean[] claimless;
    /**
     * Per group, the pools whose PreferNoSchedule taints it does not tolerate, which Karpenter's scheduler requires until its
     * last relaxation step; null when it tolerates every pool's, or no pool has one.
     */
    private final boolean[][] intolerable;
    private final boolean[] constrained;
    /**
     * Per group, whether where it may go depends on its neighbours: some step keeps a preferred anti-affinity term or a
     * ScheduleAnyway spread. A group constrained only by PreferNoSchedule taints or a preferred node term is admitted by a
     * node's pool alone, fixed for a what-if, so first-fit starts still hold for it ({@link Headroom#place}); review 73 #3.
     */
    private final boolean[] neighbourly;
    private final boolean any;
    /** Whether some group is {@link #neighbourly}: else no what-if move is read, and none is recorded. */
    private final boolean anyNeighbourly;
    /**
     * Per node, the groups of the pods the running what-if moved onto it beyond the cluster's own, one entry a pod, in
     * {@code movedOn[node][0..movedCount[node])} (primitive arrays: one entry per what-if move, in the hot path); the nodes
     * given entries since the last {@link #reset} in {@code touched[0..touchedCount)} (a node may be listed twice).
     */
    private int[][] movedOn = new int[0][];
    private int[] movedCount = new int[0];
    private int[] touched = new int[16];
    private int touchedCount;
    private final int[][] scratch = {new int[16]};
    /** The groups of a node's pods ({@link #admitsOn}), grown as needed. */
    private int[] groupsOn = new int[64];
    /**
     * Per group, its pods this what-if and the launch plan on it placed beyond the running ones (moves onto nodes, pods added
     * to claims), less the pods being scheduled that leave where they run ({@link #leaves}); null when no group keeps a
     * preferred pod affinity, the only reader ({@link #targetsAnywhere}). The groups given entries since the last {@link
     * #reset} are in {@code placedGroups[0..placedGroupCount)} (a group may be listed twice).
     */
    private final int[] placedBeyond;
    private int[] placedGroups = new int[16];
    private int placedGroupCount;
    /** The cluster's zones (1: the whole cluster is one zone), and whether some group keeps a term on the zone ({@link Step#zoned}). */
    private final int zones;
    private final boolean anyZoned;
    /**
     * Per (group, zone), at {@code group * zones + zone}, the pods of the group the launch plan added to claims that may still
     * land in that zone and others ({@link #plannedIn}): upstream records a pod on a claim whose zone requirement holds
     * several zones in every one of them for the anti-affinity terms that select it (topology.go {@code Record}: "for
     * anti-affinity topologies we need to block out all possible domains that the pod could land in"), and in none for the
     * affinity terms; null when no group keeps a term on the zone. A pod on a claim of one zone is in the zone counts.
     */
    private final int[] zoneBlocked;
    private boolean zoneBlockedAny;

    private KarpenterPreferences(Cluster cluster, Step[][] steps, int[] requiredTerm, boolean[] claimless, boolean[][] intolerable) {
        this.cluster = cluster;
        this.steps = steps;
        this.requiredTerm = requiredTerm;
        this.claimless = claimless;
        this.intolerable = intolerable;
        this.constrained = new boolean[steps.length];
        this.neighbourly = new boolean[steps.length];
        boolean some = false;
        boolean someNeighbourly = false;
        boolean someAffinity = false;
        boolean someZoned = false;
        for (int g = 0; g < steps.length; g++) {
            Step first = steps[g][0];
            constrained[g] = first.prefers() || !first.tolerant() && intolerable[g] != null;
            some |= constrained[g];
            // The steps only ever drop terms: the first keeps every affinity, repel and spread that any step keeps.
            neighbourly[g] = first.neighbourly();
            someZoned |= first.zoned();
            someNeighbourly |= neighbourly[g];
            someAffinity |= first.affinity() != null;
        }
        this.any = some;
        this.anyNeighbourly = someNeighbourly;
        this.placedBeyond = someAffinity ? new int[steps.length] : null;
        this.zones = cluster.zones();
        // Its terms on the zone are read from the zone rules' counts, kept when the autoscaler asked for them
        // (Autoscaler.zoneCounted); a cluster without them (a wrapper that did not ask) has the terms ignored, on nodes and
        // claims alike, as before they were modelled.
        this.anyZoned = someZoned && cluster.newZoneMoves() != null;
        this.zoneBlocked = someZoned ? new int[steps.length * zones] : null;
    }

    /**
     * The groups' preferences at the level they launch at. {@code holdsAlone} says whether a new node of a pool holds one pod
     * of a group by Karpenter's estimate (requests, GPU devices); {@code respect}: false for {@code Ignore}, which keeps no
     * preference (and only the required-term choice is made).
     */
    static KarpenterPreferences of(Cluster cluster, boolean respect, java.util.function.BiPredicate<Integer, Pool> holdsAlone) {
        int groups = cluster.demand().length / D;
        List<PodGroup> all = new ArrayList<>(groups);
        for (int g = 0; g < groups; g++) {
            all.add(cluster.group(g));
        }
        Step[][] steps = new Step[groups][];
        int[] requiredTerm = new int[groups];
        boolean[] claimless = new boolean[groups];
        boolean[][] intolerable = new boolean[groups][];
        // Upstream adds the PreferNoSchedule step only when some NodePool's template has such a taint (scheduler.go
        // NewScheduler: toleratePreferNoSchedule); the nodes here are the pools', so no pool with one costs nothing.
        boolean anyPreferNoSchedule = false;
        for (Pool pool : cluster.pools()) {
            for (Placement.Taint t : pool.shape().taints()) {
                anyPreferNoSchedule |= PREFER_NO_SCHEDULE.equals(t.effect());
            }
        }
        for (int g = 0; g < groups; g++) {
            PodGroup group = all.get(g);
            Placement p = group.placement();
            List<Placement.Term> terms = p.requiredTerms();
            // Heaviest first, stable (preferences.go sorts by weight, descending, before it removes the first).
            List<Placement.WeightedTerm> nodeTerms = respect ? p.preferences().nodeTerms().stream()
                    .sorted((a, b) -> Integer.compare(b.weight(), a.weight())).toList() : List.of();
            boolean[] blocked = anyPreferNoSchedule ? intolerablePools(cluster, p) : null;
            // Per preferred node term, the pools it admits and, when it names a zone the zones' names answer, per pool the zones.
            List<boolean[]> termPools = new ArrayList<>();
            List<long[]> termZones = new ArrayList<>();
            for (Placement.WeightedTerm t : nodeTerms) {
                long[] zs = zonesOf(cluster, t.term());
                boolean[] ok = new boolean[cluster.pools().size()];
                for (Pool pool : cluster.pools()) {
                    ok[pool.index()] = zs == null ? NodeMatching.termOnShape(t.term(), pool.shape(), pool.labels()) : zs[pool.index()] != 0;
                }
                termPools.add(ok);
                termZones.add(zs);
            }
            int r = 0;
            int n = 0;
            boolean affinityKept = respect;
            boolean antiKept = respect;
            boolean spreadsKept = respect;
            boolean tolerant = blocked == null;
            // Upstream's ladder, as far as a new node's admission goes: the first required term, then the preferred pod
            // affinity terms and the preferred anti-affinity terms (whether a node meets them depends on the pods about, not
            // on its pool: dropping them changes nothing here but is a step taken), then the heaviest preferred node term, one
            // at a time, then (the spreads, which a new node meets) a toleration of the PreferNoSchedule taints, until some
            // pool holds the pod alone. Under Ignore only the terms and the toleration.
            while (!admitsAlone(cluster, group, g, terms, r, termPools, n, tolerant ? null : blocked, holdsAlone)) {
                if (terms != null && r < terms.size() - 1) {
                    r++;
                } else if (affinityKept && !p.preferences().affinity().isEmpty()) {
                    affinityKept = false;
                } else if (antiKept && !p.preferences().antiAffinity().isEmpty()) {
                    antiKept = false;
                } else if (n < nodeTerms.size()) {
                    n++;
                } else if (!tolerant) {
                    tolerant = true; // only pools whose PreferNoSchedule taints it does not tolerate hold it
                    spreadsKept = false;
                    antiKept = false;
                    affinityKept = false;
                } else {
                    // Nothing holds it: upstream's Relax returns false with every term relaxed (the OR'd required terms but
                    // the last dropped for good: a pool that only an earlier one admits is no choice again), trySchedule
                    // returns add's error, and the pod stays pending (scheduler.go: "Eventually we won't be able to relax
                    // anymore and this while loop will exit"). Its final state is kept, and no claim is made for it.
                    spreadsKept = false;
                    antiKept = false;
                    affinityKept = false;
                    claimless[g] = true;
                    break;
                }
            }
            intolerable[g] = blocked;
            requiredTerm[g] = r;
            // The pod affinity and anti-affinity terms it launches with, heaviest first (stable), each the groups it selects. An
            // affinity term that selects no group is kept: no node or claim meets it, and its first add relaxes it, as upstream's.
            List<PodTerm> affinity = affinityKept ? podTerms(p, p.preferences().affinity(), all, true) : List.of();
            List<PodTerm> anti = antiKept ? podTerms(p, p.preferences().antiAffinity(), all, false) : List.of();
            // The preferred node terms from the one it launches with: each, then none.
            List<boolean[]> nodePools = termPools.subList(n, termPools.size());
            List<long[]> nodeZones = termZones.subList(n, termZones.size());
            // The ScheduleAnyway spreads on the hostname in the order upstream removes them: the first ScheduleAnyway of the
            // list, whose place the list's last then takes (removeTopologySpreadScheduleAnyway).
            List<int[]> spreadSel = new ArrayList<>();
            List<Integer> spreadMax = new ArrayList<>();
            if (spreadsKept) {
                String ns = p.namespace();
                List<Placement.Spread> left = new ArrayList<>(p.spread());
                for (int i = firstSoft(left); i >= 0; i = firstSoft(left)) {
                    Placement.Spread sp = left.get(i);
                    left.set(i, left.get(left.size() - 1));
                    left.remove(left.size() - 1);
                    if (PodConflicts.HOSTNAME.equals(sp.term().topologyKey())) {
                        List<Integer> hs = new ArrayList<>();
                        for (int h = 0; h < groups; h++) {
                            if (h == g ? PodConflicts.matches(sp.term(), ns, p)
                                    : !sp.perRollout() && PodConflicts.matches(sp.term(), ns, all.get(h).placement())) {
                                hs.add(h);
                            }
                        }
                        spreadSel.add(sorted(hs));
                        spreadMax.add(sp.maxSkew());
                    }
                }
            }
            List<Step> ladder = new ArrayList<>();
            int last = affinity.size() + anti.size() + nodePools.size() + spreadSel.size() + (tolerant ? 0 : 1);
            for (int k = 0; k <= last; k++) {
                int f = Math.min(k, affinity.size());
                int a = Math.max(0, Math.min(k - affinity.size(), anti.size()));
                int node = Math.max(0, k - affinity.size() - anti.size());
                int spreadsGone = Math.max(0, k - affinity.size() - anti.size() - nodePools.size());
                List<int[]> hostAffinity = selects(affinity.subList(f, affinity.size()), false);
                int[][] keptAffinity = hostAffinity.isEmpty() ? null : hostAffinity.toArray(new int[0][]);
                List<int[]> hostAnti = selects(anti.subList(a, anti.size()), false);
                ZoneTerms zone = ZoneTerms.of(selects(affinity.subList(f, affinity.size()), true), g, selects(anti.subList(a, anti.size()), true));
                int kept = spreadSel.size() - Math.min(spreadsGone, spreadSel.size());
                int[] skew = kept == 0 ? null : spreadMax.subList(spreadSel.size() - kept, spreadSel.size()).stream().mapToInt(Integer::intValue).toArray();
                int[][] selects = kept == 0 ? null : spreadSel.subList(spreadSel.size() - kept, spreadSel.size()).toArray(new int[0][]);
                ladder.add(new Step(keptAffinity, keptAffinity == null ? null : selfSelecting(keptAffinity, g), hostAnti.isEmpty() ? null : union(hostAnti),
                        zone, skew, selects, node < nodePools.size() ? nodePools.get(node) : null, node < nodeZones.size() ? nodeZones.get(node) : null,
                        tolerant || k == last));
            }
            steps[g] = ladder.toArray(new Step[0]);
        }
        return new KarpenterPreferences(cluster, steps, requiredTerm, claimless, intolerable);
    }

    /**
     * Per preferred pod (anti-)affinity term of {@code p} on the hostname or the zone, heaviest first whatever its key (stable:
     * preferences.go sorts by weight, descending, before it removes the first), the groups it selects; terms on other keys take
     * no step here. An anti-affinity term that selects no group keeps nothing off and takes no step; an affinity term that
     * selects none is kept ({@code keepEmpty}): nothing meets it until it is relaxed.
     */
    private static List<PodTerm> podTerms(Placement p, List<Placement.WeightedPodTerm> terms, List<PodGroup> all, boolean keepEmpty) {
        List<PodTerm> out = new ArrayList<>();
        List<Placement.WeightedPodTerm> byWeight = terms.stream().sorted((a, b) -> Integer.compare(b.weight(), a.weight())).toList();
        for (Placement.WeightedPodTerm t : byWeight) {
            String key = t.term().topologyKey();
            if (PodConflicts.HOSTNAME.equals(key) || PodConflicts.isZone(key)) {
                int[] sel = selected(t.term(), p.namespace(), all);
                if (keepEmpty || sel.length > 0) {
                    out.add(new PodTerm(sel, PodConflicts.isZone(key)));
                }
            }
        }
        return out;
    }

    /** The groups of {@code all} that {@code term} of a pod in {@code namespace} selects, sorted. */
    private static int[] selected(Placement.PodAffinityTerm term, String namespace, List<PodGroup> all) {
        List<Integer> sel = new ArrayList<>();
        for (int h = 0; h < all.size(); h++) {
            if (PodConflicts.matches(term, namespace, all.get(h).placement())) {
                sel.add(h);
            }
        }
        return sorted(sel);
    }

    /** What each of {@code terms} on the zone ({@code zone}) or on the hostname selects, in order. */
    private static List<int[]> selects(List<PodTerm> terms, boolean zone) {
        List<int[]> out = new ArrayList<>();
        for (PodTerm t : terms) {
            if (t.zone() == zone) {
                out.add(t.selects());
            }
        }
        return out;
    }

    /**
     * Per group of {@code groups}, whether a preferred pod affinity or anti-affinity term on the zone of some group selects it:
     * Karpenter's simulation counts such pods per zone under Respect ({@code Autoscaler.zoneCounted}); null when no group has a
     * preferred term on the zone (pod terms, or a node term on the zone or region labels), else an array, all false for none.
     */
    static boolean[] zoneTargets(List<PodGroup> groups) {
        boolean[] out = new boolean[groups.size()];
        boolean any = false;
        for (PodGroup g : groups) {
            Placement.Preferences pref = g.placement().preferences();
            for (Placement.WeightedTerm t : pref.nodeTerms()) {
                for (Placement.Requirement r : t.term().matchExpressions()) {
                    any |= NodeMatching.ZONE_KEYS.contains(r.key()) || NodeMatching.REGION_KEYS.contains(r.key());
                }
            }
            for (List<Placement.WeightedPodTerm> terms : List.of(pref.affinity(), pref.antiAffinity())) {
                for (Placement.WeightedPodTerm t : terms) {
                    if (PodConflicts.isZone(t.term().topologyKey())) {
                        any = true;
                        for (int h : selected(t.term(), g.placement().namespace(), groups)) {
                            out[h] = true;
                        }
                    }
                }
            }
        }
        return any ? out : null;
    }

    /**
     * Per pool, the zones (bits) whose nodes of it meet node term {@code term}, when it has a requirement on the zone or region
     * labels and the zones have names; null otherwise (a zone requirement is then taken as met, as {@link
     * NodeMatching#termOnShape} has it).
     */
    private static long[] zonesOf(Cluster cluster, Placement.Term term) {
        List<String> names = cluster.zoneNames();
        boolean onZone = false;
        for (Placement.Requirement r : term.matchExpressions()) {
            onZone |= NodeMatching.ZONE_KEYS.contains(r.key()) || NodeMatching.REGION_KEYS.contains(r.key());
        }
        if (names == null || !onZone) {
            return null;
        }
        long[] out = new long[cluster.pools().size()];
        for (Pool pool : cluster.pools()) {
            for (int z = 0; z < names.size(); z++) {
                if (NodeMatching.termInZone(term, pool.shape(), pool.labels(), names.get(z))) {
                    out[pool.index()] |= 1L << z;
                }
            }
        }
        return out;
    }

    /** The index of the first ScheduleAnyway spread of {@code spreads}, or -1. */
    private static int firstSoft(List<Placement.Spread> spreads) {
        for (int i = 0; i < spreads.size(); i++) {
            if (!spreads.get(i).hard()) {
                return i;
            }
        }
        return -1;
    }

    private static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";

    /**
     * Per pool, whether it has a PreferNoSchedule taint that no toleration of the pod tolerates (Karpenter's {@code
     * Taints.ToleratesPod} asks every taint, whatever its effect, on existing nodes and new claims alike); null when none.
     */
    private static boolean[] intolerablePools(Cluster cluster, Placement p) {
        boolean[] out = new boolean[cluster.pools().size()];
        boolean any = false;
        for (Pool pool : cluster.pools()) {
            for (Placement.Taint t : pool.shape().taints()) {
                if (PREFER_NO_SCHEDULE.equals(t.effect()) && !NodeMatching.tolerated(p.tolerations(), t)) {
                    out[pool.index()] = true;
                    any = true;
                }
            }
        }
        return any ? out : null;
    }

    /**
     * Whether some pool takes one pod of the group alone under required term {@code r} and preferred node term {@code n}, and
     * is not one of the pools {@code blocked} (null: none) by PreferNoSchedule taints the pod does not tolerate.
     */
    private static boolean admitsAlone(Cluster cluster, PodGroup group, int g, List<Placement.Term> terms, int r,
                                       List<boolean[]> nodeTerms, int n, boolean[] blocked,
                                       java.util.function.BiPredicate<Integer, Pool> holdsAlone) {
        for (Pool p : cluster.pools()) {
            if (p.allows(group) && (blocked == null || !blocked[p.index()])
                    && (terms == null || terms.size() < 2 || NodeMatching.termOnShape(terms.get(r), p.shape(), p.labels()))
                    && (n >= nodeTerms.size() || nodeTerms.get(n)[p.index()])
                    && holdsAlone.test(g, p)) {
                return true;
            }
        }
        return false;
    }

    private static int[] sorted(List<Integer> xs) {
        int[] a = xs.stream().mapToInt(Integer::intValue).toArray();
        Arrays.sort(a);
        return a;
    }

    /** Whether any group has a preference kept here, or a PreferNoSchedule taint to tolerate (else nothing changes from {@code Ignore}). */
    boolean any() {
        return any;
    }

    /** Whether pods of {@code group} have a kept preference, or PreferNoSchedule taints they must tolerate ({@link #tolerates}). */
    boolean constrains(int group) {
        return constrained[group];
    }

    /**
     * Whether where pods of {@code group} may go depends on the pods beside them (a kept preferred anti-affinity or
     * ScheduleAnyway spread), not on a node's pool alone.
     */
    boolean dependsOnNeighbours(int group) {
        return neighbourly[group];
    }

    /** The last relaxation step of {@code group} (0: it launches relaxed as far as it goes). */
    int lastStep(int group) {
        return steps[group].length - 1;
    }

    /**
     * The index of the required node-affinity term a claim for the group meets (0 with one term or none); for a {@link
     * #claimless} group the last, where upstream's relaxation ended.
     */
    int requiredTerm(int group) {
        return requiredTerm[group];
    }

    /** Whether no new claim may take pods of {@code group}: no pool admits them at any step of upstream's relaxation. */
    boolean claimless(int group) {
        return claimless[group];
    }

    /** Whether pods of {@code group} at relaxation {@code step} tolerate the PreferNoSchedule taints of {@code pool}. */
    boolean tolerates(int group, int pool, int step) {
        return steps[group][step].tolerant() || intolerable[group] == null || !intolerable[group][pool];
    }

    /** Whether a node of {@code pool} meets the group's preferred node term kept at {@code step} (always when none is). */
    boolean poolAdmits(int group, int pool, int step) {
        boolean[] ok = steps[group][step].preferredPools();
        return ok == null || ok[pool];
    }

    /**
     * Whether a pod of {@code group} at relaxation {@code step} may go beside the pods of {@code groups[0..n)} (a node's, or a
     * claim's): each preferred pod affinity it keeps has a target among them, or selects the pod itself and has no target
     * anywhere ({@link #targetsAnywhere}: topologygroup.go {@code nextDomainAffinity} on the hostname, "domains[hostName] > 0",
     * else "t.selects(pod)" with every domain empty); no preferred anti-affinity it keeps selects one of them, and no hostname
     * spread it keeps would hold more than maxSkew (their preferred anti-affinity is not asked: upstream tracks only required
     * terms the other way).
     */
    boolean admitsBeside(int group, int[] groups, int n, int step) {
        Step at = steps[group][step];
        int[][] affinity = at.affinity();
        for (int t = 0; affinity != null && t < affinity.length; t++) {
            if (!affinityMet(affinity[t], at.affinitySelf()[t], groups, n)) {
                return false;
            }
        }
        int[] own = at.repels();
        for (int i = 0; own != null && i < n; i++) {
            if (Arrays.binarySearch(own, groups[i]) >= 0) {
                return false;
            }
        }
        int[] skew = at.spreadSkew();
        for (int s = 0; skew != null && s < skew.length; s++) {
            int[] sel = at.spreadSelects()[s];
            int count = Arrays.binarySearch(sel, group) >= 0 ? 1 : 0; // itself, when it selects its own group (selfSelecting)
            for (int i = 0; i < n; i++) {
                count += Arrays.binarySearch(sel, groups[i]) >= 0 ? 1 : 0;
            }
            if (count > skew[s]) {
                return false;
            }
        }
        return true;
    }

    /** Whether one of {@code groups[0..n)} is among {@code targets}, or none runs or is placed anywhere and {@code self}. */
    private boolean affinityMet(int[] targets, boolean self, int[] groups, int n) {
        for (int i = 0; i < n; i++) {
            if (Arrays.binarySearch(targets, groups[i]) >= 0) {
                return true;
            }
        }
        return self && targetsAnywhere(targets) == 0;
    }

    /**
     * The pods of {@code targets} Karpenter's topology counts in some domain: running ones, and those this what-if and the launch
     * plan placed (upstream {@code Record}s each pod it adds, on a node or a claim), less the pods being scheduled that leave where
     * they run (upstream leaves them out of its counts: {@code excludedPods}).
     */
    private int targetsAnywhere(int[] targets) {
        int count = 0;
        for (int h : targets) {
            count += cluster.running(h) + placedBeyond[h];
        }
        return count;
    }

    /**
     * Whether a new claim takes a pod of {@code group} at relaxation {@code step} as far as its kept preferred pod affinity goes:
     * it holds no pod yet, so each kept term must select the pod itself and have no target anywhere; else upstream's {@code add}
     * fails there, and {@code trySchedule} relaxes the pod (the affinity terms first) and asks the nodes and claims again.
     */
    boolean newClaimMeets(int group, int step) {
        Step at = steps[group][step];
        return at.affinity() == null || affinityMet(at.affinity(), at.affinitySelf(), 0);
    }

    private boolean affinityMet(int[][] affinity, boolean[] self, int n) {
        for (int t = 0; t < affinity.length; t++) {
            if (!affinityMet(affinity[t], self[t], groupsOn, n)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether pods of {@code group} keep a preferred pod affinity on the hostname at relaxation {@code step} (one on the zone a
     * new claim may meet, in a zone where a target is).
     */
    boolean keepsAffinity(int group, int step) {
        return steps[group][step].affinity() != null;
    }

    /**
     * The first relaxation step of {@code group} that keeps no preferred pod affinity, on the hostname or the zone (upstream
     * relaxes those first, heaviest first whatever the key).
     */
    int pastAffinity(int group) {
        Step first = steps[group][0];
        ZoneTerms zone = first.zone();
        return (first.affinity() == null ? 0 : first.affinity().length) + (zone == null || zone.affinity() == null ? 0 : zone.affinity().length);
    }

    /**
     * The relaxation step a pod of {@code group} that consolidation's simulation left over is judged at for its replacement: past
     * its affinity terms when it keeps one on the hostname, which no node with room met and a new claim does not meet either
     * (Headroom relaxed them on the nodes); else 0, as a new claim may meet its affinity on the zone in a target's zone.
     */
    int leftoverStep(int group) {
        return keepsAffinity(group, 0) ? pastAffinity(group) : 0;
    }

    /** The launch plan added {@code delta} pods of {@code group} to a claim: they count for the affinities targeting it. */
    void planned(int group, int delta) {
        placed(group, delta);
    }

    /**
     * A pod of {@code group} being scheduled (a consolidation candidate's, one on a node being deleted) leaves where it runs: no
     * affinity counts it there until it is placed again.
     */
    void leaves(int group) {
        placed(group, -1);
    }

    private void placed(int group, int delta) {
        if (placedBeyond == null) {
            return;
        }
        if (placedBeyond[group] == 0) {
            if (placedGroupCount == placedGroups.length) {
                placedGroups = Arrays.copyOf(placedGroups, 2 * placedGroupCount);
            }
            placedGroups[placedGroupCount++] = group;
        }
        placedBeyond[group] += delta;
    }

    /** Whether some group keeps a preferred term on the zone at some step (a pod (anti-)affinity term, or a node term naming zones). */
    boolean anyZoned() {
        return anyZoned;
    }

    /** Whether a term pods of {@code group} keep at relaxation {@code step} decides which zones take them. */
    boolean zoneRuled(int group, int step) {
        return anyZoned && steps[group][step].zoned();
    }

    /**
     * The zones (bits) where a node or claim of {@code pool} meets what pods of {@code group} keep on the zone at relaxation
     * {@code step}, by the pods counted per zone (running ones with the what-if and plan moves {@code moved}, null: none; and
     * those the plan put on claims of several zones, {@link #plannedIn}): its preferred node term's zones; per kept pod
     * affinity term, the zones where a target is counted, or every zone when the term selects the pod itself and no target is
     * counted anywhere (topologygroup.go {@code nextDomainAffinity}: "domains[domain] > 0", else the self-selecting pod's
     * bootstrap); the zones where none of its kept anti-affinity terms' targets is counted ({@code nextDomainAntiAffinity}: the
     * empty domains). Every zone when it keeps none.
     */
    long zonesAdmitted(int group, int pool, int step, int[] moved) {
        long all = zones == 64 ? -1L : (1L << zones) - 1;
        if (!zoneRuled(group, step)) {
            return all;
        }
        Step at = steps[group][step];
        long out = at.preferredZones() == null ? all : at.preferredZones()[pool];
        ZoneTerms zt = at.zone();
        for (int t = 0; zt != null && zt.affinity() != null && t < zt.affinity().length; t++) {
            long with = 0;
            for (int z = 0; z < zones; z++) {
                for (int h : zt.affinity()[t]) {
                    if (cluster.zoneCount(h, z, moved) > 0) {
                        with |= 1L << z;
                        break;
                    }
                }
            }
            out &= with != 0 || !zt.affinitySelf()[t] ? with : all;
        }
        for (int z = 0; zt != null && zt.repels() != null && z < zones; z++) {
            for (int h : zt.repels()) {
                if (cluster.zoneCount(h, z, moved) > 0 || zoneBlockedAny && zoneBlocked[h * zones + z] > 0) {
                    out &= ~(1L << z);
                    break;
                }
            }
        }
        return out;
    }

    /**
     * The launch plan added a pod of {@code group} to a claim that may still land in each of {@code zoneMask}'s zones (more than
     * one): the anti-affinity terms that select it keep out of them all ({@link #zoneBlocked}).
     */
    void plannedIn(int group, long zoneMask) {
        if (zoneBlocked == null) {
            return;
        }
        for (int z = 0; z < zones; z++) {
            if ((zoneMask >>> z & 1) != 0) {
                zoneBlocked[group * zones + z]++;
                zoneBlockedAny = true;
            }
        }
    }

    /**
     * Whether a pod of {@code group} at relaxation {@code step} may go to {@code node} in a what-if: the PreferNoSchedule taints
     * of its pool, its kept preferred node term, the pods there and those moved there ({@link #moved}), and its kept terms on the
     * zone by the pods counted per zone with the what-if's moves {@code zoneMoves} ({@link #zonesAdmitted}).
     */
    boolean admitsOn(int group, int node, int step, int[] zoneMoves) {
        if (!constrained[group]) {
            return true;
        }
        int pool = cluster.pool(node);
        if (!tolerates(group, pool, step) || !poolAdmits(group, pool, step)) {
            return false;
        }
        Step at = steps[group][step];
        if (at.zoned() && (zonesAdmitted(group, pool, step, zoneMoves) >>> Math.max(0, cluster.zone(node)) & 1) == 0) {
            return false;
        }
        if (at.affinity() == null && at.repels() == null && at.spreadSkew() == null) {
            return true;
        }
        int n = cluster.podsOnNode(node, scratch);
        int[] groups = groupsOn.length >= n + 8 ? groupsOn : (groupsOn = new int[2 * n + 8]); // asked for every slot tried: reused
        for (int i = 0; i < n; i++) {
            groups[i] = cluster.offset(scratch[0][i]) / D;
        }
        int extra = node < movedCount.length ? movedCount[node] : 0;
        if (n + extra > groups.length) {
            groups = groupsOn = Arrays.copyOf(groups, 2 * (n + extra));
        }
        if (extra > 0) {
            System.arraycopy(movedOn[node], 0, groups, n, extra);
            n += extra;
        }
        return admitsBeside(group, groups, n, step);
    }

    /**
     * A what-if moved {@code delta} pods of {@code group} onto {@code node}. Only a {@link #neighbourly} group reads them: with
     * none, nothing is recorded (a taint or a node term admits by the pool alone).
     */
    void moved(int group, int node, int delta) {
        if (!anyNeighbourly) {
            return;
        }
        if (node >= movedCount.length) {
            int c = Math.max(node + 1, 2 * movedCount.length);
            movedOn = Arrays.copyOf(movedOn, c);
            movedCount = Arrays.copyOf(movedCount, c);
        }
        placed(group, delta);
        int n = movedCount[node];
        if (delta > 0) {
            if (n == 0) {
                if (touchedCount == touched.length) {
                    touched = Arrays.copyOf(touched, 2 * touchedCount);
                }
                touched[touchedCount++] = node;
            }
            int[] on = movedOn[node];
            if (on == null || n + delta > on.length) {
                movedOn[node] = on = on == null ? new int[Math.max(4, delta)] : Arrays.copyOf(on, Math.max(2 * on.length, n + delta));
            }
            Arrays.fill(on, n, n + delta, group);
            movedCount[node] = n + delta;
        }
        for (int k = 0; k < -delta; k++) {
            // A pod moved off again (only ever one the what-if moved on): the entries' order does not matter (counts only).
            int[] on = movedOn[node];
            for (int i = movedCount[node] - 1; i >= 0; i--) {
                if (on[i] == group) {
                    on[i] = on[--movedCount[node]];
                    break;
                }
            }
        }
    }

    /** A new what-if begins: nothing moved. */
    void reset() {
        for (int i = 0; i < touchedCount; i++) {
            movedCount[touched[i]] = 0;
        }
        touchedCount = 0;
        for (int i = 0; i < placedGroupCount; i++) {
            placedBeyond[placedGroups[i]] = 0;
        }
        placedGroupCount = 0;
        if (zoneBlockedAny) {
            Arrays.fill(zoneBlocked, 0);
            zoneBlockedAny = false;
        }
    }
}

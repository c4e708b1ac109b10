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
 * required terms must all match one pod). Not modelled: preferences on keys other than the hostname (zones).
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
     * @param spreadSkew     its kept ScheduleAnyway hostname spreads' maxSkew, or null when none
     * @param spreadSelects  the groups each of those spreads selects (sorted)
     * @param preferredPools the pools its kept heaviest preferred node term admits, or null when none is kept
     * @param tolerant       whether it tolerates every PreferNoSchedule taint (upstream's last step)
     */
    private record Step(int[][] affinity, boolean[] affinitySelf, int[] repels, int[] spreadSkew, int[][] spreadSelects,
                        boolean[] preferredPools, boolean tolerant) {
        boolean prefers() {
            return affinity != null || repels != null || spreadSkew != null || preferredPools != null;
        }
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
        for (int g = 0; g < steps.length; g++) {
            Step first = steps[g][0];
            constrained[g] = first.prefers() || !first.tolerant() && intolerable[g] != null;
            some |= constrained[g];
            // The steps only ever drop terms: the first keeps every affinity, repel and spread that any step keeps.
            neighbourly[g] = first.affinity() != null || first.repels() != null || first.spreadSkew() != null;
            someNeighbourly |= neighbourly[g];
            someAffinity |= first.affinity() != null;
        }
        this.any = some;
        this.anyNeighbourly = someNeighbourly;
        this.placedBeyond = someAffinity ? new int[steps.length] : null;
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
            while (!admitsAlone(cluster, group, g, terms, r, nodeTerms, n, tolerant ? null : blocked, holdsAlone)) {
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
            List<int[]> affinity = affinityKept ? hostnameTerms(p, p.preferences().affinity(), all, true) : List.of();
            List<int[]> anti = antiKept ? hostnameTerms(p, p.preferences().antiAffinity(), all, false) : List.of();
            // The preferred node terms from the one it launches with: each, then none.
            List<boolean[]> nodePools = new ArrayList<>();
            for (int i = n; i < nodeTerms.size(); i++) {
                boolean[] ok = new boolean[cluster.pools().size()];
                for (Pool pool : cluster.pools()) {
                    ok[pool.index()] = NodeMatching.termOnShape(nodeTerms.get(i).term(), pool.shape(), pool.labels());
                }
                nodePools.add(ok);
            }
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
                int[][] keptAffinity = f == affinity.size() ? null : affinity.subList(f, affinity.size()).toArray(new int[0][]);
                boolean[] self = keptAffinity == null ? null : new boolean[keptAffinity.length];
                for (int t = 0; self != null && t < self.length; t++) {
                    self[t] = Arrays.binarySearch(keptAffinity[t], g) >= 0;
                }
                List<Integer> rep = new ArrayList<>();
                for (int[] sel : anti.subList(a, anti.size())) {
                    for (int h : sel) {
                        if (!rep.contains(h)) {
                            rep.add(h);
                        }
                    }
                }
                int kept = spreadSel.size() - Math.min(spreadsGone, spreadSel.size());
                int[] skew = kept == 0 ? null : spreadMax.subList(spreadSel.size() - kept, spreadSel.size()).stream().mapToInt(Integer::intValue).toArray();
                int[][] selects = kept == 0 ? null : spreadSel.subList(spreadSel.size() - kept, spreadSel.size()).toArray(new int[0][]);
                ladder.add(new Step(keptAffinity, self, rep.isEmpty() ? null : sorted(rep), skew, selects, node < nodePools.size() ? nodePools.get(node) : null,
                        tolerant || k == last));
            }
            steps[g] = ladder.toArray(new Step[0]);
        }
        return new KarpenterPreferences(cluster, steps, requiredTerm, claimless, intolerable);
    }

    /**
     * Per preferred pod (anti-)affinity term of {@code p} on the hostname, heaviest first (stable: preferences.go sorts by weight,
     * descending, before it removes the first), the groups it selects; terms on other keys take no step here. An anti-affinity
     * term that selects no group keeps nothing off and takes no step; an affinity term that selects none is kept ({@code
     * keepEmpty}): nothing meets it until it is relaxed.
     */
    private static List<int[]> hostnameTerms(Placement p, List<Placement.WeightedPodTerm> terms, List<PodGroup> all, boolean keepEmpty) {
        List<int[]> out = new ArrayList<>();
        List<Placement.WeightedPodTerm> byWeight = terms.stream().sorted((a, b) -> Integer.compare(b.weight(), a.weight())).toList();
        for (Placement.WeightedPodTerm t : byWeight) {
            if (PodConflicts.HOSTNAME.equals(t.term().topologyKey())) {
                List<Integer> sel = new ArrayList<>();
                for (int h = 0; h < all.size(); h++) {
                    if (PodConflicts.matches(t.term(), p.namespace(), all.get(h).placement())) {
                        sel.add(h);
                    }
                }
                if (keepEmpty || !sel.isEmpty()) {
                    out.add(sorted(sel));
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
                                       List<Placement.WeightedTerm> nodeTerms, int n, boolean[] blocked,
                                       java.util.function.BiPredicate<Integer, Pool> holdsAlone) {
        for (Pool p : cluster.pools()) {
            if (p.allows(group) && (blocked == null || !blocked[p.index()])
                    && (terms == null || terms.size() < 2 || NodeMatching.termOnShape(terms.get(r), p.shape(), p.labels()))
                    && (n >= nodeTerms.size() || NodeMatching.termOnShape(nodeTerms.get(n).term(), p.shape(), p.labels()))
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

    /** Whether pods of {@code group} keep a preferred pod affinity at relaxation {@code step}. */
    boolean keepsAffinity(int group, int step) {
        return steps[group][step].affinity() != null;
    }

    /** The first relaxation step of {@code group} that keeps no preferred pod affinity (upstream relaxes those first). */
    int pastAffinity(int group) {
        int[][] affinity = steps[group][0].affinity();
        return affinity == null ? 0 : affinity.length;
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

    /**
     * Whether a pod of {@code group} at relaxation {@code step} may go to {@code node} in a what-if: the PreferNoSchedule taints
     * of its pool, its kept preferred node term, and the pods there and those moved there ({@link #moved}).
     */
    boolean admitsOn(int group, int node, int step) {
        if (!constrained[group]) {
            return true;
        }
        int pool = cluster.pool(node);
        if (!tolerates(group, pool, step) || !poolAdmits(group, pool, step)) {
            return false;
        }
        Step at = steps[group][step];
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
    }
}

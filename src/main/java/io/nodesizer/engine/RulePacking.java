package io.nodesizer.engine;

import io.nodesizer.model.Placement;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The rules that can leave a schedulable pod unplaced in the packing onto fresh nodes, applied as
 * kube-scheduler's InterPodAffinity filter applies them:
 * <ul>
 * <li>required pod affinity on the hostname (co-location, {@link DemandTable#coLocation()}): only
 * beside a pod the terms select;</li>
 * <li>required pod affinity on the zone ({@link DemandTable#zoneCoLocation()}): only in a zone that
 * runs such a pod;</li>
 * <li>required pod anti-affinity on the zone ({@link DemandTable#zoneConflicts()}): not in a zone
 * that runs a pod the terms match, nor one whose terms match it;</li>
 * <li>a topology spread over the zones with more minDomains than zones ({@link DemandTable#zoneFloor()}):
 * at most maxSkew pods per zone; and one whose key makes the cluster one domain (one zone, or a key every node
 * carries alike) with minDomains above 1 ({@link DemandTable#domainCap()}): at most maxSkew pods in all;</li>
 * <li>a node selector or required node affinity on the zone label, when the zones have names
 * ({@link DemandTable#zonePinned()}): only the zones it admits;</li>
 * <li>required pod affinity or anti-affinity on another key ({@link ClusterKeyRules}): the whole
 * cluster is one domain of it.</li>
 * </ul>
 * The first of a series (a pod that matches its own affinity terms while no pod matches them) may
 * go anywhere. A strategy packs every other group first; then this class places the groups with
 * such terms — and, for co-location, the groups whose pods they need beside them — on the same
 * ledger:
 * <ol>
 * <li>Each pod of a co-location target goes to the first open node where it fits together with its
 * share of the pods waiting for it (those pods over the target's pods still to place; at most
 * what a fresh node holds beside it), else to a new node, and the waiting pods then fill that
 * node. Target pods thus land in the gaps the rest left where their dependents fit there too, and
 * on nodes of their own where the dependents need the room.</li>
 * <li>The groups with terms, largest first: a co-located pod first fit on a node that runs one of
 * its targets; a pod with zone terms first fit on a node of a zone its rules admit, else on a new
 * node in such a zone (the one with the fewest of its pods), as the cluster autoscaler scales that
 * zone's node group. This repeats while pods get placed (a group with terms can be another's
 * target).</li>
 * <li>A group without terms that is here only because zone anti-affinity keeps it apart (no co-location
 * waits for it: the zone closure placed first) goes last, into the zones the others leave it.</li>
 * <li>What is left stays unplaced with the reason: the scheduler keeps such a pod Pending, and no
 * new node would take it.</li>
 * </ol>
 * Greedy, like the strategies: the count of pods left out is a packing's, not a proven minimum.
 */
final class RulePacking {
    private static final int D = DemandTable.D;

    private final PackingProblem problem;
    private final DemandTable table;
    private final CoLocation co;
    private final CoLocation zoneCo;
    private final ZoneConflicts zoneConflicts;
    private final NodeLedger ledger;
    private final int[] assignment;
    private final long[] demand;
    private final int[] dims;
    private final int zones;
    private final int[] placed;
    /** Whether the pods waiting for a target take their share beside each of its pods ({@link #fillBeside}). */
    private final boolean share;
    /** Per co-location target group, the nodes that run one of its pods. */
    private final BitSet[] nodesWith;
    /**
     * Per group, nodes found with less free than one of its pods on some resource, as scans meet
     * them ({@link #tooFull}): free room only shrinks while the rules place pods, so those never take
     * one again and later scans skip them (2,000 api one per node beside 3,000 nodes of workers too
     * full for one: each api pod asked the ledger about every worker node).
     */
    private final BitSet[] tooFull;
    /** Per co-location target group, the constrained groups its pods admit beside them, largest first. */
    private final int[][] dependents;
    /** Pods per (group, zone), stride {@link #zones}; null without zone rules. */
    private final int[] inZone;
    /** Per group pinned to zones by its node selector or required node affinity, the zones it admits; null for the others. */
    private final boolean[][] allowed;
    /** Pod (anti-)affinity on keys every node carries alike; null when no group has such terms. */
    private final ClusterKeyRules cluster;

    /**
     * The rules over {@code ledger}, with what {@code assignment} places counted; package-private for
     * EngineConformanceTest, which drives kube-scheduler's filter tables through {@link #take} and {@link #fits}.
     */
    RulePacking(PackingProblem problem, BitSet withheld, NodeLedger ledger, int[] assignment, boolean share) {
        this.problem = problem;
        this.share = share;
        this.table = problem.table();
        this.co = table.coLocation();
        this.zoneCo = table.zoneCoLocation();
        this.zoneConflicts = table.zoneConflicts();
        this.cluster = ClusterKeyRules.of(table, problem.shape());
        this.ledger = ledger;
        this.assignment = assignment;
        this.demand = problem.flatDemand();
        this.dims = problem.activeDims();
        this.zones = Math.max(1, ledger.zones());
        int n = table.groupCount();
        this.placed = new int[n];
        this.nodesWith = new BitSet[n];
        this.tooFull = new BitSet[n];
        List<List<Integer>> deps = new ArrayList<>();
        for (int g = 0; g < n; g++) {
            deps.add(null);
        }
        for (int g = withheld.nextSetBit(0); g >= 0; g = withheld.nextSetBit(g + 1)) {
            if (co.isTarget(g)) {
                nodesWith[g] = new BitSet();
            }
            if (!co.constrains(g) || cluster != null && cluster.uncarried(g)) {
                continue; // a term on a key the shape does not carry: nothing should wait for a target's room
            }
            for (int h : co.targets(g)) {
                if (withheld.get(h)) {
                    if (deps.get(h) == null) {
                        deps.set(h, new ArrayList<>());
                    }
                    deps.get(h).add(g);
                }
            }
        }
        this.dependents = new int[n][];
        for (int h = 0; h < n; h++) {
            if (deps.get(h) != null) {
                dependents[h] = largestFirst(deps.get(h).stream().mapToInt(Integer::intValue));
            }
        }
        this.allowed = new boolean[n][];
        if (table.zonePinned() != null) {
            java.util.Map<String, String> labels = io.nodesizer.kube.NodeLabels.of(problem.shape());
            for (int g = withheld.nextSetBit(0); g >= 0; g = withheld.nextSetBit(g + 1)) {
                if (table.zonePinned()[g]) {
                    allowed[g] = new boolean[zones];
                    for (int z = 0; z < zones; z++) {
                        allowed[g][z] = io.nodesizer.kube.NodeMatching.inZone(table.group(g).placement(), problem.shape(), labels,
                                table.zoneNames().get(z)) == null;
                    }
                }
            }
        }
        if (zoneCo.any() || zoneConflicts.any() || table.zoneFloor() != null || table.zonePinned() != null || cluster != null) {
            // What the strategy placed counts for the zone rules.
            this.inZone = new int[n * zones];
            for (int g = 0; g < n; g++) {
                for (int i = 0; i < table.replicas(g); i++) {
                    int node = assignment[table.firstPod(g) + i];
                    if (node >= 0) {
                        inZone[g * zones + ledger.zoneOf(node)]++;
                    }
                }
            }
        } else {
            this.inZone = null;
        }
    }

    /** Whether a rule here may leave pods of group g out: it has such terms itself. */
    private static boolean constrains(DemandTable table, ClusterKeyRules cluster, int g) {
        return constrainsBeyondShared(table, cluster, g) || table.sharedSpreads() != null && table.sharedSpreads().constrained(g);
    }

    /** As {@link #constrains}, leaving out a spread shared with other workloads. */
    private static boolean constrainsBeyondShared(DemandTable table, ClusterKeyRules cluster, int g) {
        return table.coLocation().constrains(g) || table.zoneCoLocation().constrains(g) || table.zoneConflicts().owns(g)
                || table.zoneFloor() != null && table.zoneFloor()[g] || table.zonePinned() != null && table.zonePinned()[g]
                || cluster != null && cluster.appliesOwn(g) || table.domainCap() != null && table.domainCap()[g] > 0;
    }

    /**
     * The schedulable groups {@link #withheld} holds for a reason other than a spread shared with
     * other workloads: their own terms beyond it, or a co-location's target.
     */
    static BitSet withheldBeyondShared(PackingProblem problem) {
        DemandTable table = problem.table();
        BitSet out = new BitSet();
        if (!table.placesByRule()) {
            return out;
        }
        ClusterKeyRules cluster = ClusterKeyRules.of(table, problem.shape());
        for (int g : problem.schedulableGroups()) {
            if (constrainsBeyondShared(table, cluster, g)) {
                out.set(g);
            }
            if (table.coLocation().constrains(g)) {
                for (int h : table.coLocation().targets(g)) {
                    out.set(h);
                }
            }
        }
        return out;
    }

    /**
     * The schedulable groups a strategy must leave to {@link #place}: those with such terms and the
     * schedulable groups whose pods their co-location terms select; null when there are none.
     */
    static BitSet withheld(PackingProblem problem) {
        return withheld(problem, false);
    }

    /**
     * As above; with {@code spreads} also the groups that spread over the zones, which the rules
     * then place after an optimizer whose nodes have no zone: first fit over the nodes their zone
     * counts admit, new nodes in the zone that has the fewest of them (the ledger's own zone rule).
     */
    static BitSet withheld(PackingProblem problem, boolean spreads) {
        DemandTable table = problem.table();
        int[] skew = spreads ? table.zoneSkew() : null;
        if (!table.placesByRule() && skew == null) {
            return null;
        }
        BitSet schedulable = new BitSet();
        for (int g : problem.schedulableGroups()) {
            schedulable.set(g);
        }
        BitSet withheld = new BitSet();
        // Rules on other keys depend on the shape: a term on a key it does not carry may bind nothing.
        ClusterKeyRules cluster = ClusterKeyRules.of(table, problem.shape());
        for (int g : problem.schedulableGroups()) {
            if (constrains(table, cluster, g) || skew != null && skew[g] > 0) {
                withheld.set(g);
            }
            if (table.coLocation().constrains(g)) {
                for (int h : table.coLocation().targets(g)) {
                    if (schedulable.get(h)) {
                        withheld.set(h);
                    }
                }
            }
        }
        return withheld.isEmpty() ? null : withheld;
    }

    /**
     * The schedulable groups of {@link DemandTable#zoneClosure} when the ruled groups can go first as a whole
     * (zone rules apply, no rule on another key does); null otherwise.
     */
    static BitSet firstAsClosure(PackingProblem problem) {
        DemandTable table = problem.table();
        if (table.zones() < 2 || !table.hasZoneRules() || mayGoFirst(problem) || table.sharedSpreads() != null) {
            return null; // shared spreads: their own order (the selected pods' counts decide what fits where)
        }
        ClusterKeyRules cluster = ClusterKeyRules.of(table, problem.shape());
        if (cluster != null && cluster.anyApplies()) {
            return null;
        }
        BitSet closure = table.zoneClosure();
        BitSet out = new BitSet();
        for (int g : problem.schedulableGroups()) {
            out.set(g, closure.get(g));
        }
        return out.isEmpty() ? null : out;
    }

    /**
     * Whether the ruled groups may also be placed before the strategy packs the rest: with
     * co-location alone, whose targets are ruled groups too. Not with the zone rules: a zone
     * affinity's targets are among the rest, and a zone anti-affinity's terms also keep the rest
     * (which the strategies do not check) out of its zones.
     */
    static boolean mayGoFirst(PackingProblem problem) {
        DemandTable table = problem.table();
        ClusterKeyRules cluster = ClusterKeyRules.of(table, problem.shape());
        // Shared spreads too: placed first, their pods see none of the rest, and the pods placed
        // after keep each count within the maxSkew of the spreading pods already there (the
        // ledger's check): a final state the scheduler reaches when the selected pods without a
        // spread of their own come first, since the counts only grow (PackingVerifier checks it).
        return (table.coLocation().any() || table.sharedSpreads() != null) && !table.zoneCoLocation().any() && !table.zoneConflicts().any()
                && table.zoneFloor() == null && table.zonePinned() == null && (cluster == null || !cluster.anyApplies())
                && (table.sharedSpreads() == null || table.sharedSpreads().freshNodeAlwaysFits());
    }

    /**
     * Places the pods of the {@code withheld} groups on {@code ledger} (which holds the strategy's
     * packing of the rest) and writes their nodes into {@code assignment}; returns the pods left
     * unplaced by a rule, one entry per group (its last replicas).
     */
    static List<PackingProblem.Unschedulable> place(PackingProblem problem, BitSet withheld, NodeLedger ledger, int[] assignment) {
        return place(problem, withheld, ledger, assignment, false);
    }

    /**
     * As above; with {@code share} the pods waiting for a target without rules of its own take
     * their even share beside each of its pods ({@link #fillBeside}), else all that fit beside the
     * first: which leaves the rest more room depends on the workloads, so the engine tries both
     * where it can matter ({@link #sharesMatter}).
     */
    static List<PackingProblem.Unschedulable> place(PackingProblem problem, BitSet withheld, NodeLedger ledger, int[] assignment,
                                                    boolean share) {
        return new RulePacking(problem, withheld, ledger, assignment, share).run(withheld);
    }

    /**
     * Whether {@code share} can change {@link #place}'s packing: some withheld workload co-locates
     * with a withheld target of more than one pod that has no rule of its own.
     */
    static boolean sharesMatter(PackingProblem problem, BitSet withheld) {
        DemandTable table = problem.table();
        CoLocation co = table.coLocation();
        for (int g = withheld.nextSetBit(0); g >= 0; g = withheld.nextSetBit(g + 1)) {
            if (co.constrains(g)) {
                for (int h : co.targets(g)) {
                    if (h != g && withheld.get(h) && !co.constrains(h) && table.replicas(h) > 1) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private List<PackingProblem.Unschedulable> run(BitSet withheld) {
        for (int h : largestFirst(withheld.stream().filter(g -> !constrains(table, cluster, g) && !onlyRepelled(g)))) {
            placeTarget(h);
        }
        int[] constrained = largestFirst(withheld.stream().filter(g -> constrains(table, cluster, g)));
        boolean progress = true;
        while (progress) {
            progress = false;
            for (int g : constrained) {
                if (waiting(g) == 0) {
                    continue;
                }
                if (!co.constrains(g)) {
                    progress |= placeInZones(g);
                } else if (anyTargetPlaced(co, g)) {
                    progress |= placeBesideTargets(g);
                } else if (co.selfMatch(g)) {
                    progress |= placeTargetPod(g); // the first of a series: anywhere, and the rest of it beside
                }
            }
        }
        // A workload without rules of its own that zone anti-affinity keeps apart goes after the workloads whose rules
        // hold it (the zone closure placed first): placed before, it may fill every zone and leave theirs no zone, where
        // after them it only keeps out of their zones (the symmetric check, InterPodAffinity's
        // satisfyExistingPodsAntiAffinity) and opens its nodes in the others, as the cluster autoscaler would (QA 68b F8).
        for (int h : largestFirst(withheld.stream().filter(g -> !constrains(table, cluster, g) && onlyRepelled(g)))) {
            placeTarget(h);
        }
        List<PackingProblem.Unschedulable> left = new ArrayList<>();
        for (int g = withheld.nextSetBit(0); g >= 0; g = withheld.nextSetBit(g + 1)) {
            if (table.replicas(g) > placed[g]) {
                left.add(PackingProblem.Unschedulable.byRule(problem, g, placed[g], reason(g)));
            }
        }
        return left;
    }

    /** A group without rules of its own, pod by pod while one fits (a co-location target with its dependents' share beside). */
    private void placeTarget(int h) {
        // A target without rules of its own can still find every zone shut: a dependent placed
        // beside an earlier target may repel it on the zone.
        while (waiting(h) > 0 && placeTargetPod(h)) {
            continue;
        }
    }

    /**
     * Whether g, a group without rules of its own, is here only because zone anti-affinity keeps it apart from other pods
     * (nothing co-locates with it, on the node or the zone, and it has no spread over the zones): no placed pod of it
     * helps another group's rules, so it can wait for them.
     */
    private boolean onlyRepelled(int g) {
        return zoneConflicts.repels(g) != null && !co.isTarget(g) && !zoneCo.isTarget(g)
                && (table.zoneSkew() == null || table.zoneSkew()[g] == 0);
    }

    /** The pods of g still to place: its replicas, or as many as a one-domain spread under minDomains lets run ({@link DemandTable#domainCap}). */
    private int waiting(int g) {
        return Math.min(table.replicas(g), capOf(g)) - placed[g];
    }

    private int capOf(int g) {
        int[] cap = table.domainCap();
        return cap == null || cap[g] == 0 ? Integer.MAX_VALUE : cap[g];
    }

    private boolean anyTargetPlaced(CoLocation rules, int g) {
        for (int h : rules.targets(g)) {
            if (placed[h] > 0 || inZone != null && placedAnywhere(h)) {
                return true;
            }
        }
        return false;
    }

    /** Pods of h anywhere, the strategy's included (the zone counts hold them). */
    private boolean placedAnywhere(int h) {
        for (int z = 0; z < zones; z++) {
            if (inZone[h * zones + z] > 0) {
                return true;
            }
        }
        return false;
    }

    /** Whether zone z admits a pod of g under g's zone rules and its rules on other keys (true for a group without). */
    private boolean zoneAdmits(int g, int z) {
        if (inZone == null) {
            return true;
        }
        if (cluster != null && cluster.applies(g) && !cluster.admits(g, this::placedAnywhere)) {
            return false;
        }
        if (allowed[g] != null && !allowed[g][z] || zoneConflicts.repelledEverywhere(g)) {
            return false;
        }
        int[] repels = zoneConflicts.repels(g);
        if (repels != null) {
            for (int h : repels) {
                if (inZone[h * zones + z] > 0) {
                    return false;
                }
            }
        }
        if (zoneCo.constrains(g) && anyTargetPlaced(zoneCo, g)) {
            for (int h : zoneCo.targets(g)) {
                if (inZone[h * zones + z] > 0) {
                    return true;
                }
            }
            return false;
        }
        return !zoneCo.constrains(g) || zoneCo.selfMatch(g);
    }

    /** Whether node n may take a pod of g: room, the ledger's rules, g's zone rules. */
    boolean fits(int n, int g) {
        return zoneAdmits(g, ledger.zoneOf(n)) && ledger.fits(n, demand, g * D, g, dims);
    }

    /**
     * A new node for a pod of g: in the zone its rules admit with the fewest of its pods, then the
     * fewest nodes (as the ledger opens one otherwise); -1 when no zone admits it.
     */
    private int open(int g) {
        if (zoneConflicts.repelledEverywhere(g) || cluster != null && cluster.applies(g) && !cluster.admits(g, this::placedAnywhere)) {
            return -1;
        }
        if (sharesZoneSpread(g) && !ledger.anyZoneAdmits(g)) {
            return -1; // a spread over the zones counted over every pod it selects admits it in no zone
        }
        if (inZone == null || zoneConflicts.repels(g) == null && !zoneCo.constrains(g) && !floored(g) && allowed[g] == null) {
            return ledger.openFor(g);
        }
        int best = -1;
        for (int z = 0; z < zones; z++) {
            if (!zoneAdmits(g, z) || !ledger.zoneAdmits(g, z)) {
                continue;
            }
            int c = best < 0 ? -1 : Integer.compare(inZone[g * zones + z], inZone[g * zones + best]);
            if (c < 0 || c == 0 && ledger.nodesIn(z) < ledger.nodesIn(best)) {
                best = z;
            }
        }
        return best < 0 ? -1 : ledger.openIn(best);
    }

    /** Pods of a group with zone terms (and no co-location), first fit over the nodes of admitted zones, else new nodes there; whether any was placed. */
    private boolean placeInZones(int g) {
        int[] repels = zoneConflicts.repels(g);
        // Its zone (or, on another key, the cluster) fills with one pod.
        boolean oneAtATime = repels != null && java.util.Arrays.binarySearch(repels, g) >= 0 || cluster != null && cluster.oneInCluster(g);
        boolean any = false;
        int from = 0;
        BitSet full = tooFull(g);
        while (waiting(g) > 0) {
            int node = -1;
            for (int n = from; n < ledger.nodeCount() && node < 0; n++) {
                if (full.get(n)) {
                    n = full.nextClearBit(n) - 1;
                } else if (tooFull(n, g)) {
                    full.set(n);
                } else if (fits(n, g)) {
                    node = n;
                }
            }
            if (node < 0) {
                node = open(g);
                if (node < 0) {
                    break;
                }
            }
            int k = oneAtATime ? 1 : ledger.fitCount(node, demand, g * D, g, dims, waiting(g));
            if (k == 0) {
                break; // cannot happen (a node that fits, or one opened where g's rules admit it); no endless loop if it does
            }
            take(node, g, k);
            any = true;
            // The same nodes refuse it while its own pods are all that changed, unless a spread over
            // the zones lets an earlier zone take more once the fewest grew, or the hostname spread's
            // fewest over the nodes did (an even try: NodeLedger#floorHostnameSpreads).
            from = oneAtATime || ledger.spreadsOverZones(g) && !floored(g) || ledger.floorsHostname(g) ? 0 : node + 1;
        }
        return any;
    }

    /** One pod of co-location target h where the pods waiting for it have the most room, then those pods beside it; whether it was placed. */
    private boolean placeTargetPod(int h) {
        int node = -1;
        int wanted = dependents[h] == null ? 0 : Math.min(roomBeside(h, null), share(h));
        // A target held to one pod per node (anti-affinity with itself, or a spread of maxSkew 1
        // whose fewest is not floored: an even try lifts that cap as the fewest rises) never fits a
        // node that runs one of its pods: skipped without asking the ledger (thousands of api pods
        // each scanned every api node).
        BitSet own = ownCap(h) == 1 && !ledger.floorsHostname(h) ? nodesWith[h] : null;
        BitSet full = tooFull(h);
        for (int n = 0; n < ledger.nodeCount() && node < 0; n++) {
            if (own != null && own.get(n)) {
                n = own.nextClearBit(n) - 1;
                continue;
            }
            if (full.get(n)) {
                n = full.nextClearBit(n) - 1;
                continue;
            }
            if (tooFull(n, h)) {
                full.set(n);
            } else if (fits(n, h) && (wanted == 0 || roomBeside(h, n) >= wanted)) {
                node = n;
            }
        }
        if (node < 0) {
            node = open(h);
            if (node < 0) {
                return false;
            }
        }
        // Nothing waits for it: the rest of the group in bulk, as first fit would.
        int of = waiting(h);
        int k = ledger.fitCount(node, demand, h * D, h, dims, wanted == 0 && !repelsOwn(h) ? of : 1);
        if (k == 0) {
            return false; // cannot happen: the node was found fitting, or opened for it
        }
        take(node, h, k);
        fillBeside(node, h, k, of);
        return true;
    }

    /** The nodes found too full for a pod of g ({@link #tooFull(int, int)}), kept for its later scans. */
    private BitSet tooFull(int g) {
        if (tooFull[g] == null) {
            tooFull[g] = new BitSet();
        }
        return tooFull[g];
    }

    /** Whether node n has less free than a pod of g on some resource: it can take none, now or later. */
    private boolean tooFull(int n, int g) {
        for (int r : dims) {
            if (ledger.free(n, r) < demand[g * D + r]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The pods waiting for h that this pod of h should find room for: an even share over h's pods
     * still to place (all of them for the first of a series, which the rest must join).
     */
    private int share(int h) {
        long waiting = 0;
        for (int g : dependents[h]) {
            waiting += waiting(g) - (g == h ? 1 : 0);
        }
        long over = co.constrains(h) ? 1 : waiting(h);
        return (int) ((waiting + over - 1) / over);
    }

    /**
     * How many of the pods waiting for h would fit beside one more pod of h, largest first, on
     * {@code node} (null: a fresh node); resources and per-node caps only, which is enough to
     * choose a node (the ledger checks every placement).
     */
    private int roomBeside(int h, Integer node) {
        long[] free = new long[D];
        for (int r : dims) {
            free[r] = (node == null ? ledger.capacity(r) : ledger.free(node, r)) - demand[h * D + r];
        }
        int room = 0;
        for (int g : dependents[h]) {
            long k = waiting(g) - (g == h ? 1 : 0);
            for (int r : dims) {
                long d = demand[g * D + r];
                if (d > 0) {
                    k = Math.min(k, Math.max(0, free[r]) / d);
                }
            }
            int cap = ownCap(g);
            if (cap < Integer.MAX_VALUE) {
                k = Math.min(k, Math.max(0, cap - (g == h ? 1 : 0)));
            }
            for (int r : dims) {
                free[r] -= k * demand[g * D + r];
            }
            room += (int) k;
        }
        return room;
    }

    /** How many of its own pods one node may hold (required anti-affinity, hostname spread), else unlimited. */
    private int ownCap(int g) {
        int[][] conflicts = table.conflicts();
        if (conflicts == null || conflicts[g] == null || java.util.Arrays.binarySearch(conflicts[g], g) < 0) {
            return Integer.MAX_VALUE;
        }
        return table.caps()[g];
    }

    /**
     * The pods waiting for target group h that fit on {@code node} beside it, largest first (and
     * theirs, for chains). With {@link #share}, beside a target without rules of its own, {@code k}
     * of whose {@code of} pods still to place just went here, each waiting group takes its even
     * share over them (⌈waiting × k ÷ of⌉), the rest beside the target's other pods: all on the
     * first can leave no room there for the rest (8 cache beside 4 api on 7.91-CPU nodes took 4
     * CPU on the first, and a 3-CPU worker no longer fit beside it: 6 nodes where 5 hold them),
     * or just the room it needs (on 8-CPU nodes the other three api nodes then take 2 workers each: 4).
     */
    private void fillBeside(int node, int h, int k, int of) {
        if (dependents[h] == null) {
            return;
        }
        for (int g : dependents[h]) {
            int before = waiting(g);
            int want = share && !co.constrains(h) && of > 0 ? (int) Math.min(before, ((long) before * k + of - 1) / of) : before;
            if (want == 0 || !zoneAdmits(g, ledger.zoneOf(node))) {
                continue;
            }
            int took = ledger.fitCount(node, demand, g * D, g, dims, repelsOwn(g) ? 1 : want);
            if (took > 0) {
                take(node, g, took);
                if (g != h) {
                    fillBeside(node, g, took, before);
                }
            }
        }
    }

    /** First fit over the nodes that run one of g's co-location targets; whether a pod was placed. */
    private boolean placeBesideTargets(int g) {
        BitSet nodes = new BitSet();
        for (int h : co.targets(g)) {
            if (nodesWith[h] != null) {
                nodes.or(nodesWith[h]);
            }
        }
        boolean any = false;
        for (int n = nodes.nextSetBit(0); n >= 0 && waiting(g) > 0; n = nodes.nextSetBit(n + 1)) {
            if (!zoneAdmits(g, ledger.zoneOf(n))) {
                continue;
            }
            int of = waiting(g);
            int k = ledger.fitCount(n, demand, g * D, g, dims, repelsOwn(g) ? 1 : of);
            if (k > 0) {
                take(n, g, k);
                fillBeside(n, g, k, of);
                any = true;
            }
        }
        return any;
    }

    /** Whether g's anti-affinity on the zone or another key may turn its next pod away: place one at a time. */
    private boolean repelsOwn(int g) {
        return zoneConflicts.owns(g) || cluster != null && cluster.applies(g);
    }

    void take(int node, int g, int k) {
        ledger.take(node, demand, g * D, g, dims, k);
        int pod = table.firstPod(g) + placed[g];
        for (int i = 0; i < k; i++) {
            assignment[pod + i] = node;
        }
        placed[g] += k;
        if (nodesWith[g] != null) {
            nodesWith[g].set(node);
        }
        if (inZone != null) {
            inZone[g * zones + ledger.zoneOf(node)] += k;
        }
    }

    /** Groups by their largest share of a node's pod capacity, largest first, then by index. */
    private int[] largestFirst(IntStream groups) {
        long[] cap = problem.podCapacity();
        double[] share = new double[table.groupCount()];
        int[] out = groups.toArray();
        for (int g : out) {
            for (int r : dims) {
                if (cap[r] > 0) {
                    share[g] = Math.max(share[g], (double) demand[g * D + r] / cap[r]);
                }
            }
        }
        return IntStream.of(out).boxed()
                .sorted(Comparator.comparingDouble((Integer g) -> -share[g]).thenComparingInt(g -> g))
                .mapToInt(Integer::intValue).toArray();
    }

    private String names(int[] groups) {
        StringBuilder names = new StringBuilder();
        int shown = 0;
        for (int h : groups) {
            if (shown == 3) {
                names.append(", …");
                break;
            }
            names.append(shown++ == 0 ? "" : ", ").append(table.group(h).name());
        }
        return names.toString();
    }

    private boolean anyAllowed(int g) {
        for (boolean a : allowed[g]) {
            if (a) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a spread over the zones counted over every pod it selects ({@link SharedSpreads})
     * checks g's pods: g's own, or another group's that selects g (which may then admit g in no zone).
     */
    private boolean sharesZoneSpread(int g) {
        return table.sharedSpreads() != null && ledger.zones() > 1 && table.sharedSpreads().zone(g) != null;
    }

    /** Whether g's spread over the zones counts the fewest as 0 (minDomains above the zones). */
    private boolean floored(int g) {
        return ledger.floored(g);
    }

    /** Whether every zone runs a pod that g repels or that repels it. */
    private boolean everyZoneRepels(int g) {
        int[] repels = zoneConflicts.repels(g);
        if (zoneConflicts.repelledEverywhere(g)) {
            return true;
        }
        if (inZone == null || repels == null) {
            return false;
        }
        for (int z = 0; z < zones; z++) {
            boolean blocked = false;
            for (int h : repels) {
                blocked |= inZone[h * zones + z] > 0;
            }
            if (!blocked) {
                return false;
            }
        }
        return true;
    }

    private String reason(int g) {
        if (placed[g] >= capOf(g)) {
            Placement.Spread sp = table.group(g).placement().spread().stream().filter(x -> x.hard() && x.minDomains() > 1
                    && x.maxSkew() == capOf(g)).findFirst().orElseThrow();
            String key = sp.term().topologyKey();
            return "topology spread on " + key + " with minDomains " + sp.minDomains() + " above the one domain "
                    + (io.nodesizer.kube.PodConflicts.isZone(key) ? "(the nodes are in one zone: --zones N spreads them over N)"
                    : "(every node carries the same " + key + ")") + ": kube-scheduler counts the fewest as 0, so the cluster holds at "
                    + "most maxSkew (" + sp.maxSkew() + ") of its pods; it keeps the rest Pending, and no new node would take them";
        }
        if (cluster != null && cluster.applies(g) && !cluster.admits(g, this::placedAnywhere)) {
            return cluster.reason(g, this::placedAnywhere, this::names, problem.shape());
        }
        if (zoneConflicts.repelledOnEveryNode(g)) {
            String which = io.nodesizer.kube.PodConflicts.daemonSetRepelling(table.group(g).placement(), table.daemonSets(),
                    io.nodesizer.kube.PodConflicts.HOSTNAME::equals);
            return "required pod anti-affinity on the hostname: every node runs a pod it repels or that repels it (a DaemonSet's"
                    + (which == null ? "" : ": " + which) + "); kube-scheduler keeps it Pending, and a new node would run that pod too";
        }
        if (allowed[g] != null && !anyAllowed(g)) {
            return "its node selector or required node affinity admits none of the zones (" + String.join(", ", table.zoneNames())
                    + "): in " + table.zoneNames().get(0) + ", " + io.nodesizer.kube.NodeMatching.inZone(table.group(g).placement(),
                    problem.shape(), io.nodesizer.kube.NodeLabels.of(problem.shape()), table.zoneNames().get(0))
                    + "; kube-scheduler keeps it Pending";
        }
        if (co.constrains(g) && !everyZoneRepels(g)) {
            return affinityReason(co, g, "", "every node that runs a pod its terms select (" + names(co.targets(g)) + ") is full for it",
                    "a new node would run no such pod");
        }
        if (zoneCo.constrains(g) && !anyTargetPlaced(zoneCo, g) && !zoneCo.selfMatch(g)) {
            return affinityReason(zoneCo, g, " on the zone", "", "");
        }
        StringBuilder why = new StringBuilder();
        int[] repels = zoneConflicts.repels(g);
        if (everyZoneRepels(g)) {
            why.append("required pod anti-affinity on the zone: ").append(zones == 1 ? "the one zone" : "each of the " + zones + " zones")
                    .append(" runs a pod it repels or that repels it (").append(zoneConflicts.repelledEverywhere(g)
                            ? "a DaemonSet's, which runs on every node" : names(repels)).append(')');
        }
        if (zoneCo.constrains(g) && why.isEmpty() && table.zoneSkew() != null && table.zoneSkew()[g] > 0) {
            // The zones the affinity admits run its targets, so the affinity is met there: the spread is what refuses the pod
            // (kube-scheduler: "didn't match pod topology spread constraints"; QA 68b F6 blamed the affinity).
            why.append("the zones its required pod affinity on the zone admits (those that run a pod its terms select: ")
                    .append(names(zoneCo.targets(g))).append(") are full for it under its topology spread over the zones");
        } else if (zoneCo.constrains(g)) {
            why.append(why.isEmpty() ? "" : ", and ").append("required pod affinity on the zone admits only the zones that run a pod its terms "
                    + "select (").append(names(zoneCo.targets(g))).append(')');
        }
        if (why.isEmpty() && floored(g)) {
            int minDomains = table.group(g).placement().spread().stream().filter(sp -> sp.hard()
                    && io.nodesizer.kube.PodConflicts.isZone(sp.term().topologyKey())).mapToInt(io.nodesizer.model.Placement.Spread::minDomains)
                    .max().orElse(0);
            why.append("topology spread over the zones with minDomains ").append(minDomains).append(" above the ")
                    .append(allowed[g] == null ? zones + " zones" : "zones its node selector or required node affinity admits")
                    .append(": kube-scheduler counts the fewest as 0, so each zone holds at most maxSkew (")
                    .append(table.zoneSkew()[g]).append(") of its pods");
        }
        if (why.isEmpty() && sharesZoneSpread(g)) {
            why.append("topology spread over the zones counted over every pod its selector matches (other workloads' too): no zone "
                    + "admits it: each holds maxSkew more of those pods than the fewest (the fewest 0 with minDomains above the zones), "
                    + "or taking it would push the count of another workload's spread that selects it past that spread's maxSkew (which "
                    + "the packing avoids, conservatively: kube-scheduler checks only the incoming pod's spreads)");
        }
        if (why.isEmpty()) {
            why.append(zoneConflicts.repels(g) != null ? "the zones its required pod anti-affinity admits are full for it under its "
                    + "topology spread over the zones" : allowed[g] != null ? "the zones its node selector or required node affinity "
                    + "admits are full for it under its topology spread over the zones" : "every zone is full for it under its topology "
                    + "spread over the zones");
        }
        why.append("; kube-scheduler keeps it Pending, and a new node in any zone would not take it either");
        if (zones == 1 && !zoneConflicts.repelledEverywhere(g)) {
            why.append(" (the nodes are in one zone: --zones N spreads them over N)");
        }
        return why.toString();
    }

    private String affinityReason(CoLocation rules, int g, String on, String full, String noNode) {
        List<String> keys = table.group(g).placement().affinity().stream().map(io.nodesizer.model.Placement.PodAffinityTerm::topologyKey)
                .distinct().toList();
        // Terms that mix keys: only a pod matching all of them counts (PodConflicts.affinityKey), so say so.
        String mixed = keys.size() > 1 ? " with terms on " + String.join(", ", keys) + " (only a pod that matches all of them counts)" : "";
        String base = "required pod affinity" + (on.isEmpty() ? " (co-location)" : on) + mixed + ": ";
        if (anyTargetPlaced(rules, g)) {
            return base + full + "; kube-scheduler keeps it Pending, and the cluster autoscaler adds no node for it, since " + noNode;
        }
        String names = names(rules.targets(g));
        return base + (names.isEmpty() ? "no pod of the workload matches " + (mixed.isEmpty() ? "its terms" : "all of its terms")
                : "no pod its terms select (" + names + ") is placed: none fits this shape, or its own rules leave it out")
                + (rules.selfMatch(g) ? "" : " and it does not match them itself") + ", so kube-scheduler keeps it Pending";
    }
}

package io.nodesizer.engine;

import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;
import io.nodesizer.model.PodGroup;

import java.util.Arrays;
import java.util.BitSet;

/**
 * A workload's own hard topology spread on the hostname, as kube-scheduler keeps it on a cluster
 * whose nodes are all there: a pod goes on a node only while {@code (its pods there + 1) − (the
 * fewest on any node of the domain) ≤ maxSkew} (PodTopologySpread's filter, filtering.go). The
 * fewest never falls as pods are added, so every final state of a placement holds
 * {@code most − fewest ≤ maxSkew} over the nodes, and every state that holds it is reachable pod
 * by pod (always place on a node with the fewest that still needs one). Ten replicas with maxSkew
 * 1 thus run 4/3/3 on three nodes, not one per node.
 *
 * <p>{@link DemandTable#caps()} keeps at most maxSkew per node (the fewest taken as 0): right on
 * a cluster that grows by adding nodes, conservative on one that holds the workload. This class
 * says which groups the packing may spread evenly instead, checks a packing by the scheduler's
 * rule, and places those groups evenly over a given number of nodes before the rest fills them
 * ({@link PackingEngine}).
 *
 * <p>The domain is every node of the packing: they are all of one shape, so they carry the same
 * labels and taints but their hostname and zone. Checking over all nodes is sound for a group
 * whose node affinity admits only some zones too (its domain is then a subset of the nodes, whose
 * fewest is no lower).
 */
public final class HostnameSpreads {
    /** Per group, the maxSkew of its own hostname spread when that (not anti-affinity with itself) is its cap; 0 otherwise. */
    private final int[] skew;
    /** Per group, the largest minDomains of its own hostname spreads: below that many nodes the fewest counts as 0. */
    private final int[] minDomains;

    /**
     * Per group, whether every hostname spread of its own is counted over other workloads' pods too
     * ({@link SharedSpreads}): {@link PackingVerifier} checks those by the pods they select, not here.
     */
    private final boolean[] sharedOnly;

    /**
     * Per group, the zones (bits) whose nodes are its spread's domains when its node affinity keeps
     * it to some of them (nodeAffinityPolicy Honor, the default); 0: every node. Null when not
     * known ({@link #of(DemandTable)}: every node, a superset whose fewest is no higher).
     */
    private final long[] zonesOf;

    /**
     * Per group, the zones (bits) its node affinity admits when it keeps it to some named zones,
     * whatever its nodeAffinityPolicy; 0: every zone. Where a try opens its up-front nodes
     * ({@link #tryZones}), not what its spread counts ({@link #zonesOf}). Null when not known.
     */
    private final long[] admitted;

    private HostnameSpreads(int[] skew, int[] minDomains, boolean[] sharedOnly, long[] zonesOf) {
        this(skew, minDomains, sharedOnly, zonesOf, null);
    }

    private HostnameSpreads(int[] skew, int[] minDomains, boolean[] sharedOnly, long[] zonesOf, long[] admitted) {
        this.skew = skew;
        this.minDomains = minDomains;
        this.sharedOnly = sharedOnly;
        this.zonesOf = zonesOf;
        this.admitted = admitted;
    }

    /**
     * As {@link #of(DemandTable)}, with the domains of workloads whose node selector or required node
     * affinity admits only some of the named zones: the nodes of those zones, as kube-scheduler's
     * nodeAffinityPolicy Honor counts them (a workload pinned to zone a with maxSkew 1 spreads over
     * zone a's nodes; the other zones' nodes, which can hold none, do not hold its fewest at 0).
     */
    public static HostnameSpreads of(PackingProblem problem) {
        DemandTable table = problem.table();
        HostnameSpreads all = of(table);
        boolean[] pinned = table.zonePinned();
        int zones = table.zones();
        if (all == null || pinned == null || table.zoneNames() == null || zones < 2 || zones > 64) {
            return all;
        }
        long every = zones == 64 ? -1L : (1L << zones) - 1;
        java.util.Map<String, String> labels = io.nodesizer.kube.NodeLabels.of(problem.shape());
        long[] zonesOf = new long[table.groupCount()];
        long[] admitted = new long[table.groupCount()];
        for (int g = 0; g < zonesOf.length; g++) {
            if (all.skew[g] == 0 || !pinned[g]) {
                continue;
            }
            long mask = SpreadDomains.admitted(problem, labels, g);
            admitted[g] = mask == every ? 0 : mask;
            if (honorsNodeAffinity(table.group(g).placement())) {
                zonesOf[g] = admitted[g]; // no zone at all: the group runs nowhere, whatever it counts
            }
        }
        return new HostnameSpreads(all.skew, all.minDomains, all.sharedOnly, zonesOf, admitted);
    }

    /** Whether every hard hostname spread of the group's own honours its node affinity (else every node is a domain). */
    private static boolean honorsNodeAffinity(Placement p) {
        boolean any = false;
        for (Placement.Spread sp : p.spread()) {
            if (ownHostnameSpread(sp, p)) {
                if (!sp.honorsNodeAffinity()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    /**
     * Whether group g's node selector or required node affinity admits exactly one of the named
     * zones. A hard spread over the zones of its own pods then orders nothing: every other zone
     * holds 0 of them, so the zone's count is within maxSkew of the fewest either always (that zone
     * alone counted: nodeAffinityPolicy Honor, the default) or while it holds at most maxSkew (other
     * zones counted: Ignore, or minDomains above 1, where the fewest is 0); both hold in any order of
     * its pods once they hold at the end, as a cap on a count that only grows does.
     * ({@code podtopologyspread/filtering.go}, {@code calPreFilterState} and {@code minMatchNum}.)
     */
    boolean inOneZone(int g) {
        return admitted != null && Long.bitCount(admitted[g]) == 1;
    }

    /** The zones (bits) whose nodes are group g's spread domains; 0: every node. */
    long zonesOf(int g) {
        return zonesOf == null ? 0 : zonesOf[g];
    }

    /** Whether every node of a packing is a domain of group g's hostname spread (not kept to some zones). */
    public boolean everyNodeADomain(int g) {
        return zonesOf(g) == 0;
    }

    /**
     * Whether the nodes of {@code shape} are domains of some hard hostname spread of the group's
     * own, by the spread's node inclusion policies as kube-scheduler's PodTopologySpread has them
     * ({@link io.nodesizer.kube.NodeMatching#inSpreadDomain}): {@code nodeAffinityPolicy: Honor}
     * (the default) leaves out a shape the pod's node selector or required node affinity refuses,
     * {@code nodeTaintsPolicy: Honor} one with a taint the pod does not tolerate. True for a group
     * without such a spread (nothing to leave out). Labels the shape does not declare (the zone,
     * the hostname) are taken as met, so a shape is left out only where it certainly is.
     */
    public static boolean domainOn(PodGroup group, io.nodesizer.model.NodeShape shape) {
        Placement p = group.placement();
        java.util.Map<String, String> labels = io.nodesizer.kube.NodeLabels.of(shape);
        boolean any = false;
        for (Placement.Spread sp : p.spread()) {
            if (ownHostnameSpread(sp, p)) {
                if (io.nodesizer.kube.NodeMatching.inSpreadDomain(sp, p, shape, labels)) {
                    return true;
                }
                any = true;
            }
        }
        return !any;
    }

    /** The table's own hostname spreads that the scheduler's rule decides (not a cap of 1 for anti-affinity); null when none. */
    public static HostnameSpreads of(DemandTable table) {
        int[][] conflicts = table.conflicts();
        int[] caps = table.caps();
        if (conflicts == null) {
            return null;
        }
        int n = table.groupCount();
        int[] skew = new int[n];
        int[] minDomains = new int[n];
        boolean[] sharedOnly = new boolean[n];
        SharedSpreads shared = table.sharedSpreads();
        boolean any = false;
        for (int g = 0; g < n; g++) {
            if (conflicts[g] == null || Arrays.binarySearch(conflicts[g], g) < 0 || caps[g] == 0) {
                continue;
            }
            PodGroup group = table.group(g);
            if (antiAffinityWithItself(group)) {
                continue; // one per node whatever the others hold
            }
            int most = 0;
            boolean allShared = true;
            java.util.List<Placement.Spread> spreads = group.placement().spread();
            for (int si = 0; si < spreads.size(); si++) {
                Placement.Spread sp = spreads.get(si);
                if (ownHostnameSpread(sp, group.placement())) {
                    most = Math.max(most, sp.minDomains());
                    allShared &= shared != null && shared.counterOf(g, si) >= 0;
                }
            }
            if (most > 0) {
                skew[g] = caps[g]; // the smallest maxSkew of its own hostname spreads (PodConflicts.caps)
                minDomains[g] = most;
                sharedOnly[g] = allShared;
                any = true;
            }
        }
        return any ? new HostnameSpreads(skew, minDomains, sharedOnly, null) : null;
    }

    /** Whether {@code sp} is a hard (DoNotSchedule) spread over the hostname whose selector selects the pods of {@code p} itself. */
    public static boolean ownHostnameSpread(Placement.Spread sp, Placement p) {
        return sp.hard() && PodConflicts.HOSTNAME.equals(sp.term().topologyKey()) && PodConflicts.matches(sp.term(), p.namespace(), p);
    }

    /** Whether the group's required pod anti-affinity on the hostname selects its own pods: one per node, whatever the rest. */
    public static boolean antiAffinityWithItself(PodGroup g) {
        for (Placement.PodAffinityTerm t : g.placement().antiAffinity()) {
            if (PodConflicts.HOSTNAME.equals(t.topologyKey()) && PodConflicts.matches(t, g.placement().namespace(), g.placement())) {
                return true;
            }
        }
        return false;
    }

    /** The largest minDomains of group g's own hostname spreads (0 when it has none decided here). */
    public int minDomains(int g) {
        return minDomains[g];
    }

    /**
     * The fewest pods of group g that every node of a packing on {@code nodes} nodes holds when
     * {@code pods} of them are placed, by the rule {@link #violation} checks: most − fewest ≤ maxSkew
     * over every node, so pods ≤ fewest + maxSkew·(nodes − 1) and the fewest is at least
     * ⌈(pods − maxSkew·(nodes − 1)) ÷ nodes⌉. 0 where the rule says nothing of every node: a group
     * it does not decide, below minDomains nodes (the fewest counts as 0), a spread counted over
     * other workloads' pods, one whose domains are only some zones' nodes.
     */
    public int floor(int g, int pods, int nodes) {
        if (skew[g] == 0 || sharedOnly[g] || zonesOf(g) != 0 || nodes <= 0 || nodes < minDomains[g]) {
            return 0;
        }
        long above = pods - (long) skew[g] * (nodes - 1);
        return above <= 0 ? 0 : (int) ((above + nodes - 1) / nodes);
    }

    /**
     * Whether every node of a packing is a domain of group g's own hostname spread, counted over
     * its own pods alone: then a packing may give every node a floor of its pods and up to maxSkew
     * more ({@link io.nodesizer.pattern.PatternPacking#packFloored}), on at least {@link
     * #minDomains} nodes.
     */
    public boolean floorable(int g) {
        return skew[g] > 0 && !sharedOnly[g] && zonesOf(g) == 0;
    }

    /** The smallest maxSkew of group g's own hostname spreads that the scheduler's rule decides; 0 for none. */
    public int maxSkew(int g) {
        return skew[g];
    }

    /** Whether group g's cap per node is its own hostname spread's maxSkew, which the scheduler's rule may exceed. */
    public boolean decides(int g) {
        return skew[g] > 0;
    }

    /**
     * The first group whose pods on {@code nodes} nodes break the scheduler's rule, as a sentence;
     * null when none does. A group within its cap on every node keeps it whatever the others hold;
     * one above it needs at least minDomains nodes and no node more than maxSkew above the fewest
     * (a node without its pods counts 0).
     */
    public String violation(DemandTable table, int[] assignment, int nodes) {
        return violation(table, assignment, nodes, null);
    }

    /**
     * As above, the fewest taken over the nodes {@code counted} marks (null: every node): a sized
     * mix's spare nodes, empty headroom that a rollout would spread the pods onto, are left out.
     */
    public String violation(DemandTable table, int[] assignment, int nodes, boolean[] counted) {
        return violation(table, assignment, nodes, counted, null);
    }

    /**
     * As above, with each node's zone ({@code zoneOf}): a workload kept to some zones ({@link
     * #of(PackingProblem)}) counts only their nodes as its domains (null: every node for all).
     */
    public String violation(DemandTable table, int[] assignment, int nodes, boolean[] counted, java.util.function.IntUnaryOperator zoneOf) {
        return violation(table, assignment, nodes, counted, zoneOf, null);
    }

    /** Whether a node counts as a domain of group g's own hostname spread. */
    @FunctionalInterface
    public interface Domains {
        boolean counts(int g, int node);
    }

    /**
     * As above, the domains of each group further kept to the nodes {@code domains} names (null:
     * all): a mix's pools whose taints or labels its spread's node inclusion policies leave out
     * ({@link #domainOn}) hold no fewest at 0.
     */
    public String violation(DemandTable table, int[] assignment, int nodes, boolean[] counted, java.util.function.IntUnaryOperator zoneOf,
                            Domains domains) {
        int everyNode = nodes;
        if (counted != null) {
            everyNode = 0;
            for (int node = 0; node < nodes; node++) {
                everyNode += counted[node] ? 1 : 0;
            }
        }
        int[] count = new int[Math.max(1, nodes)];
        int[] touched = new int[0];
        for (int g = 0; g < skew.length; g++) {
            if (skew[g] == 0 || table.replicas(g) <= skew[g] || sharedOnly[g]) {
                continue;
            }
            if (touched.length < table.replicas(g)) {
                touched = new int[table.replicas(g)];
            }
            int domainNodes = everyNode;
            long zonesOfG = zoneOf == null ? 0 : zonesOf(g);
            boolean some = zonesOfG != 0 || domains != null; // only some of the counted nodes are g's domains
            if (some) {
                domainNodes = 0;
                for (int node = 0; node < nodes; node++) {
                    domainNodes += isDomain(g, node, counted, zonesOfG, zoneOf, domains) ? 1 : 0;
                }
            }
            int t = 0;
            int most = 0;
            int first = table.firstPod(g);
            for (int i = 0; i < table.replicas(g); i++) {
                int node = assignment[first + i];
                if (node >= 0 && node < nodes) {
                    if (count[node]++ == 0) {
                        touched[t++] = node;
                    }
                    most = Math.max(most, count[node]);
                }
            }
            // The fewest over the domains that hold some (a pod off its domains, which no placement
            // here makes, is counted in the most only: the stricter side).
            int fewest = Integer.MAX_VALUE;
            int held = 0;
            for (int i = 0; i < t; i++) {
                if (!some || isDomain(g, touched[i], counted, zonesOfG, zoneOf, domains)) {
                    fewest = Math.min(fewest, count[touched[i]]);
                    held++;
                }
            }
            for (int i = 0; i < t; i++) {
                count[touched[i]] = 0;
            }
            if (held < domainNodes) {
                fewest = 0;
            }
            if (most <= skew[g]) {
                continue;
            }
            String name = table.group(g).name();
            if (domainNodes < minDomains[g]) {
                return "a node holds " + most + " pods of " + name + ", more than its hostname spread's maxSkew " + skew[g]
                        + " (fewer nodes than its minDomains " + minDomains[g] + ", so the fewest counts as 0)";
            }
            if (most - fewest > skew[g]) {
                return "a node holds " + most + " pods of " + name + " and another " + fewest + ", more apart than its hostname spread's maxSkew "
                        + skew[g];
            }
        }
        return null;
    }

    private static boolean isDomain(int g, int node, boolean[] counted, long zonesOfG, java.util.function.IntUnaryOperator zoneOf, Domains domains) {
        return (counted == null || counted[node]) && (zonesOfG == 0 || (zonesOfG >>> zoneOf.applyAsInt(node) & 1) != 0)
                && (domains == null || domains.counts(g, node));
    }

    /**
     * Whether a hostname spread holds more than its maxSkew on a node of {@code assignment}: a
     * workload of its own above its cap, or a node that runs a workload whose shared spread counts
     * more there than that workload's maxSkew. Only the scheduler's rule over all the nodes admits
     * such a packing, which parts that keep at most maxSkew per node (the optimizer, mixed pools)
     * must not take as their start.
     */
    public static boolean aboveCaps(DemandTable table, int[] assignment) {
        HostnameSpreads own = of(table);
        java.util.Map<Integer, Integer> onNode = new java.util.HashMap<>();
        for (int g = 0; own != null && g < own.skew.length; g++) {
            if (own.skew[g] == 0 || table.replicas(g) <= own.skew[g] || own.sharedOnly[g]) {
                continue;
            }
            onNode.clear();
            for (int i = 0; i < table.replicas(g); i++) {
                int node = assignment[table.firstPod(g) + i];
                if (node >= 0 && onNode.merge(node, 1, Integer::sum) > own.skew[g]) {
                    return true;
                }
            }
        }
        SharedSpreads shared = table.sharedSpreads();
        if (shared == null || shared.hostCounters() == 0) {
            return false;
        }
        // per (node, counter): the pods counted, and the smallest maxSkew of a constrained pod there
        java.util.Map<Long, int[]> counts = new java.util.HashMap<>();
        for (int g = 0; g < table.groupCount(); g++) {
            int[] e = shared.host(g);
            for (int i = 0; e != null && i < e.length; i += 3) {
                for (int r = 0; r < table.replicas(g); r++) {
                    int node = assignment[table.firstPod(g) + r];
                    if (node < 0) {
                        continue;
                    }
                    int[] c = counts.computeIfAbsent((long) node * shared.hostCounters() + e[i], x -> new int[2]);
                    c[0] += e[i + 2];
                    if (e[i + 1] > 0 && (c[1] == 0 || e[i + 1] < c[1])) {
                        c[1] = e[i + 1];
                    }
                }
            }
        }
        for (int[] c : counts.values()) {
            if (c[1] > 0 && c[0] > c[1]) {
                return true;
            }
        }
        return false;
    }

    /** Whether some schedulable group of {@code problem} decided here has more replicas than its cap: a bound that keeps the cap per node does not hold. */
    public boolean capsBind(PackingProblem problem) {
        for (int g : problem.schedulableGroups()) {
            if (skew[g] > 0 && problem.table().replicas(g) > skew[g]) {
                return true;
            }
        }
        return false;
    }

    /**
     * The nodes any packing that keeps at most maxSkew per node needs: ⌈replicas ÷ maxSkew⌉ of the
     * largest schedulable workload with its own hostname spread, and for a spread shared with
     * others ⌈its self-selecting constrained workloads' pods ÷ their largest maxSkew⌉.
     */
    public static int cappedNodes(PackingProblem problem) {
        DemandTable table = problem.table();
        HostnameSpreads own = of(table);
        SharedSpreads shared = table.sharedSpreads();
        long most = 0;
        long[] pods = new long[shared == null ? 0 : shared.hostCounters()];
        int[] skew = new int[pods.length];
        for (int g : problem.schedulableGroups()) {
            if (own != null && own.skew[g] > 0) {
                most = Math.max(most, (table.replicas(g) + own.skew[g] - 1) / own.skew[g]);
            }
            int[] e = shared == null ? null : shared.host(g);
            for (int i = 0; e != null && i < e.length; i += 3) {
                if (e[i + 1] > 0 && e[i + 2] == 1) {
                    pods[e[i]] += table.replicas(g);
                    skew[e[i]] = Math.max(skew[e[i]], e[i + 1]);
                }
            }
        }
        for (int k = 0; k < pods.length; k++) {
            if (skew[k] > 0) {
                most = Math.max(most, (pods[k] + skew[k] - 1) / skew[k]);
            }
        }
        return (int) Math.min(Integer.MAX_VALUE, most);
    }

    /**
     * Groups spread evenly as one: a workload's own hostname spread (one group), or every workload
     * a hostname spread shared with others counts ({@link SharedSpreads}), whose pods together
     * then hold most − fewest ≤ {@code skew} over the nodes.
     *
     * @param shared     whether the groups are a shared spread's (the ledger's shared check is lifted for them)
     * @param minDomains below this many nodes the fewest counts as 0
     */
    record Unit(int[] groups, int skew, int minDomains, boolean shared) {
        long pods(DemandTable table) {
            long n = 0;
            for (int g : groups) {
                n += table.replicas(g);
            }
            return n;
        }
    }

    /**
     * What the packing may spread evenly over its nodes ({@link PackingEngine}); empty when nothing.
     * <ul>
     * <li>each schedulable group with its own hostname spread decided here and more replicas than
     * maxSkew (else the cap never binds), not held for the pod rules ({@code ruled}: they place it
     * after the rest) and not counted by a shared spread;</li>
     * <li>each hostname spread shared with other workloads whose workloads all have it as their only
     * hostname spread, no anti-affinity, and no pod rule beyond it (spreads over the zones, shared or
     * not, the ledger checks as the pods are placed), every constrained one
     * among those it counts (a workload that only watches the count would need the fewest where it
     * goes): their pods together, at the smallest maxSkew of its constraints.</li>
     * </ul>
     */
    static java.util.List<Unit> units(PackingProblem problem, BitSet ruled) {
        DemandTable table = problem.table();
        java.util.List<Unit> out = new java.util.ArrayList<>();
        HostnameSpreads own = of(table);
        SharedSpreads shared = table.sharedSpreads();
        if (own != null) {
            for (int g : problem.schedulableGroups()) {
                if (own.skew[g] > 0 && table.replicas(g) > own.skew[g] && (ruled == null || !ruled.get(g))
                        && (shared == null || !shared.touches(g))) {
                    out.add(new Unit(new int[] {g}, own.skew[g], own.minDomains[g], false));
                }
            }
        }
        if (shared != null && shared.hostCounters() > 0) {
            out.addAll(sharedUnits(problem, shared));
        }
        return out;
    }

    private static java.util.List<Unit> sharedUnits(PackingProblem problem, SharedSpreads shared) {
        DemandTable table = problem.table();
        BitSet beyond = RulePacking.withheldBeyondShared(problem);
        boolean[] schedulable = new boolean[table.groupCount()];
        for (int g : problem.schedulableGroups()) {
            schedulable[g] = true;
        }
        int counters = shared.hostCounters();
        java.util.List<java.util.List<Integer>> members = new java.util.ArrayList<>();
        boolean[] eligible = new boolean[counters];
        int[] skew = new int[counters];
        int[] minDomains = new int[counters];
        for (int k = 0; k < counters; k++) {
            members.add(new java.util.ArrayList<>());
            eligible[k] = true;
            minDomains[k] = 1;
        }
        int[][] conflicts = table.conflicts();
        for (int g = 0; g < table.groupCount(); g++) {
            int[] e = shared.host(g);
            if (e == null) {
                continue;
            }
            // No rule beyond this one spread: no anti-affinity (a cap of its own is this spread's), no
            // other hostname spread (the ledger still checks shared spreads over the zones as it places).
            boolean alone = e.length == 3 && !beyond.get(g)
                    && (conflicts == null || conflicts[g] == null || conflicts[g].length == 1 && conflicts[g][0] == g
                    && !antiAffinityWithItself(table.group(g)) && onlyOn(table, shared, g, e[0]));
            for (int i = 0; i < e.length; i += 3) {
                int k = e[i];
                boolean member = e[i + 2] == 1;
                if (!alone || e[i + 1] > 0 && !member) {
                    eligible[k] = false;
                }
                if (e[i + 1] > 0) {
                    skew[k] = skew[k] == 0 ? e[i + 1] : Math.min(skew[k], e[i + 1]);
                    java.util.List<Placement.Spread> spreads = table.group(g).placement().spread();
                    for (int si = 0; si < spreads.size(); si++) {
                        if (shared.counterOf(g, si) == k && PodConflicts.HOSTNAME.equals(spreads.get(si).term().topologyKey())) {
                            minDomains[k] = Math.max(minDomains[k], spreads.get(si).minDomains());
                        }
                    }
                }
                if (member && schedulable[g]) {
                    members.get(k).add(g);
                }
            }
        }
        // A spread over the zones that a unit's pods count or check must count and check only that
        // unit's workloads: placed first, its pods set zone limits that could shut a later pod out of
        // every zone (the strategies take a fresh node to fit any pod; the rules place the others after).
        int[] unitOf = new int[table.groupCount()];
        java.util.Arrays.fill(unitOf, -1);
        for (int k = 0; k < counters; k++) {
            for (int g : members.get(k)) {
                unitOf[g] = k;
            }
        }
        java.util.Map<Integer, Integer> zoneUnit = new java.util.HashMap<>();
        for (int g = 0; g < table.groupCount(); g++) {
            int[] z = shared.zone(g);
            for (int i = 0; z != null && i < z.length; i += 4) {
                int u = unitOf[g];
                Integer before = zoneUnit.putIfAbsent(z[i], u);
                if (u < 0 || before != null && before != u) {
                    if (before != null && before >= 0) {
                        eligible[before] = false;
                    }
                    if (u >= 0) {
                        eligible[u] = false;
                    }
                    zoneUnit.put(z[i], -1);
                }
            }
        }
        java.util.List<Unit> out = new java.util.ArrayList<>();
        for (int k = 0; k < counters; k++) {
            int[] groups = members.get(k).stream().mapToInt(Integer::intValue).toArray();
            Unit unit = new Unit(groups, skew[k], minDomains[k], true);
            if (eligible[k] && skew[k] > 0 && groups.length > 0 && unit.pods(table) > skew[k]) {
                out.add(unit);
            }
        }
        return out;
    }

    /** Whether every hard hostname spread of group g that selects its own pods is on shared counter k. */
    private static boolean onlyOn(DemandTable table, SharedSpreads shared, int g, int k) {
        Placement p = table.group(g).placement();
        for (int si = 0; si < p.spread().size(); si++) {
            Placement.Spread sp = p.spread().get(si);
            if (ownHostnameSpread(sp, p) && shared.counterOf(g, si) != k) {
                return false;
            }
        }
        return true;
    }

    /**
     * The groups held for the pod rules ({@code ruled}: zone rules, co-location, their targets)
     * whose own hostname spread is decided here, with more replicas than maxSkew and not counted by
     * a shared spread: in an even try the rules place them by the scheduler's rule over the nodes
     * that are there ({@link NodeLedger#floorHostnameSpreads}) instead of at most maxSkew per node.
     * Those whose node affinity keeps them to some named zones too: their domains are those zones'
     * nodes ({@link #of(PackingProblem)}), or every node where that is not known (more than 64 zones)
     * or the spread ignores node affinity, whose fewest is no higher (sound either way). Not those
     * that spread over the zones too (the final state can keep both spreads where no pod-by-pod
     * order does), unless their node affinity admits one named zone only ({@link #inOneZone}).
     * {@code own} is {@link #of(PackingProblem)} of the problem (null: none). Null when none.
     */
    static BitSet floored(PackingProblem problem, BitSet ruled, HostnameSpreads own) {
        DemandTable table = problem.table();
        if (ruled == null || own == null) {
            return null;
        }
        SharedSpreads shared = table.sharedSpreads();
        int[] zoneSkew = table.zones() > 1 ? table.zoneSkew() : null;
        BitSet out = new BitSet();
        for (int g : problem.schedulableGroups()) {
            // Not those with a spread over the zones either: the floor lets a node take pods while a
            // later node is not open, and with zones of unequal node counts the scheduler, which
            // must raise every node to a level before any goes past it, can then break the zone
            // spread on the way to a final state that keeps both (EvenHostnameSpreadFuzzTest). A
            // workload kept to one zone is the exception: its zone spread then says nothing, or caps
            // its pods in that zone, whatever their order (inOneZone).
            if (ruled.get(g) && own.skew[g] > 0 && table.replicas(g) > own.skew[g] && (shared == null || !shared.touches(g))
                    && (zoneSkew == null || zoneSkew[g] == 0 || own.inOneZone(g))) {
                out.set(g);
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** The groups of {@code units}. */
    static BitSet groups(java.util.List<Unit> units) {
        BitSet out = new BitSet();
        for (Unit u : units) {
            for (int g : u.groups()) {
                out.set(g);
            }
        }
        return out;
    }

    /** The largest minDomains of {@code units}: fewer nodes leave their fewest at 0. */
    static int minDomains(java.util.List<Unit> units) {
        int most = 1;
        for (Unit u : units) {
            most = Math.max(most, u.minDomains());
        }
        return most;
    }

    /**
     * The caps the ledger keeps while {@code units} are spread evenly: those of their own spreads
     * lifted (their pods are placed here, by count), the others' as the table has them; null when
     * the table has none.
     */
    static int[] liftedCaps(DemandTable table, java.util.List<Unit> units) {
        if (table.caps() == null) {
            return null;
        }
        int[] caps = table.caps().clone();
        for (Unit u : units) {
            for (int g : u.groups()) {
                if (caps[g] > 0) {
                    caps[g] = Integer.MAX_VALUE / 2; // a cap of g's own is its spread's (shared units admit no anti-affinity)
                }
            }
        }
        return caps;
    }

    /**
     * Opens {@code nodes} nodes on an empty ledger and places every pod of {@code units} on them
     * evenly, unit by unit (the one with the largest pods first), one pod per node in turn (so the
     * zones, which the ledger opens nodes over in turn, fill evenly too): each node gets ⌊the unit's
     * pods / nodes⌋, and the rest go one per node to those with room, up to maxSkew above that. A
     * unit's pods go largest workload first. Every take is the ledger's own fit check (room, GPU
     * devices, anti-affinity with the others, zone spreads). False when some pod finds no room:
     * more nodes are needed.
     */
    static boolean placeEvenly(PackingProblem problem, java.util.List<Unit> units, int nodes, NodeLedger ledger, int[] assignment) {
        return placeEvenly(problem, units, nodes, null, ledger, assignment);
    }

    /**
     * As above, node i opened in zone {@code zoneOf[i]} ({@link TryZones#plan}; null: round-robin
     * over every zone): a try for floored workloads kept to some zones opens its nodes there, and
     * one beside workloads pinned to a zone gives that zone the nodes they need.
     */
    static boolean placeEvenly(PackingProblem problem, java.util.List<Unit> units, int nodes, int[] zoneOf, NodeLedger ledger, int[] assignment) {
        DemandTable table = problem.table();
        for (int i = 0; i < nodes; i++) {
            if (zoneOf == null) {
                ledger.open();
            } else {
                ledger.openIn(zoneOf[i]);
            }
        }
        long[] demand = problem.flatDemand();
        int[] dims = problem.activeDims();
        long[] cap = problem.podCapacity();
        java.util.List<Unit> order = new java.util.ArrayList<>(units);
        order.sort((a, b) -> {
            int c = Double.compare(largestShare(table, b, cap, dims), largestShare(table, a, cap, dims));
            return c != 0 ? c : Integer.compare(a.groups()[0], b.groups()[0]);
        });
        int rotate = 0;
        for (Unit unit : order) {
            Pods pods = new Pods(table, unit, cap, dims);
            long total = unit.pods(table);
            long base = total / nodes;
            for (long level = 0; level < base; level++) {
                for (int node = 0; node < nodes; node++) {
                    if (!pods.placeNext(node, ledger, demand, dims, assignment)) {
                        return false;
                    }
                }
            }
            // The rest, one per node from where the last unit's left off (so several units' extras
            // do not all land on the first nodes), up to maxSkew above the even share.
            int[] onNode = new int[nodes];
            for (int round = 0; round < unit.skew() && pods.left() > 0; round++) {
                boolean any = false;
                int from = rotate;
                for (int k = 0; k < nodes && pods.left() > 0; k++) {
                    int node = (from + k) % nodes;
                    if (onNode[node] == round && pods.placeNext(node, ledger, demand, dims, assignment)) {
                        onNode[node]++;
                        any = true;
                        rotate = node + 1;
                    }
                }
                if (!any) {
                    break;
                }
            }
            if (pods.left() > 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The zones a try's up-front nodes go to when only floored workloads are placed by the rules
     * ({@code units} empty): the union of their zones when every one of them is kept to some named
     * zones, else 0 (every zone, round-robin).
     */
    static long tryZones(HostnameSpreads spreads, java.util.List<Unit> units, BitSet floored) {
        if (!units.isEmpty() || floored == null || spreads == null) {
            return 0;
        }
        long zones = 0;
        for (int g = floored.nextSetBit(0); g >= 0; g = floored.nextSetBit(g + 1)) {
            // With nodeAffinityPolicy Ignore every node is a domain (podtopologyspread/common.go,
            // nodeInclusionPolicy; kubernetes/kubernetes @ v1.31.0), so a node opened in a zone the
            // pod cannot reach holds the fewest at 0 and caps each node at maxSkew. Nothing forces
            // such a node: opened only in the zones it admits, the try's nodes are all domains it
            // can reach (QA 39b finding 5: 12 nodes, 1 db each, where 5 hold 3/3/2/2/2). The
            // verifier still counts every node, so a try that needs other zones is checked as Ignore.
            long in = spreads.admitted == null || spreads.admitted[g] == 0 ? spreads.zonesOf(g) : spreads.admitted[g];
            if (in == 0) {
                return 0;
            }
            zones |= in;
        }
        return zones;
    }

    /** A unit's pods in the order they go: its workloads largest pod first, each workload's replicas in order. */
    private static final class Pods {
        private final DemandTable table;
        private final int[] groups;
        private int group;
        private int replica;

        Pods(DemandTable table, Unit unit, long[] cap, int[] dims) {
            this.table = table;
            this.groups = java.util.Arrays.stream(unit.groups()).boxed()
                    .sorted((a, b) -> {
                        int c = Double.compare(share(table, b, cap, dims), share(table, a, cap, dims));
                        return c != 0 ? c : Integer.compare(a, b);
                    })
                    .mapToInt(Integer::intValue).toArray();
            skipEmpty();
        }

        long left() {
            long n = 0;
            for (int i = group; i < groups.length; i++) {
                n += table.replicas(groups[i]) - (i == group ? replica : 0);
            }
            return n;
        }

        /** The next pod on {@code node} if it fits there (false otherwise, or when none is left). */
        boolean placeNext(int node, NodeLedger ledger, long[] demand, int[] dims, int[] assignment) {
            if (group >= groups.length) {
                return false;
            }
            int g = groups[group];
            int offset = g * DemandTable.D;
            if (ledger.fitCount(node, demand, offset, g, dims, 1) < 1) {
                return false;
            }
            ledger.take(node, demand, offset, g, dims, 1);
            assignment[table.firstPod(g) + replica++] = node;
            skipEmpty();
            return true;
        }

        private void skipEmpty() {
            while (group < groups.length && replica >= table.replicas(groups[group])) {
                group++;
                replica = 0;
            }
        }
    }

    private static double largestShare(DemandTable table, Unit unit, long[] cap, int[] dims) {
        double most = 0;
        for (int g : unit.groups()) {
            most = Math.max(most, share(table, g, cap, dims));
        }
        return most;
    }

    /** The largest share of a node's capacity a pod of g takes, over the active resources. */
    private static double share(DemandTable table, int g, long[] cap, int[] dims) {
        double most = 0;
        for (int r : dims) {
            if (cap[r] > 0) {
                most = Math.max(most, (double) table.demand(g, r) / cap[r]);
            }
        }
        return most;
    }
}

package io.nodesizer.sweep;

import io.nodesizer.engine.CoLocation;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingVerifier;
import io.nodesizer.engine.SpreadDomains;
import io.nodesizer.engine.ZoneConflicts;
import io.nodesizer.kube.PodConflicts;
import io.nodesizer.model.Placement;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A zone's loss played on the cluster as it runs: the pods of the lost zone's nodes are placed
 * again, one by one, onto the nodes of the other zones as they are (their pods stay where they
 * run: kube-scheduler never moves a running pod) and onto the spare nodes the sizing gave each
 * zone; where none of those takes a pod, a new node opens in a zone its rules admit, and a pod
 * that no zone admits even on a new node is left out. {@link ZoneSurvival} sizes the zones left
 * from a fresh packing without the zone, which balances every workload anew; the survivors keep
 * the old balance, so a spread may need its lost pods in a zone whose nodes are full (QA 68b F9:
 * 12 api pods spread over 3 zones beside 10 workers, losing a zone left 3 of them Pending on the
 * sizing's spares, where the report said none).
 *
 * <p>The view is the one the sizing takes: the lost zone's Node objects are gone (deleted, or
 * not counted under {@code nodeTaintsPolicy: Honor}); the pods that wait while they are not are
 * {@link ZoneSurvival#leftOutOnLoss}'s. The pods their zone rules bind go first, then the others,
 * each largest first (its largest share of the node), each to the first node with room on every resource whose hostname rules (anti-affinity,
 * per-node caps, a hard hostname spread over the nodes, the empty spares counting as domains with
 * none) and zone rules (zone spread as kube-scheduler's filter checks it for the incoming pod,
 * anti-affinity and affinity on the zone, zones its node selector admits) take it. The result is
 * checked by {@link PackingVerifier} against the problem over the zones left; rules the greedy does
 * not track (spreads shared by several workloads, GPU devices) are caught there, and such a loss is
 * reported as not checked rather than survived.
 */
final class ZoneLossReplacement {
    private static final int D = DemandTable.D;

    /**
     * What a loss takes beyond the sizing.
     *
     * @param added    per zone (of the cluster's table) the nodes opened beyond the sizing's
     * @param leftOut  pods of the lost zone that no zone left admits, even on a new node
     * @param notPlaced pods of the lost zone that a zone left admits but the re-placement did not place (a hostname
     *                 affinity whose targets' nodes are full): not counted as left out, the loss is not verified
     * @param verified whether the re-placement placed every pod a zone admits and passed the verifier (false: the loss is
     *                 not known to be survived)
     */
    record Outcome(int[] added, int leftOut, int notPlaced, boolean verified) {
    }

    private final DemandTable table;
    private final PackingResult packing;
    private final int lost;
    private final PackingProblem left;
    private final int[] below;
    private final int zones;
    private final int groups;
    private final long[] cap;

    /**
     * @param table   the cluster's table (every zone)
     * @param packing the cluster's packing
     * @param lost    the zone lost
     * @param left    the problem over the zones left (their order kept, the lost one taken out), every replica
     * @param below   per group, the maxSkew a zone left takes pods of it up to where its spread asks for more domains than
     *                the zones left (minDomains: the fewest counts as 0); 0 for the others ({@link ZoneSurvival#floorSkew})
     */
    ZoneLossReplacement(DemandTable table, PackingResult packing, int lost, PackingProblem left, int[] below) {
        this.table = table;
        this.packing = packing;
        this.lost = lost;
        this.left = left;
        this.below = below;
        this.zones = table.zones();
        this.groups = table.groupCount();
        this.cap = left.podCapacity();
        if (left.table().podCount() != table.podCount() || left.table().groupCount() != groups || left.table().zones() != zones - 1) {
            throw new IllegalArgumentException("the problem over the zones left does not list the cluster's pods");
        }
    }

    /** The loss played with {@code out[z]} nodes in each zone z (at least the packing's own there). */
    Outcome play(int[] out) {
        int nodes0 = packing.nodeCount();
        int[] own = new int[zones];
        for (int node = 0; node < nodes0; node++) {
            own[packing.zoneOf(node, zones)]++;
        }
        List<int[]> moving = new ArrayList<>(); // {pod, group}
        int spares = 0;
        for (int z = 0; z < zones; z++) {
            spares += z == lost ? 0 : Math.max(0, out[z] - own[z]);
        }
        int lostPods = 0;
        for (int p = 0; p < packing.assignment().length; p++) {
            int node = packing.assignment()[p];
            lostPods += node >= 0 && packing.zoneOf(node, zones) == lost ? 1 : 0;
        }
        State s = new State(nodes0 - own[lost] + spares + lostPods);
        int[] newIndex = new int[nodes0];
        for (int node = 0; node < nodes0; node++) {
            int z = packing.zoneOf(node, zones);
            newIndex[node] = z == lost ? -1 : s.open(z);
        }
        for (int z = 0; z < zones; z++) {
            for (int k = own[z]; z != lost && k < out[z]; k++) {
                s.open(z);
            }
        }
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int pod = table.firstPod(g) + i;
                int node = packing.assignment()[pod];
                if (node >= 0 && newIndex[node] >= 0) {
                    s.place(pod, g, newIndex[node]);
                } else if (node >= 0) {
                    moving.add(new int[] {pod, g});
                }
            }
        }
        // The pods their zone rules bind first, as they may go to fewer places; then largest first.
        boolean[] tied = new boolean[groups];
        for (int g = 0; g < groups; g++) {
            tied[g] = ZoneSurvival.staysInZone(table, g);
        }
        moving.sort((x, y) -> tied[x[1]] != tied[y[1]] ? (tied[x[1]] ? -1 : 1) : Double.compare(share(y[1]), share(x[1])));
        int[] added = new int[zones];
        // A pod whose zone or hostname affinity names pods still to come waits for them: passes again while one gets placed.
        List<int[]> waiting = moving;
        boolean progress = true;
        while (progress && !waiting.isEmpty()) {
            progress = false;
            List<int[]> next = new ArrayList<>();
            for (int[] m : waiting) {
                int g = m[1];
                int to = -1;
                to = s.firstTaking(g);
                if (to < 0) {
                    to = s.openFor(g);
                    if (to >= 0) {
                        added[s.zoneOfNode(to)]++;
                    }
                }
                if (to < 0) {
                    next.add(m);
                    continue;
                }
                s.place(m[0], g, to);
                progress = true;
            }
            waiting = next;
        }
        // Left out: the pods no zone left admits by its zone rules (review 69 #12: every pod still waiting was counted, those
        // the greedy failed for its own reasons too, as a hostname affinity whose targets' nodes are full); the others are
        // not placed by this check, so the loss is not known to be survived rather than known to leave them out.
        int leftOut = 0;
        for (int[] m : waiting) {
            leftOut += s.admitted(m[1]) ? 0 : 1;
        }
        int notPlaced = waiting.size() - leftOut;
        return new Outcome(added, leftOut, notPlaced, notPlaced == 0 && s.verifies());
    }

    /** A group's largest share of a node's room for pods, over the resources. */
    private double share(int g) {
        double most = 0;
        for (int r = 0; r < D; r++) {
            most = cap[r] == 0 ? most : Math.max(most, (double) table.demand(g, r) / cap[r]);
        }
        return most;
    }

    /** The nodes of the zones left as the loss is played: their zones, loads and pods per group. */
    private final class State {
        private final int[] zoneOf; // per node, its zone (of the cluster's table)
        private final long[] load;
        private final int[] perNode; // pods of each group per node
        private final int[] inZone; // pods of each group per zone (of the cluster's table)
        private final int[] assignment;
        private final int[] fewestOnNode; // per group with a hostname skew, the fewest of its pods on a node (-1: to count)
        private final int[] hostnameSkew;
        private final boolean[] spreadCapChecked; // per group, whether its per-node cap is its hostname spreads', checked against the fewest
        private final SpreadDomains.ZoneFloors floors;
        private final long[] admitted;
        private final int[][] inZoneNodes; // per zone, its nodes in order
        private final int[] inZoneCount;
        private final int[] roomFrom; // per group and zone, the first of the zone's nodes where the group's requests may fit
        private final int[][] hostMembers; // per shared hostname counter, the groups whose pods it counts
        private final int[] fewestHost; // per shared hostname counter, the fewest it counts on a node (-1: to count)
        private int count;

        State(int capacity) {
            zoneOf = new int[capacity];
            load = new long[capacity * D];
            perNode = new int[capacity * groups];
            inZone = new int[zones * groups];
            assignment = new int[table.podCount()];
            Arrays.fill(assignment, -1);
            hostnameSkew = hostnameSkew();
            spreadCapChecked = new boolean[groups];
            for (int g = 0; g < groups; g++) {
                Placement p = table.group(g).placement();
                boolean selfAnti = false;
                for (Placement.PodAffinityTerm term : p.antiAffinity()) {
                    selfAnti |= PodConflicts.HOSTNAME.equals(term.topologyKey()) && PodConflicts.matches(term, p.namespace(), p);
                }
                // Its hard hostname spreads over its own pods: those over its own only are hostnameSkew's, the others are
                // counted over every workload they select (SharedSpreads: hard, not per rollout, on the hostname). Review 69 #9:
                // only the first kind was exempt, so a spread shared with a canary capped a node at maxSkew of the workload
                // where kube-scheduler compares with the fewest any node holds (PodTopologySpread Filter, kubernetes/kubernetes
                // pkg/scheduler/framework/plugins/podtopologyspread/filtering.go @ v1.31.0: matchNum + selfMatchNum −
                // minMatchNum > maxSkew fails).
                boolean spreads = false;
                for (Placement.Spread sp : p.spread()) {
                    spreads |= sp.hard() && PodConflicts.HOSTNAME.equals(sp.term().topologyKey())
                            && PodConflicts.matches(sp.term(), p.namespace(), p);
                }
                spreadCapChecked[g] = spreads && !selfAnti;
            }
            fewestOnNode = new int[groups];
            Arrays.fill(fewestOnNode, -1);
            inZoneNodes = new int[zones][16];
            inZoneCount = new int[zones];
            roomFrom = new int[groups * zones];
            io.nodesizer.engine.SharedSpreads shared = table.sharedSpreads();
            int counters = shared == null ? 0 : shared.hostCounters();
            List<List<Integer>> members = new ArrayList<>();
            for (int c = 0; c < counters; c++) {
                members.add(new ArrayList<>());
            }
            for (int h = 0; h < groups && counters > 0; h++) {
                int[] e = shared.host(h);
                for (int i = 0; e != null && i < e.length; i += 3) {
                    if (e[i + 2] == 1) {
                        members.get(e[i]).add(h);
                    }
                }
            }
            hostMembers = members.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
            fewestHost = new int[counters];
            Arrays.fill(fewestHost, -1);
            floors = SpreadDomains.zoneFloors(left);
            int[] all = new int[groups];
            Arrays.setAll(all, g -> g);
            admitted = left.admittedZones(all);
        }

        int open(int zone) {
            zoneOf[count] = zone;
            if (inZoneCount[zone] == inZoneNodes[zone].length) {
                inZoneNodes[zone] = Arrays.copyOf(inZoneNodes[zone], inZoneCount[zone] * 2);
            }
            inZoneNodes[zone][inZoneCount[zone]++] = count;
            Arrays.fill(fewestOnNode, -1); // an empty node: counted again when asked
            Arrays.fill(fewestHost, -1);
            return count++;
        }

        /**
         * The first node that takes a pod of g: zone by zone (the zones its rules admit), each zone's nodes in order from
         * the first where g's requests still fit (room only shrinks, so the nodes before it never take one of g again;
         * its rules can admit a node later, as a spread's fewest rises, so those are asked every time); -1 for none.
         */
        int firstTaking(int g) {
            for (int z = 0; z < zones; z++) {
                if (z == lost || inZoneCount[z] == 0 || !inZone(z, g)) {
                    continue;
                }
                int[] nodes = inZoneNodes[z];
                int from = roomFrom[g * zones + z];
                while (from < inZoneCount[z] && !fits(nodes[from], g)) {
                    from++;
                }
                roomFrom[g * zones + z] = from;
                for (int i = from; i < inZoneCount[z]; i++) {
                    int k = nodes[i];
                    if (fits(k, g) && onNode(k, g)) {
                        return k;
                    }
                }
            }
            return -1;
        }

        private boolean fits(int k, int g) {
            return ReplacementChecks.fits(table, load, null, k, g, cap);
        }

        int zoneOfNode(int node) {
            return zoneOf[node];
        }

        void place(int pod, int g, int node) {
            assignment[pod] = node;
            perNode[node * groups + g]++;
            inZone[zoneOf[node] * groups + g]++;
            for (int r = 0; r < D; r++) {
                load[node * D + r] += table.demand(g, r);
            }
            if (perNode[node * groups + g] - 1 == fewestOnNode[g]) {
                fewestOnNode[g] = -1; // it may have risen: counted again when asked
            }
            Arrays.fill(fewestHost, -1);
        }

        /** A new node for a pod of g in the zone its rules admit with the fewest of its pods (then the first), or -1. */
        int openFor(int g) {
            int best = zoneFor(g);
            CoLocation co = table.coLocation();
            if (best < 0 || co.constrains(g) && !co.admits(g, 0, targetsAnywhere(co, g))) {
                return -1; // hostname affinity: a new node runs none of its targets
            }
            return open(best);
        }

        /**
         * Whether a zone left admits a pod of g by its zone rules, with room on an empty node and, for a hostname affinity,
         * one of its targets running there (or none anywhere, where g's pods start the series): false where no node count
         * lets it run.
         */
        boolean admitted(int g) {
            if (zoneFor(g) < 0) {
                return false;
            }
            CoLocation co = table.coLocation();
            if (!co.constrains(g) || co.admits(g, 0, targetsAnywhere(co, g))) {
                return true;
            }
            for (int z = 0; z < zones; z++) {
                if (z != lost && inZone(z, g) && targetsIn(co, g, z) > 0) {
                    return true;
                }
            }
            return false;
        }

        /**
         * The zone left whose rules admit a pod of g with the fewest of its pods (then the first), where an empty node holds
         * its requests; -1 for none.
         */
        private int zoneFor(int g) {
            for (int r = 0; r < D; r++) {
                if (table.demand(g, r) > cap[r]) {
                    return -1;
                }
            }
            int best = -1;
            for (int z = 0; z < zones; z++) {
                if (z != lost && inZone(z, g) && (best < 0 || inZone[z * groups + g] < inZone[best * groups + g])) {
                    best = z;
                }
            }
            return best;
        }

        private int targetsAnywhere(CoLocation co, int g) {
            int anywhere = 0;
            for (int z = 0; z < zones; z++) {
                anywhere += targetsIn(co, g, z);
            }
            return anywhere;
        }

        /** The pods of g's co-location targets in zone z. */
        private int targetsIn(CoLocation co, int g, int z) {
            int n = 0;
            for (int h : co.targets(g)) {
                n += inZone[z * groups + h];
            }
            return n;
        }

        private boolean onNode(int k, int g) {
            // A cap from a hostname spread is maxSkew over the fewest, as fresh nodes have it (0); the nodes that run hold
            // more, so the spreads are checked below against the fewest they hold: its own (hostnameSkew) and those shared
            // with other workloads (sharedHostAdmit).
            if (!ReplacementChecks.conflictFree(table, perNode, k, g, spreadCapChecked[g])) {
                return false;
            }
            if (hostnameSkew[g] > 0 && perNode[k * groups + g] + 1 - fewestOnNode(g) > hostnameSkew[g]) {
                return false;
            }
            if (!sharedHostAdmit(k, g)) {
                return false;
            }
            CoLocation co = table.coLocation();
            if (co.constrains(g)) {
                int here = 0;
                for (int h : co.targets(g)) {
                    here += perNode[k * groups + h];
                }
                return co.admits(g, here, targetsAnywhere(co, g));
            }
            return true;
        }

        /**
         * Whether zone z takes a pod of g under g's hard zone spreads whose selectors also count other workloads' pods
         * ({@link io.nodesizer.engine.SharedSpreads}; {@code zoneSkew} is 0 for them): the pods the selector matches in z, plus
         * one where g matches it too, less the fewest over the zones left (0 below minDomains), at most maxSkew, as
         * PodTopologySpread's filter checks an incoming pod (review 69 #6: such pods went to the first zone with room).
         */
        private boolean sharedAdmit(int z, int g) {
            io.nodesizer.engine.SharedSpreads shared = left.table().sharedSpreads();
            int[] e = shared == null ? null : shared.zone(g);
            for (int i = 0; e != null && i < e.length; i += 4) {
                if (e[i + 1] == 0) {
                    continue; // g is only counted by this spread, not constrained by it
                }
                int[] members = shared.zoneMembers(e[i]);
                int here = 0;
                int fewest = Integer.MAX_VALUE;
                for (int x = 0; x < zones; x++) {
                    if (x == lost) {
                        continue;
                    }
                    int n = 0;
                    for (int h : members) {
                        n += inZone[x * groups + h];
                    }
                    here = x == z ? n : here;
                    fewest = Math.min(fewest, n);
                }
                if (here + e[i + 2] - (e[i + 3] == 1 ? 0 : fewest) > e[i + 1]) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether node k takes a pod of g under g's hard hostname spreads whose selectors also count other workloads' pods:
         * the pods the selector matches on k, plus one where g matches it, less the fewest on any node (an empty spare
         * holds none), at most maxSkew.
         */
        private boolean sharedHostAdmit(int k, int g) {
            io.nodesizer.engine.SharedSpreads shared = table.sharedSpreads();
            int[] e = shared == null ? null : shared.host(g);
            for (int i = 0; e != null && i < e.length; i += 3) {
                if (e[i + 1] == 0) {
                    continue;
                }
                int c = e[i];
                int fewest;
                if (!pinned(g)) {
                    if (fewestHost[c] < 0) {
                        fewestHost[c] = fewestOnHostCounter(c, -1);
                    }
                    fewest = fewestHost[c];
                } else {
                    // The spread's domains are the nodes g's selector admits (nodeAffinityPolicy Honor, the default), as
                    // fewestOnNode counts them: a node of a zone g may not use would cap every other at maxSkew (review 70 #8).
                    fewest = fewestOnHostCounter(c, g);
                }
                if (onHostCounter(k, c) + e[i + 2] - fewest > e[i + 1]) {
                    return false;
                }
            }
            return true;
        }

        /** The fewest pods hostname counter c counts on a node, over the nodes g's selector admits (every node: g < 0). */
        private int fewestOnHostCounter(int c, int g) {
            int fewest = Integer.MAX_VALUE;
            for (int x = 0; x < count; x++) {
                if (g < 0 || admits(g, zoneOf[x])) {
                    fewest = Math.min(fewest, onHostCounter(x, c));
                }
            }
            return fewest == Integer.MAX_VALUE ? 0 : fewest;
        }

        /**
         * Whether g's selector or node affinity pins it to zones ({@link #admits} can refuse it one); unpinned, its spreads'
         * domains are every node, and the fewest a counter counts is the same for every such group (cached per counter).
         */
        private boolean pinned(int g) {
            boolean[] pinned = left.table().zonePinned();
            return pinned != null && pinned[g];
        }

        /** The pods on node k that hostname counter c counts. */
        private int onHostCounter(int k, int c) {
            int n = 0;
            for (int h : hostMembers[c]) {
                n += perNode[k * groups + h];
            }
            return n;
        }

        /** The fewest of g's pods on a node its selector admits (a hostname spread's domains, nodeAffinityPolicy Honor). */
        private int fewestOnNode(int g) {
            if (fewestOnNode[g] < 0) {
                int fewest = Integer.MAX_VALUE;
                for (int k = 0; k < count; k++) {
                    if (admits(g, zoneOf[k])) {
                        fewest = Math.min(fewest, perNode[k * groups + g]);
                    }
                }
                fewestOnNode[g] = fewest == Integer.MAX_VALUE ? 0 : fewest;
            }
            return fewestOnNode[g];
        }

        /** Whether g's node selector and required node affinity admit zone z (of the cluster's table; not the lost one). */
        private boolean admits(int g, int z) {
            boolean[] pinned = left.table().zonePinned();
            int y = z < lost ? z : z - 1; // the zone in the problem over the zones left
            return pinned == null || !pinned[g] || (admitted[g] >>> y & 1) != 0;
        }

        /** Whether zone z (of the cluster's table, not the lost one) takes a pod of group g under its zone rules. */
        private boolean inZone(int z, int g) {
            if (!admits(g, z)) {
                return false;
            }
            if (below[g] > 0 && inZone[z * groups + g] >= below[g]) {
                return false;
            }
            if (floors != null && floors.skew()[g] > 0 && below[g] == 0) {
                long mask = floors.counted() == null || floors.counted()[g] == 0 ? -1L : floors.counted()[g];
                int fewest = Integer.MAX_VALUE;
                for (int x = 0; x < zones; x++) {
                    int yx = x < lost ? x : x - 1;
                    if (x != lost && (mask >>> yx & 1) != 0) {
                        fewest = Math.min(fewest, inZone[x * groups + g]);
                    }
                }
                boolean floor = floors.floors() != null && floors.floors()[g];
                if (inZone[z * groups + g] + 1 - (floor ? 0 : fewest) > floors.skew()[g]) {
                    return false;
                }
            }
            if (!sharedAdmit(z, g)) {
                return false;
            }
            ZoneConflicts zc = left.table().zoneConflicts();
            int[] repels = zc.any() ? zc.repels(g) : null;
            for (int h : repels == null ? new int[0] : repels) {
                if (inZone[z * groups + h] > 0) {
                    return false;
                }
            }
            CoLocation co = left.table().zoneCoLocation();
            return !co.constrains(g) || co.admits(g, targetsIn(co, g, z), targetsAnywhere(co, g));
        }

        /**
         * Per group, the smallest maxSkew of its hard spreads over the hostname that select its own pods only (the
         * others are the verifier's); 0 for none.
         */
        private int[] hostnameSkew() {
            int[] out = new int[groups];
            List<io.nodesizer.model.PodGroup> all = table.groups();
            for (int g = 0; g < groups; g++) {
                Placement p = all.get(g).placement();
                for (Placement.Spread sp : p.spread()) {
                    if (sp.hard() && PodConflicts.HOSTNAME.equals(sp.term().topologyKey()) && PodConflicts.matches(sp.term(), p.namespace(), p)
                            && !PodConflicts.selectsOthers(sp, g, all)) {
                        out[g] = out[g] == 0 ? sp.maxSkew() : Math.min(out[g], sp.maxSkew());
                    }
                }
            }
            return out;
        }

        /**
         * Whether the nodes that run pods, with the pods left out listed, pass {@link PackingVerifier} over the zones left
         * (a group's pods are alike: the ones left out are taken as its last replicas).
         */
        boolean verifies() {
            int[] used = new int[count];
            Arrays.fill(used, -1);
            int n = 0;
            for (int node : assignment) {
                if (node >= 0 && used[node] < 0) {
                    used[node] = 0;
                }
            }
            int[] nodeZones = new int[count];
            for (int k = 0; k < count; k++) {
                if (used[k] == 0) {
                    used[k] = n;
                    nodeZones[n++] = zoneOf[k] < lost ? zoneOf[k] : zoneOf[k] - 1;
                }
            }
            int[] a = new int[assignment.length];
            long[] nodeLoad = new long[n * D];
            List<PackingProblem.Unschedulable> unschedulable = new ArrayList<>();
            DemandTable t = left.table();
            for (int g = 0; g < groups; g++) {
                int k = 0;
                for (int i = 0; i < t.replicas(g); i++) {
                    int node = assignment[t.firstPod(g) + i];
                    if (node >= 0) {
                        a[t.firstPod(g) + k++] = used[node];
                        for (int r = 0; r < D; r++) {
                            nodeLoad[used[node] * D + r] += t.demand(g, r);
                        }
                    }
                }
                if (k < t.replicas(g)) {
                    Arrays.fill(a, t.firstPod(g) + k, t.firstPod(g) + t.replicas(g), -1);
                    unschedulable.add(PackingProblem.Unschedulable.byRule(left, g, k, "left out after the zone's loss"));
                }
            }
            return ReplacementChecks.passesVerifier(left, packing.strategy(), n, a, nodeLoad, unschedulable,
                    new io.nodesizer.bound.LowerBound(0, "none", List.of()), Arrays.copyOf(nodeZones, n));
        }
    }
}

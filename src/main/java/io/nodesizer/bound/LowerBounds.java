package io.nodesizer.bound;

import io.nodesizer.engine.DemandClasses;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.engine.HostnameSpreads;
import io.nodesizer.engine.NodeLedger;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.SharedSpreads;
import io.nodesizer.engine.SpreadDomains;
import io.nodesizer.engine.SpreadDomains.ZoneFloor;
import io.nodesizer.engine.SpreadDomains.ZoneFloors;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Lower bounds on the nodes needed by the schedulable pods of a {@link PackingProblem}:
 * <ul>
 *   <li>{@code L1(r)}: ⌈Σ demand / capacity⌉ per resource (the volume bound);</li>
 *   <li>{@code L2(r)}: the Martello–Toth L2 bound per resource (Martello & Toth, "Lower bounds and
 *       reduction procedures for the bin packing problem", Discrete Applied Mathematics 28, 1990):
 *       for each threshold α ≤ C/2, pods larger than C − α each need their own node, pods in
 *       (C/2, C − α] need a node each and cannot share it with each other, and pods in [α, C/2]
 *       must fill what those nodes leave plus whole new nodes;</li>
 *   <li>{@code alone+L2}: pods that can share a node with no other pod on any combination of
 *       resources (each needs a node of its own), plus the L2 bound of the rest — stronger than L2
 *       when a pod is large in one resource and its possible partners are large in another;</li>
 *   <li>{@code L2(gpu devices)}, when GPUs are devices ({@link GpuDevices}): every whole GPU asked
 *       for is a device of its own, and the shares need at least the Martello–Toth L2 number of
 *       devices of 1000 thousandths; nodes ≥ ⌈(whole + share devices) / devices per node⌉. Shares
 *       that cannot pair up (two of 0.6) make it stronger than the pooled L1(gpu).</li>
 * </ul>
 * All are valid, so their maximum is too.
 */
public final class LowerBounds {
    private static final int D = DemandTable.D;

    private LowerBounds() {
    }

    /** Whether group g and some other group every packing places repel each other (either side's terms). */
    private static boolean repelsAPlacedPod(int[][] conflicts, int g, boolean[] placed) {
        for (int h : conflicts[g]) {
            if (h != g && placed[h]) {
                return true;
            }
        }
        for (int h = 0; h < conflicts.length; h++) {
            if (h != g && placed[h] && conflicts[h] != null && Arrays.binarySearch(conflicts[h], g) >= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Workloads whose node affinity keeps them to one named zone run on that zone's nodes, and no
     * node is in two zones: the sum over the zones of the L1 and L2 bounds of the pods known to be in
     * each (one Deployment per zone on the largest shape: a node per zone, where L1 says one in
     * all). The pods known to be in a zone are those pinned to it and, of each workload spread over the
     * zones with DoNotSchedule, the fewest its spread leaves every zone it counts
     * ({@link ZoneFloors#floor}): 7 spread pods of 1 CPU over three
     * zones with maxSkew 1 beside 5 pinned to one zone put 7 CPU there, two 4-CPU nodes, and one node in
     * each other zone: 4, where L1 said 3 (QA 60b F2). 0 when no workload is pinned to a single zone. As the spread floors,
     * a bound on the packer's model, in which every zone can have nodes and so counts in the spread.
     */
    private static int pinnedZones(PackingProblem problem, int[] groups, int[] counts, long[] demand, long[] cap, ZoneFloors floors) {
        DemandTable table = problem.table();
        int zones = table.zones();
        boolean[] pinned = zones < 2 || table.zoneNames() == null || zones > 64 ? null : table.zonePinned();
        if (pinned == null) {
            return 0;
        }
        int[] pinnedGroups = Arrays.stream(groups).filter(g -> pinned[g]).toArray();
        long[] masks = problem.admittedZones(pinnedGroups);
        Map<Integer, Long> maskOf = new HashMap<>();
        for (int i = 0; i < pinnedGroups.length; i++) {
            maskOf.put(pinnedGroups[i], masks[i]);
        }
        int[] zoneOf = new int[groups.length];
        int any = 0;
        for (int i = 0; i < groups.length; i++) {
            long mask = maskOf.getOrDefault(groups[i], 0L);
            zoneOf[i] = Long.bitCount(mask) == 1 ? Long.numberOfTrailingZeros(mask) : -1;
            any += zoneOf[i] >= 0 ? 1 : 0;
        }
        if (any == 0) {
            return 0;
        }
        // Per group not pinned to one zone, the zones its hard zone spread puts pods in and how many at least (none: 0).
        ZoneFloor[] floorOf = new ZoneFloor[groups.length];
        if (floors != null) {
            for (int i = 0; i < groups.length; i++) {
                floorOf[i] = zoneOf[i] >= 0 ? null : floors.floor(groups[i], counts[i]);
            }
        }
        int sum = 0;
        for (int z = 0; z < zones; z++) {
            final int zone = z;
            int[] in = java.util.stream.IntStream.range(0, groups.length)
                    .filter(i -> zoneOf[i] == zone || floorOf[i] != null && (floorOf[i].zones() >>> zone & 1) != 0).toArray();
            int[] g = Arrays.stream(in).map(i -> groups[i]).toArray();
            int[] c = Arrays.stream(in).map(i -> zoneOf[i] == zone ? counts[i] : floorOf[i].least()).toArray();
            int best = 0;
            for (int r : problem.activeDims()) {
                best = Math.max(best, Math.max(volume(g, c, demand, r, cap[r]), martelloTothL2(sizes(g, demand, r), c, cap[r])));
            }
            sum += best;
        }
        return sum;
    }

    public static LowerBound compute(PackingProblem problem) {
        return compute(problem, null);
    }

    /**
     * As above, over {@code podsOf[g]} pods of each group g instead of its replicas (null: all of
     * them): the pods a packing placed when rules left some out, so its bound counts every pod it placed.
     */
    public static LowerBound compute(PackingProblem problem, int[] podsOf) {
        int[] groups = problem.schedulableGroups();
        long[] demand = problem.flatDemand();
        long[] cap = problem.podCapacity();
        DemandTable table = problem.table();
        int[] counts = new int[groups.length];
        for (int i = 0; i < groups.length; i++) {
            counts[i] = podsOf == null ? table.replicas(groups[i]) : podsOf[groups[i]];
        }
        List<LowerBound.Part> parts = new ArrayList<>();
        if (groups.length == 0) {
            parts.add(new LowerBound.Part("empty", 0));
            return new LowerBound(0, "empty", parts);
        }
        // The volume, L2, device and alone bounds read only each group's demand and count, so
        // groups with equal demand rows are merged first (counts summed; every bound is the same):
        // a trace of 150,000 single pods has ~100 distinct requests, and the dozen sorts below then
        // run over those. The anti-affinity bound further down is per group and keeps the originals.
        int[] perGroup = groups;
        int[] perGroupCounts = counts;
        int[][] merged = distinctRows(groups, counts, table.demandClasses());
        groups = merged[0];
        counts = merged[1];
        int[] dims = problem.activeDims();
        int[] l1 = new int[dims.length];
        for (int i = 0; i < dims.length; i++) {
            l1[i] = volume(groups, counts, demand, dims[i], cap[dims[i]]);
            parts.add(new LowerBound.Part("L1(" + Resource.at(dims[i]).kubernetesName() + ")", l1[i]));
        }
        for (int i = 0; i < dims.length; i++) {
            int r = dims[i];
            long[] sizes = sizes(groups, demand, r);
            // Both need the sizes sorted (a radix sort of 150,000 distinct pods per resource: most of
            // the bounds' time there). Without a pod above half a node L2 is L1 exactly (no α makes
            // a pod too large to share); the dual feasible functions run where the distinct requests
            // are few enough (a trace's ~100; not 150,000 all different, where they rarely gain).
            boolean large = false;
            for (long size : sizes) {
                large |= size > cap[r] - size;
            }
            boolean dffRuns = sizes.length <= DFF_MOST_DISTINCT;
            Merged m = large || dffRuns ? Merged.of(sizes, counts) : null;
            parts.add(new LowerBound.Part("L2(" + Resource.at(r).kubernetesName() + ")", large ? martelloTothL2(m, cap[r]) : l1[i]));
            int dff = dffRuns ? feketeSchepers(m, cap[r]) : 0;
            if (dff > 0) {
                parts.add(new LowerBound.Part("DFF(" + Resource.at(r).kubernetesName() + ")", dff));
            }
        }
        int devices = NodeLedger.devicesFor(problem);
        if (devices > 0) {
            parts.add(new LowerBound.Part("L2(gpu devices)", deviceBound(groups, counts, demand, devices)));
        }
        ZoneFloors zoneFloors = SpreadDomains.zoneFloors(problem); // the zones each spread counts, worked out once for both zone bounds
        int pinned = pinnedZones(problem, perGroup, perGroupCounts, demand, cap, zoneFloors);
        if (pinned > 0) {
            parts.add(new LowerBound.Part("zones", pinned));
        }
        boolean[] alone = alone(groups, counts, demand, cap, problem.activeDims());
        int aloneCount = 0;
        int restGroups = 0;
        for (int i = 0; i < groups.length; i++) {
            if (alone[i]) {
                aloneCount += counts[i];
            } else {
                restGroups++;
            }
        }
        if (aloneCount > 0) {
            int[] restIdx = new int[restGroups];
            int[] restCounts = new int[restGroups];
            int w = 0;
            for (int i = 0; i < groups.length; i++) {
                if (!alone[i]) {
                    restIdx[w] = groups[i];
                    restCounts[w++] = counts[i];
                }
            }
            int best = 0;
            for (int r : problem.activeDims()) {
                best = Math.max(best, martelloTothL2(sizes(restIdx, demand, r), restCounts, cap[r]));
            }
            parts.add(new LowerBound.Part("alone+L2", aloneCount + best));
        }
        groups = perGroup;
        counts = perGroupCounts;
        int[][] conflicts = table.conflicts();
        HostnameSpreads spreads = conflicts == null ? null : HostnameSpreads.of(problem);
        if (conflicts != null) {
            // Replicas that repel each other (required anti-affinity on the hostname) need a node each.
            // A hostname topology spread binds no count: kube-scheduler lets a node hold maxSkew more
            // than the fewest, so an even spread fits any number of nodes (HostnameSpreads).
            // Unless some node must run none of it: a node that holds a pod the workload repels (or
            // that repels it) does, so the fewest is 0 there, at most maxSkew share any node, and
            // that node comes on top (13 replicas with maxSkew 1 beside one pod they repel: 14).
            boolean[] placed = new boolean[table.groupCount()];
            for (int i = 0; i < groups.length; i++) {
                placed[groups[i]] = counts[i] > 0;
            }
            int apart = 0;
            int spread = 0;
            int minDomainsFloor = 0;
            long work = 0;
            for (int i = 0; i < groups.length; i++) {
                int g = groups[i];
                if (conflicts[g] == null || Arrays.binarySearch(conflicts[g], g) < 0) {
                    continue;
                }
                int perNode = table.caps()[g];
                int capped = (counts[i] + perNode - 1) / perNode;
                if (spreads != null && spreads.decides(g) && spreads.minDomains(g) > 1) {
                    // Below minDomains eligible nodes the fewest counts as 0, so each holds at most maxSkew:
                    // n >= minDomains or n >= capped (10 replicas, maxSkew 1, minDomains 20: 10 nodes).
                    minDomainsFloor = Math.max(minDomainsFloor, Math.min(spreads.minDomains(g), capped));
                }
                if (spreads == null || !spreads.decides(g)) {
                    // Each node holds at most perNode of it, and the pods that share a node with none of its pods (they repel
                    // it, or are too large beside one) need nodes of their own on top (QA 52b F3: 10 replicas apart and four
                    // 3-CPU pods that repel them: 14, where 10 was said). Read per spread group: bounded like the zone floors.
                    int beside = (work += groups.length) > APART_WORK ? 0 : besideNone(i, groups, counts, demand, cap, conflicts, problem.activeDims(), null);
                    apart = Math.max(apart, capped + beside);
                } else if (ownSpreadOverEveryNode(table, spreads, g) && repelsAPlacedPod(conflicts, g, placed)) {
                    spread = Math.max(spread, capped + 1);
                }
            }
            if (apart > 0) {
                parts.add(new LowerBound.Part("anti-affinity", apart));
            }
            if (spread > 0) {
                parts.add(new LowerBound.Part("spread beside a repelled pod", spread));
            }
            // Listed where it says more than the two parts above, which it otherwise repeats (a spread beside one pod it repels).
            int repelling = repellingWorkloads(problem, spreads, groups, counts, demand, cap, conflicts);
            if (repelling > Math.max(apart, spread)) {
                parts.add(new LowerBound.Part("workloads that repel each other", repelling));
            }
            if (minDomainsFloor > 0) {
                parts.add(new LowerBound.Part("spread minDomains", minDomainsFloor));
            }
        }
        int[] zoneSpread = zoneSpread(problem, groups, counts, demand, cap, conflicts, zoneFloors);
        if (zoneSpread[0] > 0) {
            parts.add(new LowerBound.Part("zone spread floors", zoneSpread[0]));
        }
        if (zoneSpread[1] > 0) {
            parts.add(new LowerBound.Part("zone spread caps", zoneSpread[1]));
        }
        // A hostname spread counted over several workloads binds no count either: kube-scheduler
        // compares a node with the fewest on any node, so nodes that all run some of the pods it
        // counts may each hold more than maxSkew (the packing still keeps maxSkew per node there).
        LowerBound.Part top = parts.get(0);
        for (LowerBound.Part p : parts) {
            if (p.value() > top.value()) {
                top = p;
            }
        }
        int floors = spreads == null ? 0 : spreadFloors(problem, spreads, groups, counts, top.value());
        if (floors > top.value()) {
            top = new LowerBound.Part("spread floors", floors);
            parts.add(top);
        }
        return new LowerBound(top.value(), top.method(), parts);
    }

    /**
     * Whether a node of the packing that runs none of group g's pods holds g's hard hostname spread's fewest at 0, so that
     * no node holds more than its maxSkew of g. Not where the spread also counts other workloads' pods (that node may hold
     * some of them: not 0 there), nor where g's node affinity keeps it to some zones (nodeAffinityPolicy Honor: that node
     * may be in another zone, no domain of the spread), or may (pinned to zones whose nodes {@link HostnameSpreads} does
     * not work out, past 64). nodeTaintsPolicy leaves no node out: they all carry the shape's taints, which a schedulable
     * pod tolerates; minDomains can only take the fewest as 0 where it binds.
     */
    private static boolean ownSpreadOverEveryNode(DemandTable table, HostnameSpreads spreads, int g) {
        boolean[] pinned = table.zonePinned();
        return spreads != null && spreads.decides(g) && (table.sharedSpreads() == null || table.sharedSpreads().host(g) == null)
                && spreads.everyNodeADomain(g) && (pinned == null || !pinned[g] || table.zones() <= 64);
    }

    /**
     * Workloads that repel each other pairwise (required anti-affinity on the hostname, either way) never share a node, so
     * the nodes that run each of them are apart, and a packing needs at least the sum of what each needs on its own: the
     * volume of its pods, and ⌈pods ÷ cap⌉ where no node holds more than cap of them. The cap is 1 for a workload whose
     * replicas repel each other. For a hard hostname spread of maxSkew s on its own pods it is s: another workload of the
     * set runs a pod on some node, that node runs none of this one, so its fewest over the nodes is 0 and a node holds at
     * most s (the rule over nodes that are all there, as {@link HostnameSpreads} checks it; {@link #ownSpreadOverEveryNode}
     * says where that node holds the fewest at 0, elsewhere only the volume counts). A node without the workload is not
     * assumed: the other's pod runs on one, so a spread with no workload it repels never gets the cap (it may spread evenly).
     * QA 65a F3: a (10 replicas, maxSkew 1, repelling b) and b (10, maxSkew 1) need 10 + 10 = 20 nodes, the optimum, where
     * {@code spread beside a repelled pod} said 11. One set is grown greedily from each workload, its neighbours heaviest
     * first (any set whose workloads all repel each other is a valid bound, the largest is hard to find); 0 without one.
     */
    private static int repellingWorkloads(PackingProblem problem, HostnameSpreads spreads, int[] groups, int[] counts, long[] demand,
                                          long[] cap, int[][] conflicts) {
        DemandTable table = problem.table();
        int[] caps = table.caps();
        int[] indexOf = new int[table.groupCount()];
        Arrays.fill(indexOf, -1);
        long[] alone = new long[groups.length]; // each placed workload's nodes on its own, beside another of the set
        for (int i = 0; i < groups.length; i++) {
            int g = groups[i];
            if (counts[i] <= 0 || conflicts[g] == null) {
                continue;
            }
            indexOf[g] = i;
            long nodes = 1;
            for (int r : problem.activeDims()) {
                nodes = Math.max(nodes, volume(new int[] {g}, new int[] {counts[i]}, demand, r, cap[r]));
            }
            boolean spread = spreads != null && spreads.decides(g);
            int perNode = !spread && caps != null ? caps[g] : spread && ownSpreadOverEveryNode(table, spreads, g) ? spreads.maxSkew(g) : 0;
            alone[i] = perNode > 0 ? Math.max(nodes, (counts[i] + (long) perNode - 1) / perNode) : nodes;
        }
        long best = 0;
        long work = 0;
        // Per index, how many workloads of the set beside its seed repel it: one of the seed's neighbours joins when all
        // of them do. Each joining workload's conflicts are read once, so a seed costs the conflicts of its set.
        int[] repelledBy = new int[groups.length];
        for (int i = 0; i < groups.length; i++) {
            int g = groups[i];
            if (indexOf[g] != i) {
                continue;
            }
            List<Integer> near = new ArrayList<>();
            for (int h : conflicts[g]) {
                if (h != g && indexOf[h] >= 0) {
                    near.add(indexOf[h]);
                    repelledBy[indexOf[h]] = 0;
                }
            }
            near.sort((a, b) -> alone[a] != alone[b] ? Long.compare(alone[b], alone[a]) : Integer.compare(a, b));
            int size = 1;
            long sum = alone[i];
            for (int j : near) {
                if (repelledBy[j] != size - 1) {
                    continue;
                }
                size++;
                sum += alone[j];
                if ((work += conflicts[groups[j]].length) > SETS_WORK) {
                    return (int) Math.min(Integer.MAX_VALUE, Math.max(best, sum)); // a stop: any set is valid
                }
                for (int h : conflicts[groups[j]]) {
                    if (indexOf[h] >= 0) {
                        repelledBy[indexOf[h]]++;
                    }
                }
            }
            best = size > 1 ? Math.max(best, sum) : best;
            work += conflicts[g].length;
        }
        return (int) Math.min(Integer.MAX_VALUE, best);
    }

    /**
     * Two bounds from the hard spreads over the zones, the largest over the spread workloads of each; 0 when no workload
     * spreads so.
     * <ul>
     *   <li>Floors: the spread puts at least {@code least} of a workload's pods in every zone it counts
     *   ({@link ZoneFloors#floor}), so each such zone has at least ⌈least ÷ (most of its pods one empty node holds)⌉ nodes
     *   with one of them (QA 52b F2: 13 replicas of 1 CPU over 3 zones with maxSkew 1 are at least 4 a zone, 2 m5.xlarge
     *   nodes each, and two 3.5-CPU pods share none of them: 8, where L1 said 7).</li>
     *   <li>Caps: it puts at most {@link ZoneFloors#mostPerZone} of them in one zone, so they take at least ⌈pods ÷ most⌉
     *   zones, a node each at least, and the nodes that hold them at least ⌈pods ÷ most per node⌉ (QA 61b F1: 3 replicas
     *   with maxSkew 1 over 5 zones, 3 nodes, where L1 said 1; minDomains above the zones, each holds maxSkew).</li>
     * </ul>
     * Either way the pods that cannot share a node with one of its pods (their requests and one of its own exceed the node
     * on some resource, or a required anti-affinity between them) need nodes of their own on top: at least their L2 bound.
     */
    private static int[] zoneSpread(PackingProblem problem, int[] groups, int[] counts, long[] demand, long[] cap, int[][] conflicts,
                                    ZoneFloors floors) {
        int[] best = new int[2];
        if (floors == null) {
            return best;
        }
        int[] dims = problem.activeDims();
        int[] skew = problem.table().zoneSkew();
        long[] admitted = problem.admittedZones(groups);
        long work = 0;
        for (int i = 0; i < groups.length; i++) {
            int g = groups[i];
            if (skew[g] == 0 || counts[i] == 0) {
                continue;
            }
            if ((work += groups.length) > APART_WORK) {
                break; // each spread workload reads every group: the largest so far is a valid bound
            }
            long perNode = Long.MAX_VALUE;
            for (int r : dims) {
                long d = demand[g * D + r];
                perNode = d > 0 ? Math.min(perNode, cap[r] / d) : perNode;
            }
            if (perNode <= 0) {
                continue; // fits no node: the rules leave it out
            }
            ZoneFloor floor = floors.floor(g, counts[i]);
            int most = floors.mostPerZone(g, counts[i], admitted[i]);
            long floorNodes = floor == null ? 0 : Long.bitCount(floor.zones()) * ((floor.least() + perNode - 1) / perNode);
            // At most the zones open to it: past them the pods are left out, and the bound over the pods placed takes over
            // (review 61: 10 replicas with maxSkew 1 and minDomains 5 over 3 zones said 10, sizing the ledgers and tries by it).
            long open = floors.zonesOpenTo(g, admitted[i]);
            long zonesTaken = most == Integer.MAX_VALUE ? 0 : Math.min((counts[i] + (long) most - 1) / most, open);
            long placeable = most == Integer.MAX_VALUE ? counts[i] : Math.min(counts[i], open * most);
            long capNodes = zonesTaken <= 1 ? 0 : Math.max(zonesTaken, (placeable + perNode - 1) / perNode);
            if (floorNodes == 0 && capNodes == 0) {
                continue;
            }
            int beside = besideNone(i, groups, counts, demand, cap, conflicts, dims, admitted);
            best[0] = floorNodes == 0 ? best[0] : (int) Math.max(best[0], Math.min(Integer.MAX_VALUE, floorNodes + beside));
            best[1] = capNodes == 0 ? best[1] : (int) Math.max(best[1], Math.min(Integer.MAX_VALUE, capNodes + beside));
        }
        return best;
    }

    /**
     * The nodes the pods that can share a node with no pod of group g ({@code groups[gi]}) need, apart from every node that holds one: their
     * Martello–Toth L2 bound over the resources. A pod shares none when it and one of g's exceed a node on some resource,
     * a required anti-affinity on the hostname keeps them apart (either way: {@code conflicts} is symmetric), or their
     * node affinities admit no zone in common ({@code admitted}, per index of {@code groups}: bits, 0 when not known; null:
     * not read), as no node is in two zones (QA 61b F1: a spread kept to zones a and b beside a workload pinned to c).
     */
    private static int besideNone(int gi, int[] groups, int[] counts, long[] demand, long[] cap, int[][] conflicts, int[] dims, long[] admitted) {
        int g = groups[gi];
        long gZones = admitted == null ? 0 : admitted[gi];
        List<Integer> apart = new ArrayList<>();
        for (int j = 0; j < groups.length; j++) {
            int h = groups[j];
            boolean repelled = h != g && conflicts != null && conflicts[g] != null && Arrays.binarySearch(conflicts[g], h) >= 0;
            repelled |= h != g && gZones != 0 && admitted[j] != 0 && (gZones & admitted[j]) == 0;
            for (int r : dims) {
                repelled |= h != g && demand[h * D + r] + demand[g * D + r] > cap[r];
            }
            if (repelled && counts[j] > 0) {
                apart.add(j);
            }
        }
        int rest = 0;
        if (!apart.isEmpty()) {
            int[] ag = apart.stream().mapToInt(j -> groups[j]).toArray();
            int[] ac = apart.stream().mapToInt(j -> counts[j]).toArray();
            for (int r : dims) {
                // Both L2 and the dual feasible functions: pods of 1.4 CPU on 4-CPU nodes go two to a node, which the
                // volume and L2 (no pod above half a node) do not see.
                Merged m = Merged.of(sizes(ag, demand, r), ac);
                rest = Math.max(rest, Math.max(martelloTothL2(m, cap[r]), ag.length <= DFF_MOST_DISTINCT ? feketeSchepers(m, cap[r]) : 0));
            }
        }
        return rest;
    }

    /** Conflict entries {@link #repellingWorkloads} reads at most: 3,000 workloads that all repel each other read 9 million, some 50 ms. */
    private static final long SETS_WORK = 16_000_000L;

    /** Spread or apart workloads × groups {@link #zoneSpreadFloors} and the anti-affinity part read at most ({@link #besideNone}). */
    private static final long APART_WORK = 4_000_000L;

    /** At most this many node counts are tried, and (node counts × distinct requests) read: a stop leaves a valid bound. */
    private static final int FLOOR_STEPS = 4096;
    private static final long FLOOR_WORK = 4_000_000L;

    /**
     * Hostname spreads put a floor under every node ({@link HostnameSpreads#floor}):
     * with N nodes, a workload spread with maxSkew s that every node counts holds at least
     * ⌈(n − s·(N − 1)) ÷ N⌉ of its n pods on each. Those floors take their room on all N nodes, and
     * the other pods (the floored workloads' pods above their floors among them) must pack into
     * what the floors leave of each: N nodes are too few when that room is negative, when some of
     * those pods fits no node's rest, or when the Martello–Toth L2 bound of those pods on that room
     * is above N (on any resource). The smallest N from {@code from} up that no such reason rules
     * out; {@code from} when none does there. Many pods spread evenly beside large ones: 40 web (500m)
     * with maxSkew 1 and 12 db (1 CPU) on 3.92-CPU nodes need 11 (9 or 10 nodes carry 4 web each,
     * and the 1.92 CPU left takes one db), where the volume says 9.
     */
    private static int spreadFloors(PackingProblem problem, HostnameSpreads spreads, int[] groups, int[] counts, int from) {
        DemandTable table = problem.table();
        if (from <= 0) {
            return from;
        }
        SharedSpreads shared = table.sharedSpreads();
        int[] floored = java.util.stream.IntStream.range(0, groups.length)
                .filter(i -> spreads.decides(groups[i]) && (shared == null || shared.host(groups[i]) == null) && counts[i] > 0)
                .toArray();
        if (floored.length == 0) {
            return from;
        }
        // The requests, each distinct row once (its pods summed), and which row each group's is.
        int[] rowOf = new int[groups.length];
        int[][] merged = distinctRows(groups, counts, table.demandClasses(), rowOf);
        int[] rows = merged[0];
        int[] total = merged[1];
        int k = rows.length;
        long[] demand = problem.flatDemand();
        long[] cap = problem.podCapacity();
        int[] dims = problem.activeDims();
        long[][] sizes = new long[D][];
        for (int r : dims) {
            sizes[r] = sizes(rows, demand, r);
        }
        Repellers[] repellers = repellers(problem, spreads, groups, counts, rowOf, k, floored);
        int[] rest = new int[k];
        long[] room = new long[D];
        long steps = Math.min(FLOOR_STEPS, Math.max(1, FLOOR_WORK / ((long) k * dims.length + floored.length)));
        long work = 0;
        nodeCounts:
        for (int nodes = from; nodes < from + steps; nodes++) {
            System.arraycopy(total, 0, rest, 0, k);
            System.arraycopy(cap, 0, room, 0, D);
            boolean any = false;
            for (int i : floored) {
                int m = spreads.floor(groups[i], counts[i], nodes);
                if (m > 0) {
                    any = true;
                    rest[rowOf[i]] -= m * nodes; // m ≤ ⌊n ÷ N⌋: never below 0
                    for (int r : dims) {
                        room[r] -= m * demand[groups[i] * D + r];
                    }
                }
            }
            if (any && !fitsAbove(sizes, rest, room, dims, nodes)) {
                continue;
            }
            for (int f = 0; f < floored.length; f++) {
                int i = floored[f];
                if ((work += (long) k * dims.length) > FLOOR_WORK) {
                    return nodes; // a stop: this count is not ruled out, every one below was
                }
                if (!someFewestFits(spreads, groups[i], counts[i], rowOf[i], nodes, sizes, total, rest, room, cap, dims, repellers[f])) {
                    continue nodeCounts;
                }
            }
            return nodes;
        }
        return (int) Math.min(Integer.MAX_VALUE, from + steps); // every count below was ruled out
    }

    /**
     * Whether group g (n pods in request row {@code row}, its floor on {@code nodes} nodes already
     * taken out of {@code rest} and {@code room}) can have some fewest f per node: every node then
     * holds f to f + maxSkew of its pods, and at most m, the most of them its resources hold (f ≤ m, as every node holds f).
     * A node holding a pod that <em>blocks</em> g holds exactly f: a pod whose requests and f + 1 of g's exceed the node on
     * some resource, or one that repels g (required anti-affinity on the hostname, either way: {@code repellers}), whose
     * node holds none of g, so that f is 0. With B nodes holding blockers, at least their L2 bound on the room f of g's
     * leave (the node's own capacity: the other workloads' floors may be those very pods) and at least the nodes a
     * blocking workload whose replicas repel each other needs, n ≤ f·B + min(f + maxSkew, m)·(nodes − B); the right side
     * falls as B grows (min(f + maxSkew, m) ≥ f), so it must hold at B's bound, and else no packing on {@code nodes}
     * nodes has fewest f. The pods above the floors must also still fit the room f leaves ({@link #fitsAbove}). f runs
     * from the floor up to ⌊n ÷ nodes⌋ (QA 52b F1: 40 web with maxSkew 2 beside three 3-CPU pods on 3.92-CPU nodes: a big
     * pod's node holds one web at most, so on 15 nodes 25 web above the fewest of 1 need 13 nodes besides the big pods'
     * 3: 16, the optimum, where the floors alone said 14); f is 0 alone where a placed pod repels g (its node is one of
     * g's domains: {@link #ownSpreadOverEveryNode}), and below minDomains nodes, where kube-scheduler takes the fewest as
     * 0 (fewer domains than minDomains: every node then holds at most maxSkew). QA 71b F4: 6 replicas of 1.4 CPU with
     * maxSkew 2 beside 2 pods that repel them and a 2.8-CPU pod on 4-CPU nodes: the repelling pods' node holds none, so
     * a node holds 2 at most, 3 nodes, and the blockers need 2 more: 5, the optimum, where the bound said 4. True where
     * the rule says nothing of every node (a spread kept to some zones' nodes).
     */
    private static boolean someFewestFits(HostnameSpreads spreads, int g, int n, int row, int nodes,
                                          long[][] sizes, int[] total, int[] rest, long[] room, long[] cap, int[] dims, Repellers repellers) {
        int skew = spreads.maxSkew(g);
        if (!spreads.floorable(g) || skew <= 0) {
            return true;
        }
        boolean belowMinDomains = nodes < spreads.minDomains(g);
        int least = spreads.floor(g, n, nodes);
        if (repellers != null && least > 0) {
            return false; // the repelling pod's node holds none of g, below the floor every node holds
        }
        int highest = belowMinDomains || repellers != null ? 0 : n / nodes;
        long most = Long.MAX_VALUE; // m: the most of g one node's resources hold
        for (int r : dims) {
            long d = sizes[r][row];
            most = d > 0 ? Math.min(most, cap[r] / d) : most;
        }
        int k = total.length;
        int[] above = rest.clone();
        long[] left = room.clone();
        int[] blocking = new int[k];
        long[] beside = new long[D];
        for (int f = least; f <= highest; f++) {
            if (f - least >= FEWEST_TRIES) {
                return true; // not ruled out: a stop leaves a valid bound
            }
            if (f > least) {
                above[row] -= nodes; // one more of g on every node: out of the pods above the floors, into the room
                for (int r : dims) {
                    left[r] -= sizes[r][row];
                }
                if (!fitsAbove(sizes, above, left, dims, nodes)) {
                    continue; // more of g on every node only takes more room: a larger f may still pass the test below, not this one
                }
            }
            for (int u = 0; u < k; u++) {
                boolean blocks = false;
                for (int r : dims) {
                    blocks |= sizes[r][u] + (long) (f + 1) * sizes[r][row] > cap[r];
                }
                blocking[u] = blocks ? (u == row ? total[u] - n : total[u]) : repellers == null ? 0 : repellers.perRow()[u];
            }
            int b = repellers == null ? 0 : repellers.apart();
            for (int r : dims) {
                beside[r] = cap[r] - (long) f * sizes[r][row];
                if (beside[r] > 0) {
                    b = Math.max(b, martelloTothL2(sizes[r], blocking, beside[r]));
                }
            }
            long perNode = Math.min((long) f + skew, most);
            if (n <= (long) f * b + perNode * Math.max(0, nodes - b)) {
                return true;
            }
        }
        return false;
    }

    /** Fewest counts per node {@link #someFewestFits} tries per workload and node count at most. */
    private static final int FEWEST_TRIES = 32;

    /**
     * The placed pods that repel a spread workload g (required anti-affinity on the hostname, either side's terms), whose
     * nodes hold none of g: their count per request row ({@code perRow}, g's own pods left out), and the most nodes one
     * of their workloads needs on its own where its replicas repel each other (⌈pods ÷ its cap⌉, 1 a node).
     */
    private record Repellers(int[] perRow, int apart) {
    }

    /**
     * Per floored workload (index into {@code floored}), its {@link Repellers}, or null where none is placed, where its
     * spread does not count every node ({@link #ownSpreadOverEveryNode}: the repelling pod's node may be no domain of it),
     * or past {@link #APART_WORK} (left out: a weaker bound, still valid).
     */
    private static Repellers[] repellers(PackingProblem problem, HostnameSpreads spreads, int[] groups, int[] counts, int[] rowOf, int k,
                                         int[] floored) {
        Repellers[] out = new Repellers[floored.length];
        DemandTable table = problem.table();
        int[][] conflicts = table.conflicts();
        int[] caps = table.caps();
        if (conflicts == null) {
            return out;
        }
        long work = 0;
        for (int f = 0; f < floored.length; f++) {
            int g = groups[floored[f]];
            if (!ownSpreadOverEveryNode(table, spreads, g) || (work += groups.length) > APART_WORK) {
                continue;
            }
            int[] perRow = null;
            int apart = 0;
            for (int j = 0; j < groups.length; j++) {
                int h = groups[j];
                if (h == g || counts[j] <= 0 || !repels(conflicts, g, h)) {
                    continue;
                }
                perRow = perRow == null ? new int[k] : perRow;
                perRow[rowOf[j]] += counts[j];
                boolean hardCap = caps != null && caps[h] > 0 && conflicts[h] != null && Arrays.binarySearch(conflicts[h], h) >= 0
                        && !spreads.decides(h);
                apart = hardCap ? Math.max(apart, (counts[j] + caps[h] - 1) / caps[h]) : apart;
            }
            out[f] = perRow == null ? null : new Repellers(perRow, apart);
        }
        return out;
    }

    /** Whether groups g and h repel each other (either one's required anti-affinity on the hostname selects the other). */
    private static boolean repels(int[][] conflicts, int g, int h) {
        return conflicts[g] != null && Arrays.binarySearch(conflicts[g], h) >= 0
                || conflicts[h] != null && Arrays.binarySearch(conflicts[h], g) >= 0;
    }

    /** Whether pods {@code rest[i]} of request row i (sizes per resource) may fit {@code nodes} nodes of {@code room} each, by L2. */
    private static boolean fitsAbove(long[][] sizes, int[] rest, long[] room, int[] dims, int nodes) {
        for (int r : dims) {
            if (room[r] < 0) {
                return false;
            }
            long[] s = sizes[r];
            for (int i = 0; i < s.length; i++) {
                if (rest[i] > 0 && s[i] > room[r]) {
                    return false;
                }
            }
            if (room[r] > 0 && martelloTothL2(s, rest, room[r]) > nodes) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code groups} with equal demand rows (all {@link DemandTable#D} resources) merged, in order
     * of first appearance: {representative groups, their summed counts}. The table's {@link
     * DemandClasses} say which rows are equal (hashed once per table, shared with the decreasing
     * order); this only numbers the classes that {@code groups} holds.
     */
    static int[][] distinctRows(int[] groups, int[] counts, DemandClasses classes) {
        return distinctRows(groups, counts, classes, null);
    }

    /** As above; {@code rowOf} (null: not wanted) receives the index of each group's row among them. */
    private static int[][] distinctRows(int[] groups, int[] counts, DemandClasses classes, int[] rowOf) {
        int n = groups.length;
        int[] local = new int[classes.count()];
        Arrays.fill(local, -1);
        int[] reps = new int[n];
        int[] sums = new int[n];
        int m = 0;
        for (int i = 0; i < n; i++) {
            int c = classes.ofGroup()[groups[i]];
            if (local[c] < 0) {
                local[c] = m;
                reps[m] = groups[i];
                sums[m++] = counts[i];
            } else {
                sums[local[c]] += counts[i];
            }
            if (rowOf != null) {
                rowOf[i] = local[c];
            }
        }
        return new int[][] {Arrays.copyOf(reps, m), Arrays.copyOf(sums, m)};
    }

    /** Dual feasible functions u_k tried by {@link #deviceBound}. */
    private static final int[] DFF_K = {1, 2, 3, 4, 5};

    /**
     * Two device bounds, the larger: (a) ⌈(whole GPUs + L2 devices of the shares) / devices per
     * node⌉, devices as bins; (b) nodes as bins: every GPU pod mapped through a dual feasible
     * function ({@link GpuDevices#dff}, which charges a share for the part of a device it makes
     * useless to others) and Martello–Toth L2 over nodes of devices × 1000·k — this one also sees
     * that two 4-GPU pods fill a node that an 8-GPU pod would want whole.
     */
    static int deviceBound(int[] groups, int[] counts, long[] demand, int devices) {
        int gpu = Resource.GPU.ordinal();
        int withGpu = 0;
        for (int g : groups) {
            withGpu += demand[g * D + gpu] > 0 ? 1 : 0;
        }
        long[] gpuSizes = new long[withGpu];
        int[] gpuCounts = new int[withGpu];
        int v = 0;
        for (int i = 0; i < groups.length; i++) {
            long d = demand[groups[i] * D + gpu];
            if (d > 0) {
                gpuSizes[v] = d;
                gpuCounts[v++] = counts[i];
            }
        }
        long needed = devicesNeeded(gpuSizes, gpuCounts);
        long best = (needed + devices - 1) / devices;
        for (int k : DFF_K) {
            long[] mapped = new long[withGpu];
            for (int i = 0; i < withGpu; i++) {
                mapped[i] = GpuDevices.dff(gpuSizes[i], k);
            }
            best = Math.max(best, martelloTothL2(mapped, gpuCounts, (long) devices * GpuDevices.UNIT * k));
        }
        return (int) Math.min(Integer.MAX_VALUE, best);
    }

    /**
     * GPU devices that pods with these GPU requests (thousandths, each with a pod count) need at
     * least, on any number of nodes: every whole GPU a device of its own, and the shares at least
     * the Martello–Toth L2 number of devices of {@link GpuDevices#UNIT}.
     */
    public static long devicesNeeded(long[] gpuSizes, int[] counts) {
        long whole = 0;
        int shares = 0;
        for (long g : gpuSizes) {
            shares += g > 0 && g < GpuDevices.UNIT ? 1 : 0;
        }
        long[] sizes = new long[shares];
        int[] shareCounts = new int[shares];
        int w = 0;
        for (int i = 0; i < gpuSizes.length; i++) {
            long g = gpuSizes[i];
            if (g >= GpuDevices.UNIT) {
                whole += (long) GpuDevices.whole(g) * counts[i];
            } else if (g > 0) {
                sizes[w] = g;
                shareCounts[w++] = counts[i];
            }
        }
        return whole + (shares == 0 ? 0 : martelloTothL2(sizes, shareCounts, GpuDevices.UNIT));
    }

    private static long[] sizes(int[] groups, long[] demand, int r) {
        long[] s = new long[groups.length];
        for (int i = 0; i < groups.length; i++) {
            s[i] = demand[groups[i] * D + r];
        }
        return s;
    }

    /** ⌈Σ count × size / capacity⌉, exact in 128-bit arithmetic. */
    static int volume(int[] groups, int[] counts, long[] demand, int r, long capacity) {
        long hi = 0;
        long lo = 0;
        for (int i = 0; i < groups.length; i++) {
            long d = demand[groups[i] * D + r];
            long pLo = d * counts[i];
            long pHi = Math.multiplyHigh(d, counts[i]);
            long newLo = lo + pLo;
            hi += pHi + (Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0);
            lo = newLo;
        }
        return (int) ceilDiv128(hi, lo, capacity);
    }

    /** ⌈(hi·2^64 + lo) / divisor⌉ for non-negative values and a positive divisor. */
    private static long ceilDiv128(long hi, long lo, long divisor) {
        if (hi == 0 && lo >= 0) {
            return lo / divisor + (lo % divisor == 0 ? 0 : 1);
        }
        java.math.BigInteger total = java.math.BigInteger.valueOf(hi).shiftLeft(64)
                .add(new java.math.BigInteger(Long.toUnsignedString(lo)));
        java.math.BigInteger[] qr = total.divideAndRemainder(java.math.BigInteger.valueOf(divisor));
        java.math.BigInteger q = qr[1].signum() == 0 ? qr[0] : qr[0].add(java.math.BigInteger.ONE);
        return q.min(java.math.BigInteger.valueOf(Integer.MAX_VALUE)).longValue();
    }

    /** Bits that hold an index below {@code n}. */
    private static int indexBits(int n) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1)));
    }

    /**
     * Sorts non-negative longs ascending: LSD radix sort on 11-bit digits (only the digits the
     * largest key has) for large arrays, a library sort for small ones.
     */
    static void sortNonNegative(long[] keys) {
        int n = keys.length;
        if (n < 4096) {
            Arrays.sort(keys);
            return;
        }
        long max = 0;
        for (long k : keys) {
            max |= k;
        }
        int significant = 64 - Long.numberOfLeadingZeros(max);
        long[] from = keys;
        long[] to = new long[n];
        int[] count = new int[1 << 11];
        for (int shift = 0; shift < significant; shift += 11) {
            Arrays.fill(count, 0);
            for (long k : from) {
                count[(int) (k >>> shift) & 0x7FF]++;
            }
            for (int d = 0, sum = 0; d < count.length; d++) {
                int c = count[d];
                count[d] = sum;
                sum += c;
            }
            for (long k : from) {
                to[count[(int) (k >>> shift) & 0x7FF]++] = k;
            }
            long[] swap = from;
            from = to;
            to = swap;
        }
        if (from != keys) {
            System.arraycopy(from, 0, keys, 0, n);
        }
    }

    /**
     * Indices of {@code values} in ascending order, ties by index: a primitive sort of
     * value·2^b + index when the values are non-negative and that fits a long (boxed comparators
     * cost several times more at 150,000 pods), else a stable sort of boxed indices.
     */
    static int[] ascending(long[] values) {
        int n = values.length;
        int bits = indexBits(n);
        long max = 0;
        long min = 0;
        for (long v : values) {
            max = Math.max(max, v);
            min = Math.min(min, v);
        }
        int[] order = new int[n];
        if (min >= 0 && (max >>> (63 - bits)) == 0) {
            long[] keys = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = values[i] << bits | i;
            }
            sortNonNegative(keys);
            long mask = (1L << bits) - 1;
            for (int i = 0; i < n; i++) {
                order[i] = (int) (keys[i] & mask);
            }
            return order;
        }
        Integer[] boxed = new Integer[n];
        for (int i = 0; i < n; i++) {
            boxed[i] = i;
        }
        Arrays.sort(boxed, (a, b) -> Long.compare(values[a], values[b]));
        for (int i = 0; i < n; i++) {
            order[i] = boxed[i];
        }
        return order;
    }

    /**
     * Martello–Toth L2 for one dimension: items {@code sizes[i]} × {@code counts[i]} (all ≤ C).
     * Evaluated at α = 0 and at every distinct size ≤ C/2, each in O(log n) with prefix sums over
     * the sizes sorted ascending.
     */
    static int martelloTothL2(long[] sizes, int[] counts, long capacity) {
        return martelloTothL2(Merged.of(sizes, counts), capacity);
    }

    /**
     * Sizes ascending with equal sizes merged, their counts summed: the bounds read the sorted sizes
     * only at the boundaries between distinct sizes (or per distinct size), so they are the same,
     * and they run over the distinct sizes — ~100 for a 150,000-pod trace.
     */
    record Merged(long[] sizes, long[] counts) {
        static Merged of(long[] sizes, int[] counts) {
            int[] byIdx = ascending(sizes);
            long[] s = new long[byIdx.length];
            long[] counted = new long[byIdx.length];
            int n = 0;
            for (int idx : byIdx) {
                long size = sizes[idx];
                if (n > 0 && s[n - 1] == size) {
                    counted[n - 1] += counts[idx];
                } else {
                    s[n] = size;
                    counted[n++] = counts[idx];
                }
            }
            return new Merged(Arrays.copyOf(s, n), Arrays.copyOf(counted, n));
        }
    }

    /** Above this many distinct requests (after merging equal rows) the dual feasible functions are not computed. */
    private static final int DFF_MOST_DISTINCT = 20_000;

    /** Above this many pods per node at most the dual feasible functions below are not tried (their gain fades). */
    private static final int DFF_MOST_PER_NODE = 100;

    /**
     * The bound of Fekete and Schepers' dual feasible functions ("New classes of fast lower bounds for
     * bin packing problems", Mathematical Programming 91, 2001): for a whole k ≥ 1 the size x of a
     * pod, as a share of the capacity C, counts as u_k(x) = x where (k + 1)·x is whole, else as
     * ⌊(k + 1)·x⌋ ÷ k. Whatever pods share a node, their u_k sum to at most 1, so ⌈Σ u_k⌉ nodes are
     * needed; the largest over k from 1 to the most pods of the smallest size a node holds (at most
     * {@value #DFF_MOST_PER_NODE}). It sees what the volume does not: pods of 500m on 1,930m nodes fit
     * three to a node (k = 3: each counts 1/3), where the volume counts 3.86 to a node and L2 takes
     * such pods by volume too. Exact: Σ u_k = D/C + M/k with D the sizes where (k + 1)·x is whole and
     * M the sum of ⌊(k + 1)·x⌋ of the others, compared in whole numbers. 0 without a positive size.
     * (The same u_k as {@link GpuDevices#dff} applies to GPU shares on one device of 1000.)
     */
    static int feketeSchepers(Merged m, long capacity) {
        long[] s = m.sizes();
        long[] c = m.counts();
        int first = 0;
        while (first < s.length && s[first] <= 0) {
            first++;
        }
        if (first == s.length || capacity <= 0 || s[s.length - 1] > capacity) {
            return 0;
        }
        // Sizes ascend, so ⌊(k + 1)·x⌋ ≥ t holds from the first size ≥ ⌈t·C ÷ (k + 1)⌉ on: per k
        // a binary search per t over prefix counts rather than a pass over every size (150,000
        // distinct requests would take ~100 passes each).
        long[] atLeast = new long[s.length + 1]; // pods of sizes from index i on
        for (int i = s.length - 1; i >= 0; i--) {
            atLeast[i] = atLeast[i + 1] + c[i];
        }
        long most = Math.min(DFF_MOST_PER_NODE, capacity / s[first]);
        java.math.BigInteger cap = java.math.BigInteger.valueOf(capacity);
        long best = 0;
        for (long k = 1; k <= most; k++) {
            long floors = 0; // M: Σ ⌊(k + 1)·x⌋ × count, at most (k + 1) × pods
            java.math.BigInteger whole = java.math.BigInteger.ZERO; // D: the sizes where (k + 1)·x is whole
            // t·C ÷ (k + 1) as t·q + t·r ÷ (k + 1), C = q·(k + 1) + r: t·C itself passes a long for C past 2^56 (a 1Ei
            // node; the 2^60 audit), t·q never passes C and t·r stays below 101².
            long q = capacity / (k + 1);
            long r = capacity % (k + 1);
            for (long t = 1; t <= k + 1; t++) {
                long from = t * q + Math.ceilDiv(t * r, k + 1);
                int at = firstAtLeast(s, first, from);
                floors += atLeast[at];
                if (t * r % (k + 1) == 0) {
                    if (at < s.length && s[at] == from) { // (k + 1)·x = t: counted as x, not t ÷ k
                        floors -= t * c[at];
                        whole = whole.add(java.math.BigInteger.valueOf(from).multiply(java.math.BigInteger.valueOf(c[at])));
                    }
                }
            }
            // ⌈D/C + M/k⌉ = ⌈(k·D + C·M) ÷ (k·C)⌉
            java.math.BigInteger kc = cap.multiply(java.math.BigInteger.valueOf(k));
            java.math.BigInteger num = whole.multiply(java.math.BigInteger.valueOf(k)).add(cap.multiply(java.math.BigInteger.valueOf(floors)));
            java.math.BigInteger[] qr = num.divideAndRemainder(kc);
            best = Math.max(best, qr[0].longValue() + (qr[1].signum() == 0 ? 0 : 1));
        }
        return (int) Math.min(best, Integer.MAX_VALUE);
    }

    /** The first index from {@code from} on whose size is at least {@code size} ({@code s.length} if none). */
    private static int firstAtLeast(long[] s, int from, long size) {
        int lo = from;
        int hi = s.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s[mid] < size) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** {@link #martelloTothL2(long[], int[], long)} over sizes already merged. */
    static int martelloTothL2(Merged merged, long capacity) {
        long[] s = merged.sizes();
        long[] counted = merged.counts();
        int n = s.length;
        long[] prefixCount = new long[n + 1];
        double[] prefixSum = new double[n + 1];
        java.math.BigInteger[] exactPrefix = null;
        for (int i = 0; i < n; i++) {
            prefixCount[i + 1] = prefixCount[i] + counted[i];
            prefixSum[i + 1] = prefixSum[i] + (double) s[i] * counted[i];
        }
        // Sums of sizes are kept exactly with BigInteger only when a double could round them.
        if (prefixSum[n] > 0x1p52) {
            exactPrefix = new java.math.BigInteger[n + 1];
            exactPrefix[0] = java.math.BigInteger.ZERO;
            for (int i = 0; i < n; i++) {
                exactPrefix[i + 1] = exactPrefix[i].add(java.math.BigInteger.valueOf(s[i]).multiply(java.math.BigInteger.valueOf(counted[i])));
            }
        }
        int best = 0;
        long previous = -1;
        // Index boundaries in ascending order. As α rises through the sizes, the first size ≥ α is
        // the index where α first occurs and the first size > C − α only moves down, so one pass
        // with a second pointer replaces three binary searches per α.
        int bigStart = upperBoundHalf(s, capacity);     // first size with 2·size > C
        int j1Start = n;                                 // first size > C - alpha
        for (int i = -1; i < n; i++) {
            long alpha = i < 0 ? 0 : s[i];
            if (i >= 0 && alpha == previous) {
                continue;
            }
            if (2 * alpha > capacity) {
                break; // sizes ascend: no larger α is at most C/2
            }
            previous = alpha;
            int j3Start = i < 0 ? 0 : i;                 // first size >= alpha
            while (j1Start > 0 && s[j1Start - 1] > capacity - alpha) {
                j1Start--;
            }
            long j1 = prefixCount[n] - prefixCount[j1Start];
            long j2 = prefixCount[j1Start] - prefixCount[bigStart];
            long value;
            if (exactPrefix == null) {
                long sumJ2 = (long) (prefixSum[j1Start] - prefixSum[bigStart]);
                long sumJ3 = (long) (prefixSum[bigStart] - prefixSum[j3Start]);
                long slack = j2 * capacity - sumJ2;
                long excess = sumJ3 - slack;
                long extra = excess <= 0 ? 0 : (excess + capacity - 1) / capacity;
                value = j1 + j2 + extra;
            } else {
                java.math.BigInteger sumJ2 = exactPrefix[j1Start].subtract(exactPrefix[bigStart]);
                java.math.BigInteger sumJ3 = exactPrefix[bigStart].subtract(exactPrefix[j3Start]);
                java.math.BigInteger c = java.math.BigInteger.valueOf(capacity);
                java.math.BigInteger excess = sumJ3.subtract(java.math.BigInteger.valueOf(j2).multiply(c).subtract(sumJ2));
                long extra = 0;
                if (excess.signum() > 0) {
                    java.math.BigInteger[] qr = excess.divideAndRemainder(c);
                    extra = qr[0].longValue() + (qr[1].signum() == 0 ? 0 : 1);
                }
                value = j1 + j2 + extra;
            }
            if (value > best) {
                best = (int) Math.min(value, Integer.MAX_VALUE);
            }
        }
        return best;
    }

    /** First index whose size is strictly more than half the capacity (2·size > C). */
    private static int upperBoundHalf(long[] s, long capacity) {
        int lo = 0;
        int hi = s.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (s[mid] <= capacity - s[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /**
     * Marks groups whose pods cannot share a node with any other pod: for a pod p, a partner q
     * must fit p's leftover (q ≤ cap − p on every resource). Checked against the Pareto-minimal
     * demand vectors (any fitting partner dominates one of them), with care for a group whose only
     * possible partner is another replica of itself.
     */
    static boolean[] alone(int[] groups, int[] counts, long[] demand, long[] cap, int[] dims) {
        int n = groups.length;
        boolean[] result = new boolean[n];
        // Pareto-minimal groups: sort by total normalised demand ascending; a vector is minimal when
        // no earlier minimal vector is <= it componentwise (equal vectors: keep the first).
        double[] total = new double[n];
        long[] key = new long[n];
        int indexBits = indexBits(n);
        for (int i = 0; i < n; i++) {
            for (int r : dims) {
                total[i] += (double) demand[groups[i] * D + r] / cap[r];
            }
            // A non-negative double's bits order as its value; dropping the low bits to make room
            // for the index in ascending() may put near-equal totals out of order, which only lets
            // a dominated vector into the minimal list — harmless: its dominator is there too.
            key[i] = Double.doubleToRawLongBits(total[i]) >>> indexBits;
        }
        int[] byTotal = ascending(key);
        int[] minimal = new int[n];
        int m = 0;
        // The minimal vectors' requests side by side (dims per vector), so the dominance scan reads
        // one array in order; the vector that dominated last is tried first, since neighbours in
        // total order tend to share a dominator.
        int a = dims.length;
        long[] front = new long[Math.min(n, 1 << 16) * a];
        int last = 0;
        for (int idx : byTotal) {
            int gi = groups[idx] * D;
            boolean dominated = m > 0 && dominates(front, last * a, demand, gi, dims);
            for (int k = 0; k < m && !dominated; k++) {
                if (dominates(front, k * a, demand, gi, dims)) {
                    dominated = true;
                    last = k;
                }
            }
            if (!dominated) {
                if ((m + 1) * a > front.length) {
                    front = Arrays.copyOf(front, front.length * 2);
                }
                for (int j = 0; j < a; j++) {
                    front[m * a + j] = demand[gi + dims[j]];
                }
                minimal[m++] = idx;
            }
        }
        for (int i = 0; i < n; i++) {
            int gi = groups[i] * D;
            if (counts[i] >= 2 && fitsWith(demand, gi, gi, cap, dims)) {
                continue; // two replicas share a node
            }
            boolean partner = false;
            boolean onlySelf = false;
            for (int k = 0; k < m && !partner; k++) {
                int j = minimal[k];
                if (fitsWith(demand, gi, groups[j] * D, cap, dims)) {
                    if (j != i && !sameVector(demand, groups[j] * D, gi, dims)) {
                        partner = true;
                    } else if (j != i) {
                        partner = true; // an identical pod of another group
                    } else {
                        onlySelf = true;
                    }
                }
            }
            if (!partner && onlySelf) {
                // The minimal vector is this pod itself; any other pod that fits its leftover will do.
                for (int j = 0; j < n && !partner; j++) {
                    partner = j != i && fitsWith(demand, gi, groups[j] * D, cap, dims);
                }
            }
            result[i] = !partner;
        }
        return result;
    }

    /** Whether the vector at {@code front[at..]} is at most the group's request (row {@code gi}) on every dim. */
    private static boolean dominates(long[] front, int at, long[] demand, int gi, int[] dims) {
        for (int j = 0; j < dims.length; j++) {
            if (front[at + j] > demand[gi + dims[j]]) {
                return false;
            }
        }
        return true;
    }

    private static boolean sameVector(long[] demand, int a, int b, int[] dims) {
        for (int r : dims) {
            if (demand[a + r] != demand[b + r]) {
                return false;
            }
        }
        return true;
    }

    private static boolean fitsWith(long[] demand, int a, int b, long[] cap, int[] dims) {
        for (int r : dims) {
            if (demand[a + r] > cap[r] - demand[b + r]) {
                return false;
            }
        }
        return true;
    }
}

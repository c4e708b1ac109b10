package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.PackingVerifier;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * {@code --survive zone} for workloads whose pods are tied to zones ({@link
 * DemandTable#tiesPodsToZones}): a spread over the zones, pod affinity or anti-affinity on the
 * zone, selectors naming zones. Round-robin arithmetic does not hold for them: losing a zone
 * changes the domains a spread counts, and its pods may go only where their rules admit them.
 *
 * <p>As the issue asks, survival is checked by packing again without the zone: the same
 * strategies pack the workload onto the shape with the nodes over the remaining zones (the
 * scheduler then counts only those as domains). That packing needs {@code c[y]} nodes in each
 * remaining zone {@code y}, and the cluster as it runs needs the packing's own {@code p[y]}. The
 * cluster is sized per zone to hold both:
 * <ul>
 *   <li>zones that no selector names are interchangeable, so one packing over {@code zones − 1}
 *   zones serves every loss: with both lists sorted from the largest, the i-th largest zone runs
 *   {@code max(p[i], c[i − 1])} nodes ({@code c[0]} for the largest), so whichever zone is lost,
 *   the others still hold {@code c} zone by zone;</li>
 *   <li>with pods pinned to named zones they are not: each zone is lost in turn, and a zone runs
 *   {@code max(p[y], c_z[y])} over every other zone {@code z} lost.</li>
 * </ul>
 * Pods that the packing without a zone leaves out (beyond those the cluster leaves out anyway)
 * cannot survive that loss whatever the node count (one etcd per zone with anti-affinity on the
 * zone, pods pinned to the lost zone): they are counted, not sized for, and only among the pods
 * the lost zone ran (the others keep running: {@link #leftOutOnLoss}). The packing without the
 * zone is where new pods may go, not which survive. Each loss is then played on the cluster as it
 * runs ({@link ZoneLossReplacement}, {@link #playLosses}): the survivors stay where they run, and a
 * zone gets the nodes the lost zone's pods need beside them (QA 68b F9).
 */
public final class ZoneSurvival {
    private final DemandTable table;
    private final List<ShapeEvaluator> withoutZone; // index z: the zone lost; one entry when the zones are interchangeable
    private final boolean named;
    /**
     * What {@link #need} packs the zones left again with, per shape, where a workload is below its spread's minDomains there
     * ({@link #survivors}: sizing all its replicas there bought nodes for pods that stay Pending, 6 pods, minDomains 2 over two
     * zones, 2 headroom nodes; a cap of maxSkew per zone left packed its survivors away).
     */
    private final Workload workload;
    private final List<PackingStrategies> strategies;
    private final long seed;
    private final ShapeEvaluator.OptimizeMode mode;
    private final ShapeOptimizer.Settings settings;
    /** Per group the maxSkew a zone left takes its pods up to, below its spread's minDomains there ({@link #floorSkew}); 0: none. */
    private final int[] below;
    /** What each zone's loss is played against ({@link #playLosses}): as {@link #withoutZone}, groups below minDomains without it. */
    private final List<ShapeEvaluator> lossChecks;

    /**
     * What surviving any one zone needs on one shape.
     *
     * @param nodesPerZone per zone of the table (in its order), the nodes to run
     * @param podsLeftOut  pods that some zone's loss leaves with nowhere to go, at most over the zones
     * @param zonesLeftBound a lower bound on the nodes the zones left need after any one zone's loss (the
     *                       packings without a zone: their bound, the least over the zones lost); -1 when
     *                       not packed without a zone
     * @param uncheckedLosses zones whose loss, played on the cluster as it runs ({@link ZoneLossReplacement}), did not
     *                       pass the verifier (a rule its greedy does not track) or left a pod that a zone admits without a
     *                       node: not known to be survived
     */
    public record Need(List<Integer> nodesPerZone, int podsLeftOut, int zonesLeftBound, int uncheckedLosses) {
        public Need {
            nodesPerZone = List.copyOf(nodesPerZone);
        }

        public Need(List<Integer> nodesPerZone, int podsLeftOut) {
            this(nodesPerZone, podsLeftOut, -1, 0);
        }

        public int nodes() {
            int n = 0;
            for (int k : nodesPerZone) {
                n += k;
            }
            return n;
        }
    }

    /** Surviving any one node: a spare node in each zone whose nodes hold pods tied to it ({@link #spareNodes}). */
    public static ZoneSurvival ofNode(DemandTable table) {
        return new ZoneSurvival(table);
    }

    private ZoneSurvival(DemandTable table) {
        if (table.zones() < 2) {
            throw new IllegalArgumentException("pods are tied to zones only over at least two zones");
        }
        this.table = table;
        this.named = table.zonePinned() != null;
        this.withoutZone = null;
        this.workload = null;
        this.strategies = null;
        this.seed = 0;
        this.mode = null;
        this.settings = null;
        this.below = null;
        this.lossChecks = null;
    }

    public ZoneSurvival(Workload workload, DemandTable table, List<PackingStrategies> strategies, long seed,
                        ShapeEvaluator.OptimizeMode mode, ShapeOptimizer.Settings settings) {
        if (table.zones() < 2) {
            throw new IllegalArgumentException("surviving a zone needs at least two zones");
        }
        this.table = table;
        this.named = table.zonePinned() != null;
        this.workload = workload;
        this.strategies = strategies;
        this.seed = seed;
        this.mode = mode;
        this.settings = settings;
        List<ShapeEvaluator> evaluators = new ArrayList<>();
        int zones = table.zones();
        for (int lost = named ? 0 : zones - 1; lost < zones; lost++) {
            evaluators.add(zonesLeft(workload, lost));
        }
        this.withoutZone = List.copyOf(evaluators);
        this.below = floorSkew(table.groups(), zones - 1, false);
        if (Arrays.stream(below).anyMatch(k -> k > 0)) {
            // Below minDomains in the zones left, a group's survivors hold more per zone than a fresh spread would: the check
            // counts the zone's room itself (below) over the groups without minDomains, as the verifier must not cap them.
            List<io.nodesizer.model.PodGroup> groups = new ArrayList<>();
            for (int g = 0; g < below.length; g++) {
                groups.add(below[g] > 0 ? workload.groups().get(g).withoutMinDomains() : workload.groups().get(g));
            }
            Workload checked = workload.withGroups(groups);
            List<ShapeEvaluator> checks = new ArrayList<>();
            for (int lost = named ? 0 : zones - 1; lost < zones; lost++) {
                checks.add(zonesLeft(checked, lost));
            }
            this.lossChecks = List.copyOf(checks);
        } else {
            this.lossChecks = withoutZone;
        }
    }

    /** Packings of more nodes than this keep a spare in every zone with tied pods, unchecked (each check verifies a whole packing). */
    static final int CHECKED_NODES = 200;

    /**
     * Surviving any one node with pods tied to zones: the cluster's own packing plus a spare node
     * in each zone whose nodes hold a tied pod (a lost node's tied pods need room in their own
     * zone; the others go anywhere, so one spare somewhere serves them: the busiest zone's when no
     * zone holds a tied pod). Nothing is left out. A zone goes without its spare where the loss of
     * each of its nodes is checked to be survived without it ({@link #fewerSpares}).
     */
    Need spareNodes(PackingResult packing) {
        int zones = table.zones();
        int[] out = perZone(packing, zones);
        boolean[] spare = new boolean[zones];
        boolean any = false;
        for (int g = 0; g < table.groupCount(); g++) {
            if (!tied(g)) {
                continue;
            }
            for (int i = 0; i < table.replicas(g); i++) {
                int node = packing.assignment()[table.firstPod(g) + i];
                if (node >= 0) {
                    spare[packing.zoneOf(node, zones)] = true;
                    any = true;
                }
            }
        }
        if (any) {
            spare = fewerSpares(packing, spare).kept();
        }
        int busiest = 0;
        for (int z = 0; z < zones; z++) {
            busiest = out[z] > out[busiest] ? z : busiest;
        }
        int[] perSpare = any ? sparesPerZone(packing) : null;
        for (int z = 0; z < zones; z++) {
            out[z] += spare[z] ? perSpare[z] : !any && z == busiest ? 1 : 0;
        }
        return new Need(box(out), 0);
    }

    /**
     * The spares a zone that keeps them needs: one, or more where a node holds more of a tied
     * workload's hard hostname spread than its maxSkew. While another node is empty (a spare of
     * another zone, or a second one here) kube-scheduler counts it as a domain with none, so one
     * empty spare takes at most maxSkew of them: 12 pods spread over 3 zones and the hostname
     * (maxSkew 1 each), two per node on 6 nodes, a spare in each zone: a lost node's first pod goes
     * to its zone's spare, the second has room nowhere (the spare would hold 2 against 0 on the
     * other spares, the other zones are 1 more than the fewest). ⌈pods on the node it selects /
     * maxSkew⌉ spares in the zone take them, each at most maxSkew while the fewest is 0. Safe, not
     * exact: a zone spread may let some go to another zone's spare (that zone at the fewest), which
     * is not tried (shared-spread on m5.xlarge: 8 nodes where 6 survive).
     */
    private int[] sparesPerZone(PackingResult packing) {
        int zones = table.zones();
        int groups = table.groupCount();
        int nodes = packing.nodeCount();
        int[] perNode = new int[nodes * groups];
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = packing.assignment()[table.firstPod(g) + i];
                if (node >= 0) {
                    perNode[node * groups + g]++;
                }
            }
        }
        int[] out = new int[zones];
        Arrays.fill(out, 1);
        for (int g = 0; g < groups; g++) {
            if (!tied(g)) {
                continue;
            }
            io.nodesizer.model.Placement own = table.group(g).placement();
            for (io.nodesizer.model.Placement.Spread sp : own.spread()) {
                if (!sp.hard() || !io.nodesizer.kube.PodConflicts.HOSTNAME.equals(sp.term().topologyKey())) {
                    continue;
                }
                for (int node = 0; node < nodes; node++) {
                    if (perNode[node * groups + g] == 0) {
                        continue;
                    }
                    int selected = 0;
                    for (int h = 0; h < groups; h++) {
                        if (perNode[node * groups + h] > 0
                                && io.nodesizer.kube.PodConflicts.matches(sp.term(), own.namespace(), table.group(h).placement())) {
                            selected += perNode[node * groups + h];
                        }
                    }
                    int z = packing.zoneOf(node, zones);
                    out[z] = Math.max(out[z], (selected + sp.maxSkew() - 1) / sp.maxSkew());
                }
            }
        }
        return out;
    }

    private boolean tied(int g) {
        return staysInZone(table, g);
    }

    /**
     * The zones that keep their spare: one zone (the home) keeps it, and each other zone with one
     * goes without where every node of it can be lost with its tied pods re-placed on the zone's
     * other nodes and its other pods on the home zone's spare ({@link #survivesLoss}). A zone that
     * keeps its spare loses nothing: the spare, in the same zone and of the same shape, takes the
     * lost node's pods as they were (enough spares for a hostname spread's maxSkew:
     * {@link #sparesPerZone}). The home that saves the most spares is taken (ties: the first
     * zone). Safe, not exact: a lost node's other pods are not tried in the free room. Mixed pools
     * ask the same of the zone-tied workloads' own nodes ({@link MixSizing}).
     */
    Spares fewerSpares(PackingResult packing, boolean[] spare) {
        return fewerSpares(packing, spare, null);
    }

    /** As {@link #fewerSpares(PackingResult, boolean[])}, with {@code beside} as in {@link #survivesLoss(PackingResult, int, int, long[])}. */
    Spares fewerSpares(PackingResult packing, boolean[] spare, long[] beside) {
        if (packing.nodeCount() > CHECKED_NODES) {
            return new Spares(spare, -1);
        }
        int zones = table.zones();
        boolean[] best = spare;
        int bestHome = -1;
        int bestCount = count(spare);
        java.util.Map<Long, Boolean> checked = new java.util.HashMap<>();
        for (int home = 0; home < zones; home++) {
            if (!spare[home]) {
                continue;
            }
            boolean[] kept = spare.clone();
            for (int z = 0; z < zones; z++) {
                final int h = home;
                boolean survives = z != home && spare[z];
                for (int node = 0; survives && node < packing.nodeCount(); node++) {
                    if (packing.zoneOf(node, zones) == z) {
                        final int lost = node;
                        survives = checked.computeIfAbsent((long) lost * zones + h, k -> survivesLoss(packing, lost, h, beside));
                    }
                }
                kept[z] &= !survives;
            }
            if (count(kept) < bestCount) {
                best = kept;
                bestHome = home;
                bestCount = count(kept);
            }
        }
        return new Spares(best, bestHome);
    }

    /**
     * The zones that keep their spare ({@code kept}), and the zone whose spare takes the other pods
     * of a lost node in the zones without one ({@code home}; -1 when every zone keeps its spare).
     */
    record Spares(boolean[] kept, int home) {
    }

    /**
     * Whether the cluster survives the loss of node {@code lost} without a spare in its zone: its
     * pods tied to their zone (none with a hard spread on the hostname) go, largest CPU first, to
     * the first other node of the zone with room on every resource and no pod that their hostname
     * anti-affinity or per-node cap turns away,
     * its other pods to an empty node in zone {@code home}, and the packing that results (the lost
     * node gone) must pass {@link PackingVerifier} under every rule: resources, GPU devices,
     * anti-affinity, co-location, hostname and zone spreads, shared spreads.
     */
    boolean survivesLoss(PackingResult packing, int lost, int home) {
        return survivesLoss(packing, lost, home, null);
    }

    /**
     * As {@link #survivesLoss(PackingResult, int, int)}, where the nodes also run {@code beside}
     * (per node of the packing, D resources; null for none): pods of other workloads that no rule
     * relates to these (a mix's drain put them there) and that go with the lost node to the spare.
     * Their requests take room from the tied pods re-placed; they are not in the packing verified.
     */
    boolean survivesLoss(PackingResult packing, int lost, int home, long[] beside) {
        int zones = table.zones();
        int nodes = packing.nodeCount();
        int zone = packing.zoneOf(lost, zones);
        int groups = table.groupCount();
        int[] a = packing.assignment().clone();
        long[] load = packing.nodeLoad().clone();
        int[] perNode = new int[nodes * groups]; // pods of each group per node
        List<int[]> moving = new ArrayList<>(); // {pod, group}
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = a[table.firstPod(g) + i];
                if (node == lost) {
                    moving.add(new int[] {table.firstPod(g) + i, g});
                } else if (node >= 0) {
                    perNode[node * groups + g]++;
                }
            }
        }
        moving.sort((x, y) -> Long.compare(table.demand(y[1], 0), table.demand(x[1], 0)));
        long[] cap = packing.problem().podCapacity();
        int spareNode = nodes; // before the lost node is taken out
        boolean spare = false;
        for (int[] m : moving) {
            int g = m[1];
            if (!tied(g)) {
                a[m[0]] = spareNode;
                spare = true;
                continue;
            }
            if (spreadsOnHostname(g)) {
                // kube-scheduler counts the empty spares as its domains, fewest 0, which the
                // verifier (that sees no empty node) does not: the pod is not moved, the zone keeps its spare
                return false;
            }
            int to = -1;
            for (int node = 0; node < nodes && to < 0; node++) {
                // Its hostname spreads sent it back above (spreadsOnHostname): any cap of its own is from anti-affinity.
                if (node != lost && packing.zoneOf(node, zones) == zone && ReplacementChecks.fits(table, load, beside, node, g, cap)
                        && ReplacementChecks.conflictFree(table, perNode, node, g, false)) {
                    to = node;
                }
            }
            if (to < 0) {
                return false;
            }
            a[m[0]] = to;
            perNode[to * groups + g]++;
            for (int r = 0; r < DemandTable.D; r++) {
                load[to * DemandTable.D + r] += table.demand(g, r);
            }
        }
        // The lost node taken out: the nodes after it move down one, the spare (when it takes pods) last.
        int left = spare ? nodes : nodes - 1;
        int[] nodeZones = new int[left];
        long[] nodeLoad = new long[left * DemandTable.D];
        for (int node = 0, k = 0; node < nodes || spare && node == nodes; node++) {
            if (node == lost) {
                continue;
            }
            nodeZones[k] = node == spareNode ? home : packing.zoneOf(node, zones);
            if (node < nodes) {
                System.arraycopy(load, node * DemandTable.D, nodeLoad, k * DemandTable.D, DemandTable.D);
            }
            k++;
        }
        for (int p = 0; p < a.length; p++) {
            a[p] = a[p] > lost ? a[p] - 1 : a[p];
            if (spare && a[p] == nodes - 1) {
                for (int r = 0; r < DemandTable.D; r++) {
                    nodeLoad[(nodes - 1) * DemandTable.D + r] += table.demand(groupOf(p), r);
                }
            }
        }
        return ReplacementChecks.passesVerifier(packing.problem(), packing.strategy(), left, a, nodeLoad, packing.unschedulable(),
                packing.lowerBound(), nodeZones);
    }

    private boolean spreadsOnHostname(int g) {
        for (io.nodesizer.model.Placement.Spread sp : table.group(g).placement().spread()) {
            if (sp.hard() && io.nodesizer.kube.PodConflicts.HOSTNAME.equals(sp.term().topologyKey())) {
                return true;
            }
        }
        return false;
    }

    private int groupOf(int pod) {
        int g = 0;
        while (g + 1 < table.groupCount() && table.firstPod(g + 1) <= pod) {
            g++;
        }
        return g;
    }

    private static int count(boolean[] b) {
        int n = 0;
        for (boolean x : b) {
            n += x ? 1 : 0;
        }
        return n;
    }

    /** Whether a pod of group g (of a table over the zones) must stay in its zone when its node is lost (or may go only to some zones). */
    static boolean staysInZone(DemandTable table, int g) {
        return table.zoneSkew() != null && table.zoneSkew()[g] > 0 || table.sharesZoneSpread() && table.sharedSpreads().constrainedOnZone(g)
                || table.zoneCoLocation().constrains(g)
                || table.zoneConflicts().repels(g) != null && !table.zoneConflicts().repelledEverywhere(g)
                || table.zonePinned() != null && table.zonePinned()[g];
    }

    /** What {@code shape} needs, given the cluster's own packing on it ({@code optimize} as that packing was made). */
    public Need need(NodeShape shape, PackingResult packing, boolean optimize) {
        if (withoutZone == null) {
            return spareNodes(packing);
        }
        int zones = table.zones();
        int[] own = perZone(packing, zones);
        int[][] running = runningPerZone(packing, zones);
        int[] floor = floorSkew(table.groups(), zones - 1, true);
        int[] shared = sharedBeyondOneZone(packing); // the same for every zone lost
        int[] below = floorSkew(table.groups(), zones - 1, false);
        boolean survivors = java.util.Arrays.stream(below).anyMatch(k -> k > 0);
        int leftOut = 0;
        if (!named) {
            PackingResult r = survivors ? withoutZone(shape, optimize, survivors(running, below, -1), below, zones - 1)
                    : withoutZone.get(0).evaluate(shape, optimize).best();
            for (int lost = 0; lost < zones; lost++) {
                leftOut = Math.max(leftOut, leftOutOnLoss(packing, r, lost, running, floor, shared));
            }
            int[] rest = perZone(r, zones - 1);
            Integer[] order = new Integer[zones];
            for (int z = 0; z < zones; z++) {
                order[z] = z;
            }
            // Largest zones of the cluster's own packing first (ties: the earlier zone): they take the largest needs.
            Arrays.sort(order, (a, b) -> own[a] != own[b] ? Integer.compare(own[b], own[a]) : Integer.compare(a, b));
            int[] need = rest.clone();
            Arrays.sort(need);
            int[] out = new int[zones];
            for (int i = 0; i < zones; i++) {
                int restNeed = need[need.length - 1 - Math.max(0, i - 1)]; // the largest for the two largest zones
                out[order[i]] = Math.max(own[order[i]], restNeed);
            }
            Played played = playLosses(shape, packing, out);
            return new Need(box(out), Math.max(leftOut, played.leftOut()), r.lowerBound().value(), played.unchecked());
        }
        int[] out = own.clone();
        int zonesLeftBound = Integer.MAX_VALUE;
        for (int lost = 0; lost < zones; lost++) {
            PackingResult r = survivors ? withoutZone(shape, optimize, survivors(running, below, lost), below, lost)
                    : withoutZone.get(lost).evaluate(shape, optimize).best();
            leftOut = Math.max(leftOut, leftOutOnLoss(packing, r, lost, running, floor, shared));
            zonesLeftBound = Math.min(zonesLeftBound, r.lowerBound().value()); // the zone lost is any one: the least holds
            int[] rest = perZone(r, zones - 1);
            for (int i = 0, y = 0; y < zones; y++) {
                if (y != lost) {
                    out[y] = Math.max(out[y], rest[i++]);
                }
            }
        }
        Played played = playLosses(shape, packing, out);
        return new Need(box(out), Math.max(leftOut, played.leftOut()), zonesLeftBound, played.unchecked());
    }

    /**
     * Each zone's loss played on the cluster as it runs ({@link ZoneLossReplacement}) with {@code out} nodes per zone: where
     * the survivors and the spares do not take the lost zone's pods, the zones get the nodes that do ({@code out} grows; again
     * until no loss asks for more, as a node added for one loss changes the room the others find).
     */
    private Played playLosses(NodeShape shape, PackingResult packing, int[] out) {
        int zones = table.zones();
        PackingProblem[] left = new PackingProblem[zones];
        int leftOut = 0;
        int unchecked = 0;
        for (int round = 0; round < PLAY_ROUNDS; round++) {
            boolean grew = false;
            leftOut = 0;
            unchecked = 0;
            for (int lost = 0; lost < zones; lost++) {
                if (left[lost] == null) {
                    left[lost] = lossChecks.get(named ? lost : 0).problem(shape);
                }
                ZoneLossReplacement.Outcome o = new ZoneLossReplacement(table, packing, lost, left[lost], below).play(out);
                leftOut = Math.max(leftOut, o.leftOut());
                unchecked += o.verified() ? 0 : 1;
                for (int z = 0; z < zones; z++) {
                    out[z] += o.added()[z];
                    grew |= o.added()[z] > 0;
                }
            }
            if (!grew) {
                break;
            }
        }
        return new Played(leftOut, unchecked);
    }

    /** What {@link #playLosses} finds: the most pods a loss leaves with no zone that admits them, and the losses not verified. */
    private record Played(int leftOut, int unchecked) {
    }

    /** Rounds of {@link #playLosses} at most (each only adds nodes; one more round rarely adds any). */
    private static final int PLAY_ROUNDS = 4;

    /**
     * The pods that stay Pending when zone {@code lost} is lost. Only the pods that ran there are
     * rescheduled: kube-scheduler places pending pods and never moves running ones, and
     * PodTopologySpread is checked for the incoming pod only (kubernetes/kubernetes
     * pkg/scheduler/framework/plugins/podtopologyspread/filtering.go @ v1.31.0, {@code Filter};
     * docs "Pod Topology Spread Constraints", Known limitations: "no guarantee that the constraints
     * remain satisfied when Pods are removed"). So a group loses at most the pods the zone ran:
     * <ul>
     *   <li>a group whose own hard zone spread counts the lost zone as a domain with none of its pods
     *   (its NotReady nodes under {@code nodeTaintsPolicy: Ignore}), or asks for more domains
     *   (minDomains) than the zones left ({@code floor}, {@link #floorSkew}): filtering.go's
     *   {@code minMatchNum} is then 0 ({@code preFilterState.minMatchNum}), so a lost pod goes to a
     *   zone left only while that zone's running pods of the group are fewer than maxSkew; the rest
     *   stay Pending, counted exactly here with the survivors where they run;</li>
     *   <li>any other group: the pods the packing without the zone leaves out beyond those the
     *   cluster leaves out anyway (a member per zone, pods pinned to the lost zone; the shared
     *   spreads' {@link #sharedBeyondOneZone}), at most the pods the zone ran.</li>
     * </ul>
     */
    private int leftOutOnLoss(PackingResult packing, PackingResult without, int lost, int[][] running, int[] floor, int[] shared) {
        int out = 0;
        for (int g = 0; g < table.groupCount(); g++) {
            int there = running[lost][g];
            if (there == 0) {
                continue;
            }
            int left;
            if (floor[g] > 0) {
                left = there - Math.min(there, room(running, g, floor[g], lost));
            } else {
                left = Math.max(0, unscheduled(without, g) - unscheduled(packing, g));
                left = Math.max(left, shared[g]);
            }
            out += Math.min(there, left);
        }
        return out;
    }

    /**
     * Per group, the pods that run in the zones left after losing zone {@code lost} (-1: the most over every zone lost, for
     * interchangeable zones): those that ran there and those of the lost zone the zones left take, for a group below its
     * spread's minDomains there ({@code below}, {@link #floorSkew}: a zone left takes one only while it runs fewer than
     * maxSkew); every replica of any other group. The packing of the zones left must hold these beside the lost zone's other
     * pods (review 49: a cap of maxSkew per zone left packed the survivors away, 8 nodes where the 4 left of them held 16
     * CPU against 21).
     */
    private int[] survivors(int[][] running, int[] below, int lost) {
        int zones = table.zones();
        int[] out = new int[table.groupCount()];
        for (int g = 0; g < out.length; g++) {
            if (below[g] == 0) {
                out[g] = table.replicas(g);
                continue;
            }
            int placed = 0;
            for (int y = 0; y < zones; y++) {
                placed += running[y][g];
            }
            for (int z = lost < 0 ? 0 : lost; z < (lost < 0 ? zones : lost + 1); z++) {
                out[g] = Math.max(out[g], placed - running[z][g] + Math.min(running[z][g], room(running, g, below[g], z)));
            }
        }
        return out;
    }

    /** The best packing of the workload with {@code survivors} replicas per group over the zones left after losing {@code lost} (named zones; any for counted). */
    private PackingResult withoutZone(NodeShape shape, boolean optimize, int[] survivors, int[] below, int lost) {
        List<io.nodesizer.model.PodGroup> groups = new ArrayList<>();
        for (int g = 0; g < survivors.length; g++) {
            // Every group kept, at least one pod (the table's group numbers are the cluster's: leftOutOnLoss reads them).
            io.nodesizer.model.PodGroup group = workload.groups().get(g);
            int n = Math.max(1, survivors[g]);
            io.nodesizer.model.PodGroup kept = n == group.replicas() ? group : group.withReplicas(n);
            // A group below its spread's minDomains in the zones left counts its survivors already (those running, and the lost
            // zone's that the zones left take): they run, so the zones-left packing must hold them all, not cap them at maxSkew
            // per zone (or in all, with one zone left) as a fresh scheduling of them would.
            groups.add(below[g] > 0 ? kept.withoutMinDomains() : kept);
        }
        return zonesLeft(workload.withGroups(groups), lost).evaluate(shape, optimize).best();
    }

    /** An evaluator of {@code w} over the zones left after losing zone {@code lost} (named zones; counted ones are alike). */
    private ShapeEvaluator zonesLeft(Workload w, int lost) {
        DemandTable without;
        if (table.zoneNames() != null) {
            List<String> names = new ArrayList<>(table.zoneNames());
            names.remove(lost);
            without = DemandTable.of(w, names);
        } else {
            without = DemandTable.of(w, table.zones() - 1);
        }
        return new ShapeEvaluator(without, w.daemonSets(), strategies, seed, mode, settings);
    }

    /**
     * How many of group {@code g}'s pods the zones other than {@code lost} take once the fewest counts as 0: each while it runs
     * fewer than {@code maxSkew} of them ({@code running} per zone and group).
     */
    private static int room(int[][] running, int g, int maxSkew, int lost) {
        int room = 0;
        for (int y = 0; y < running.length; y++) {
            room += y == lost ? 0 : Math.max(0, maxSkew - running[y][g]);
        }
        return room;
    }

    /** Per zone, per group of the table: the pods of the packing running there. */
    private int[][] runningPerZone(PackingResult packing, int zones) {
        int[][] n = new int[zones][table.groupCount()];
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; i < table.replicas(g); i++) {
                int node = packing.assignment()[table.firstPod(g) + i];
                if (node >= 0) {
                    n[packing.zoneOf(node, zones)][g]++;
                }
            }
        }
        return n;
    }

    /** Pods of group g that packing r (of a table with the same groups, maybe fewer replicas) leaves out. */
    private static int unscheduled(PackingResult r, int g) {
        DemandTable t = r.problem().table();
        int n = 0;
        for (int i = 0; i < t.replicas(g); i++) {
            n += r.assignment()[t.firstPod(g) + i] < 0 ? 1 : 0;
        }
        return n;
    }

    /**
     * Per group, the smallest maxSkew of its hard zone spreads that select only its own pods and,
     * once a zone is lost, count a domain with none of them; 0 for a group with none. Such a
     * domain is the lost zone itself: an outage does not delete its Node objects, which go NotReady
     * with the {@code node.kubernetes.io/unreachable} taints, and its pods, evicted, are
     * terminating, which PodTopologySpread does not count ({@code countPodsMatchSelector}); under
     * {@code nodeTaintsPolicy: Ignore}, the default, the tainted nodes still count as the zone's
     * domain (kubernetes/kubernetes#123019, #116978: "use nodeTaintsPolicy: Honor" for a dead zone), as under Honor for a pod
     * that tolerates the NoSchedule taint. Otherwise the domains are the {@code domains} zones
     * left, and a spread asking for more (minDomains) than those: below minDomains the fewest
     * counts as 0. Either way filtering.go's {@code minMatchNum} is 0 (as in {@link #leftOutOnLoss}),
     * so each zone left takes a pod of the group only while it runs fewer than maxSkew (QA 49c F1:
     * 9 api pods spread maxSkew 1 over 3 zones were taken as re-placed after a zone's loss; 3 stay
     * Pending).
     */
    static int[] floorSkew(List<io.nodesizer.model.PodGroup> groups, int domains, boolean lostZone) {
        int[] skew = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            io.nodesizer.model.Placement p = groups.get(g).placement();
            for (io.nodesizer.model.Placement.Spread s : p.spread()) {
                if (s.hard() && io.nodesizer.kube.PodConflicts.isZone(s.term().topologyKey())
                        && (s.minDomains() > domains || lostZone && lostZoneCounts(s, p))
                        && io.nodesizer.kube.PodConflicts.matches(s.term(), p.namespace(), p)
                        && !io.nodesizer.kube.PodConflicts.selectsOthers(s, g, groups)) {
                    skew[g] = skew[g] == 0 ? s.maxSkew() : Math.min(skew[g], s.maxSkew());
                }
            }
        }
        return skew;
    }

    /** The NoSchedule taint a lost zone's nodes get (the node lifecycle controller's, for an unreachable node). */
    static final io.nodesizer.model.Placement.Taint UNREACHABLE =
            new io.nodesizer.model.Placement.Taint("node.kubernetes.io/unreachable", "", "NoSchedule");

    /** Whether spread {@code s} of a pod of {@code p} counts a lost zone's NotReady nodes as a domain ({@link #floorSkew}). */
    static boolean lostZoneCounts(io.nodesizer.model.Placement.Spread s, io.nodesizer.model.Placement p) {
        return !s.honorsNodeTaints() || io.nodesizer.kube.NodeMatching.tolerated(p.tolerations(), UNREACHABLE);
    }

    /**
     * The needs of every evaluation, by shape name: shapes that pack alike ({@code packingKey})
     * are sized once, their packings taken from {@code packingOf}, on {@code threads} threads.
     */
    public java.util.Map<String, Need> needs(List<ShapeEvaluation> evaluations, java.util.function.Function<NodeShape, Object> packingKey,
                                             java.util.function.Function<ShapeEvaluation, PackingResult> packingOf, int threads,
                                             ProgressListener progress) {
        // The optimizer's packing can differ from the heuristics' on a twin: the key includes whether it ran.
        Parallel.Distinct<Need> own = Parallel.mapDistinct(evaluations.size(),
                i -> List.of(packingKey.apply(evaluations.get(i).shape()), evaluations.get(i).optimized()),
                i -> evaluations.get(i).packedNodes() == 0 ? null
                        : need(evaluations.get(i).shape(), packingOf.apply(evaluations.get(i)), evaluations.get(i).optimized()),
                threads, progress);
        java.util.Map<String, Need> out = new java.util.HashMap<>();
        for (int i = 0; i < evaluations.size(); i++) {
            if (own.of(i) != null) {
                out.put(evaluations.get(i).shape().name(), own.of(i));
            }
        }
        return out;
    }

    /**
     * Per group, with two zones (losing one leaves one, and a one-zone table has no spread rows),
     * for the spreads with minDomains above 1 counted over other workloads' pods too ({@link
     * io.nodesizer.engine.SharedSpreads}; a group's own are {@link #floorSkew}'s): in the zone left, a pod of the spreading group goes only
     * while the pods its selector matches number fewer than maxSkew (or at most maxSkew, for a
     * selector that does not match it). Conservatively, every other pod the selector matches is
     * taken as there first; the spreading group's pods beyond the room left are counted out.
     */
    private int[] sharedBeyondOneZone(PackingResult packing) {
        int[] out = new int[table.groupCount()];
        if (table.zones() != 2 || !table.sharesZoneSpread()) {
            return out;
        }
        List<io.nodesizer.model.PodGroup> groups = table.groups();
        for (int g = 0; g < table.groupCount(); g++) {
            io.nodesizer.model.Placement p = groups.get(g).placement();
            int most = 0;
            for (io.nodesizer.model.Placement.Spread sp : p.spread()) {
                if (!sp.hard() || sp.perRollout() || !io.nodesizer.kube.PodConflicts.isZone(sp.term().topologyKey()) || sp.minDomains() < 2
                        || !io.nodesizer.kube.PodConflicts.selectsOthers(sp, g, groups)
                        && io.nodesizer.kube.PodConflicts.matches(sp.term(), p.namespace(), p)) {
                    continue; // not binding with one zone left, or its own pods only (floorSkew counts those)
                }
                int others = 0;
                for (int h = 0; h < table.groupCount(); h++) {
                    if (h != g && io.nodesizer.kube.PodConflicts.matches(sp.term(), p.namespace(), groups.get(h).placement())) {
                        others += placed(packing, h);
                    }
                }
                boolean self = io.nodesizer.kube.PodConflicts.matches(sp.term(), p.namespace(), p);
                int room = self ? Math.max(0, sp.maxSkew() - others) : (others <= sp.maxSkew() ? Integer.MAX_VALUE : 0);
                most = Math.max(most, Math.max(0, placed(packing, g) - room));
            }
            out[g] = most;
        }
        return out;
    }

    private int placed(PackingResult packing, int g) {
        int n = 0;
        for (int i = 0; i < table.replicas(g); i++) {
            n += packing.assignment()[table.firstPod(g) + i] >= 0 ? 1 : 0;
        }
        return n;
    }

    private static int[] perZone(PackingResult r, int zones) {
        int[] n = new int[zones];
        for (int node = 0; node < r.nodeCount(); node++) {
            n[r.zoneOf(node, zones)]++;
        }
        return n;
    }

    private static List<Integer> box(int[] a) {
        return Arrays.stream(a).boxed().toList();
    }
}

package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.GpuDevices;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.VerificationException;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.kube.NodeLabels;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Mixed pools sized for the HA rules ({@code recommend --max-pools k} with {@code --survive} or a
 * control plane), as {@link HaSizing} sizes one shape: the mix is planned on the bare packings
 * ({@link MixPlanner}), then empty nodes are added until every pod still fits after the loss, and
 * the sized mix is compared with the best single shape sized by the same rules — the cheaper of
 * the two is the answer, so a mix whose pools each need their own spare can lose to one shape.
 *
 * <ul>
 *   <li>{@code --survive node}: the pods of a lost node go together onto an empty node that can
 *   take them all — its shape admits each pod (selectors, affinity, taints), its allocatable holds
 *   their requests on every resource next to its DaemonSets, its GPU devices hold their GPU
 *   shares and are of a model and vendor the GPU pods may use, and it is in the lost node's zone when that node runs pods tied to their zone. The
 *   pods once shared a node, so their rules among themselves (anti-affinity, caps per node,
 *   co-location) hold again. Empty nodes already there (padding to {@code --min-nodes-per-pool})
 *   count; the rest is the cheapest set of the mix's pool shapes that covers every node: one node
 *   of the largest pool often covers the other pools' nodes too, where one spare per pool would
 *   not be needed.</li>
 *   <li>{@code --survive zone}: nodes of a pool are identical and its pods were packed on
 *   {@code packed} of them, so each pool keeps at least {@code packed} nodes outside any one zone
 *   (the pool's nodes per zone counted as laid out, spares going to the zone with the fewest);
 *   the workloads zone rules tie to their zones, on nodes of their own in the mix, are sized zone
 *   by zone from a packing without each zone ({@link ZoneSurvival}).</li>
 *   <li>The control plane's cost is added to the mix's, as to every single shape's.</li>
 * </ul>
 */
public final class MixSizing {
    private MixSizing() {
    }

    /**
     * @param mix       the mix planned on the bare packings
     * @param rules     the HA rules (not bare)
     * @param ranked    the single-shape ranking sized by the same rules ({@link HaSizing#apply})
     * @param packingOf the packing behind an evaluation of {@code ranked}
     * @param zoned     the table the sweep packed with (its zones)
     * @return the sized mix, or the best sized single shape as a one-pool mix when that costs no more
     */
    public static MixPlanner.Mix size(MixPlanner.Mix mix, HaSizing.Rules rules, List<ShapeEvaluation> ranked,
                                      Function<ShapeEvaluation, PackingResult> packingOf, DemandTable zoned,
                                      List<PackingStrategies> strategies, long seed) {
        ShapeEvaluation single = ranked.stream().filter(e -> e.complete() && e.shape().hasPrice() && e.shape().pricePerHourUsd() > 0)
                .findFirst().orElse(null);
        boolean mixed = mix.pools().size() > 1 || mix.bestSingle() == null
                || !mix.pools().get(0).shape().name().equals(mix.bestSingle().shape().name());
        MixPlanner.Mix sized = mixed ? sizeMix(mix, rules, zoned, strategies, seed) : null;
        PackingResult singlePacking = null;
        if (single != null && MixPlanner.PLANNED.equals(mix.bestSingle() == null ? null : mix.bestSingle().strategy())
                && !(rules.survive() != HaSizing.Survive.NONE && rules.zoneTied())) {
            // The bare mix was measured against the best shape as the planner packs it (fewer nodes than the ranking's
            // heuristics); sized, it is too, where the sizing needs no zone-by-zone packing (review 67: --control-plane and
            // --survive node brought the ranking's 6 nodes back, "saving 18.18 %" where 2.5 % was said bare).
            PackingResult heuristic = packingOf.apply(single);
            PackingResult alone = MixPlanner.packedAlone(heuristic.problem(), heuristic, single.packedNodes(),
                    new io.nodesizer.pattern.MixedPools.Settings(1, mix.minNodesPerPool(), 1, io.nodesizer.pattern.PatternPacking.Limits.defaults()));
            if (alone != null) {
                ShapeEvaluation planned = MixPlanner.planned(single, alone, single.daemonSetLoad()).withSizing(new HaSizing.Sized(alone.nodeCount(), HaSizing.nodes(alone.nodeCount(), rules), rules));
                if (planned.costPerHour() < single.costPerHour() - 1e-9) {
                    single = planned;
                    singlePacking = alone;
                }
            }
        }
        if (sized == null || single != null && single.costPerHour() <= sized.costPerHour() + 1e-9) {
            if (single == null) {
                throw new IllegalStateException("a mix that cannot be sized needs a single shape to fall back on");
            }
            singlePacking = singlePacking != null ? singlePacking : packingOf.apply(single);
            sized = asMix(single, singlePacking, mix, rules);
        } else if (single != null) {
            sized = withBestSingle(sized, single);
        }
        MixPlanner.verify(sized, zoned);
        verifySurvival(sized, rules, tiedGroups(rules, zoned), restOnOwnNodes(sized, zoned), lossWithoutZoneSpare(sized, zoned, singlePacking));
        return sized;
    }

    /**
     * The groups whose pods stay in their zone when their node is lost (none without such rules): the
     * same rule as for one shape ({@link ZoneSurvival#staysInZone}); a pod that only others' zone
     * affinity targets may move (the scheduler checks affinity when it places a pod, not after).
     */
    private static BitSet tiedGroups(HaSizing.Rules rules, DemandTable zoned) {
        BitSet out = new BitSet();
        for (int g = 0; rules.zoneTied() && zoned != null && g < zoned.groupCount(); g++) {
            out.set(g, ZoneSurvival.staysInZone(zoned, g));
        }
        return out;
    }

    /**
     * Per node, whether it is one of the zone-tied workloads' own nodes and also runs pods of the
     * other workloads (the drain put them in its room: {@link MixDrain}). ZoneSurvival sizes the own
     * nodes for the tied pods alone, so these pods are counted with their pool's other nodes: they
     * fit one node of the pool's shape, as they shared one.
     */
    static boolean[] restOnOwnNodes(MixPlanner.Mix mix, DemandTable zoned) {
        boolean[] out = new boolean[mix.nodes()];
        if (mix.tied().isEmpty() || zoned == null) {
            return out;
        }
        BitSet part = MixPlanner.zoneTied(zoned);
        DemandTable table = mix.table();
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; !part.get(g) && i < table.replicas(g); i++) {
                int node = mix.assignment()[table.firstPod(g) + i];
                out[node] |= own(mix, node);
            }
        }
        return out;
    }

    /** Whether a node of the mix is one of the zone-tied workloads' own nodes (sized by {@link ZoneSurvival} for a zone's loss). */
    private static boolean own(MixPlanner.Mix mix, int node) {
        return mix.tied().stream().anyMatch(t -> t.owns(node));
    }

    /** The mix with its spare nodes added; null when it cannot be sized here (zone-tied pods sharing nodes with the rest). */
    private static MixPlanner.Mix sizeMix(MixPlanner.Mix mix, HaSizing.Rules rules, DemandTable zoned, List<PackingStrategies> strategies,
                                          long seed) {
        Nodes nodes = Nodes.of(mix, tiedGroups(rules, zoned));
        List<int[]> spares = new ArrayList<>(); // {pool, zone}
        int leftOut = 0;
        switch (rules.survive()) {
            case NODE -> spares = nodeSpares(mix, nodes, zoned);
            case ZONE -> {
                spares = zoneSpares(mix, nodes, rules.zones(), restOnOwnNodes(mix, zoned));
                if (mix.tied().isEmpty() && nodes.anyTied()) {
                    return null; // the planned mix is one shape's packing, its tied pods among the rest: sized as that shape
                }
                for (MixPlanner.TiedPart tied : mix.tied()) {
                    // Each part on nodes of its own, no rule linking it to the others: each is sized for the loss alone.
                    ZoneSurvival.Need need = new ZoneSurvival(tied.workload(), tied.table(), strategies, seed,
                            ShapeEvaluator.OptimizeMode.OFF, ShapeOptimizer.Settings.defaults())
                            .need(mix.pools().get(mix.nodeShape()[tied.firstNode()]).shape(), tied.packing(), false);
                    int pool = mix.nodeShape()[tied.firstNode()];
                    int[] own = new int[rules.zones()];
                    for (int i = 0; i < tied.packing().nodeCount(); i++) {
                        own[nodes.zone(tied.firstNode() + i)]++;
                    }
                    for (int z = 0; z < own.length; z++) {
                        for (int k = own[z]; k < need.nodesPerZone().get(z); k++) {
                            spares.add(new int[]{pool, z});
                        }
                    }
                    leftOut += need.podsLeftOut();
                }
            }
            default -> {
            }
        }
        return withSpares(mix, rules, spares, leftOut);
    }

    /**
     * Per node of a mix: its pods' requests, GPU shares and groups, its zone, and whether it runs
     * pods tied to their zone.
     */
    private record Nodes(long[] load, List<List<Long>> gpus, List<BitSet> groups, int[] pods, boolean[] tied, int[] zones) {
        static Nodes of(MixPlanner.Mix mix, BitSet tiedGroups) {
            DemandTable table = mix.table();
            int n = mix.nodes();
            int d = Resource.COUNT;
            long[] load = new long[n * d];
            List<List<Long>> gpus = new ArrayList<>();
            List<BitSet> groups = new ArrayList<>();
            for (int node = 0; node < n; node++) {
                gpus.add(new ArrayList<>());
                groups.add(new BitSet());
            }
            int[] pods = new int[n];
            boolean[] tied = new boolean[n];
            for (int g = 0; g < table.groupCount(); g++) {
                long[] request = table.group(g).request().toArray();
                for (int i = 0; i < table.replicas(g); i++) {
                    int node = mix.assignment()[table.firstPod(g) + i];
                    pods[node]++;
                    groups.get(node).set(g);
                    tied[node] |= tiedGroups.get(g);
                    for (int r = 0; r < d; r++) {
                        load[node * d + r] += request[r];
                    }
                    if (request[Resource.GPU.ordinal()] > 0) {
                        gpus.get(node).add(request[Resource.GPU.ordinal()]);
                    }
                }
            }
            int[] zones = new int[n];
            for (int node = 0; node < n; node++) {
                zones[node] = mix.nodeZones() == null ? 0 : mix.nodeZones()[node];
            }
            return new Nodes(load, gpus, groups, pods, tied, zones);
        }

        int count() {
            return pods.length;
        }

        int zone(int node) {
            return zones[node];
        }

        boolean anyTied() {
            for (boolean t : tied) {
                if (t) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Whether an empty node of {@code shape} (with {@code dsLoad} of DaemonSets) takes every pod of
     * {@code node}: admitted by the shape, within its allocatable, on its GPU devices of a model and
     * vendor each GPU pod may use.
     */
    private static boolean takes(MixPlanner.Mix mix, Nodes nodes, int node, MixPlanner.Pool pool, Map<String, String> labels) {
        NodeShape shape = pool.shape();
        long[] alloc = shape.allocatable().toArray();
        long[] ds = pool.daemonSetLoad().toArray();
        int d = Resource.COUNT;
        for (int r = 0; r < d; r++) {
            if (nodes.load()[node * d + r] + ds[r] > alloc[r]) {
                return false;
            }
        }
        for (int g = nodes.groups().get(node).nextSetBit(0); g >= 0; g = nodes.groups().get(node).nextSetBit(g + 1)) {
            if (!mix.table().group(g).gpusServedBy(shape) || NodeMatching.onShape(mix.table().group(g).placement(), shape, labels) != null) {
                return false;
            }
        }
        List<Long> shares = nodes.gpus().get(node);
        return shares.isEmpty() || GpuDevices.assign(shares.stream().mapToLong(Long::longValue).toArray(),
                GpuDevices.count(alloc[Resource.GPU.ordinal()] - ds[Resource.GPU.ordinal()])) != null;
    }

    /** takes() for every node and pool: [pool][node]. */
    private static boolean[][] takesTable(MixPlanner.Mix mix, Nodes nodes) {
        boolean[][] out = new boolean[mix.pools().size()][nodes.count()];
        for (int p = 0; p < out.length; p++) {
            MixPlanner.Pool pool = mix.pools().get(p);
            Map<String, String> labels = NodeLabels.of(pool.shape());
            for (int node = 0; node < nodes.count(); node++) {
                out[p][node] = nodes.pods()[node] > 0 && takes(mix, nodes, node, pool, labels);
            }
        }
        return out;
    }

    /**
     * {@code --survive node}: the spares (pool, zone) that, with the empty nodes already there,
     * leave every node's pods an empty node to go to — in its own zone for nodes with zone-tied
     * pods (a spare per such zone, the pool that covers most of its nodes per dollar first), then
     * the cheapest set of pool shapes for the other nodes, each spare in the zone where its pool
     * has the fewest nodes. As for one shape ({@link ZoneSurvival#fewerSpares}), a zone of the
     * zone-tied workloads' own nodes goes without its spare where the loss of each of its nodes is
     * checked to be survived: its tied pods re-placed on the zone's other own nodes, its other pods
     * on an empty node in the home zone of a pool that takes all its pods ({@link #spareZones});
     * the cheaper of the two sets of spares is kept (ties: fewer spares, then every zone its own).
     */
    private static List<int[]> nodeSpares(MixPlanner.Mix mix, Nodes nodes, DemandTable zoned) {
        List<int[]> own = nodeSpares(mix, nodes, nodes.zones());
        int[] home = spareZones(mix, nodes, zoned);
        if (home == null) {
            return own;
        }
        List<int[]> fewer = nodeSpares(mix, nodes, home);
        double ownCost = cost(mix, own);
        double fewerCost = cost(mix, fewer);
        return fewerCost < ownCost - 1e-9 || fewerCost < ownCost + 1e-9 && fewer.size() < own.size() ? fewer : own;
    }

    private static double cost(MixPlanner.Mix mix, List<int[]> spares) {
        double c = 0;
        for (int[] s : spares) {
            c += mix.pools().get(s[0]).shape().pricePerHourUsd();
        }
        return c;
    }

    /**
     * Per node, the zone where an empty node must take its pods when it is lost (for nodes without
     * zone-tied pods, any zone does): its own, or, for the zone-tied workloads' own nodes in a zone
     * that goes without its spare, the home zone whose spare takes their other pods ({@link
     * ZoneSurvival#fewerSpares} on the tied part's packing, a single shape's: PackingVerifier checks
     * each loss under every rule; the other workloads' pods a drain put on its nodes take their
     * room and go to the spare: {@link #besideTiedPart}). Each tied part is taken alone (its own
     * nodes, no rule linking it to another part's pods). Null when no zone goes without.
     */
    private static int[] spareZones(MixPlanner.Mix mix, Nodes nodes, DemandTable zoned) {
        int[] out = nodes.zones().clone();
        boolean any = false;
        for (MixPlanner.TiedPart tied : mix.tied()) {
            long[] beside = besideTiedPart(mix, tied, zoned);
            if (beside == null || !laidOutAsPacked(tied, nodes)) {
                continue; // unchecked: its nodes keep a spare in their own zones
            }
            PackingResult packing = tied.packing();
            boolean[] spare = new boolean[tied.table().zones()];
            for (int i = 0; i < packing.nodeCount(); i++) {
                int node = tied.firstNode() + i;
                spare[nodes.zone(node)] |= nodes.tied()[node];
            }
            ZoneSurvival.Spares kept = ZoneSurvival.ofNode(tied.table()).fewerSpares(packing, spare, beside);
            if (kept.home() < 0) {
                continue;
            }
            for (int i = 0; i < packing.nodeCount(); i++) {
                int node = tied.firstNode() + i;
                out[node] = kept.kept()[out[node]] ? out[node] : kept.home();
            }
            any = true;
        }
        return any ? out : null;
    }

    /** Whether the mix put each of the part's own nodes in the zone its packing gave it (else its losses are not checked here). */
    private static boolean laidOutAsPacked(MixPlanner.TiedPart tied, Nodes nodes) {
        for (int i = 0; i < tied.packing().nodeCount(); i++) {
            if (tied.packing().zoneOf(i, tied.table().zones()) != nodes.zone(tied.firstNode() + i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Per node of a zone-tied part's packing (D resources each), the requests of the other
     * workloads' pods a drain put there ({@link MixDrain}); null when the part is not over
     * two zones or more, or such a pod requests a GPU (the part's device check does not see it).
     */
    private static long[] besideTiedPart(MixPlanner.Mix mix, MixPlanner.TiedPart tied, DemandTable zoned) {
        if (zoned == null || tied.table().zones() < 2) {
            return null;
        }
        int d = DemandTable.D;
        long[] out = new long[tied.packing().nodeCount() * d];
        BitSet part = MixPlanner.zoneTied(zoned);
        DemandTable table = mix.table();
        for (int g = part.nextClearBit(0); g < table.groupCount(); g = part.nextClearBit(g + 1)) {
            long[] request = table.group(g).request().toArray();
            for (int i = 0; i < table.replicas(g); i++) {
                int node = mix.assignment()[table.firstPod(g) + i] - tied.firstNode();
                if (node < 0 || node >= tied.packing().nodeCount()) {
                    continue;
                }
                if (request[Resource.GPU.ordinal()] > 0) {
                    return null;
                }
                for (int r = 0; r < d; r++) {
                    out[node * d + r] += request[r];
                }
            }
        }
        return out;
    }

    /** The spares for {@code spareZone}: per node, the zone an empty node taking its zone-tied pods must be in. */
    private static List<int[]> nodeSpares(MixPlanner.Mix mix, Nodes nodes, int[] spareZone) {
        boolean[][] takes = takesTable(mix, nodes);
        int n = nodes.count();
        int pools = mix.pools().size();
        int zones = 1;
        for (int node = 0; node < n; node++) {
            zones = Math.max(zones, nodes.zone(node) + 1);
        }
        boolean[] covered = new boolean[n];
        for (int e = 0; e < n; e++) {
            if (nodes.pods()[e] == 0) {
                cover(covered, takes[mix.nodeShape()[e]], nodes, spareZone, nodes.zone(e));
            }
        }
        for (int node = 0; node < n; node++) {
            covered[node] |= nodes.pods()[node] == 0;
        }
        int[] perPoolZone = new int[pools * Math.max(zones, 1)];
        for (int node = 0; node < n; node++) {
            perPoolZone[mix.nodeShape()[node] * zones + nodes.zone(node)]++;
        }
        List<int[]> spares = new ArrayList<>();
        for (int z = 0; z < zones; z++) {
            final int zone = z;
            while (true) {
                int best = mostPerDollar(mix, p -> {
                    int k = 0;
                    for (int node = 0; node < n; node++) {
                        k += !covered[node] && nodes.tied()[node] && spareZone[node] == zone && takes[p][node] ? 1 : 0;
                    }
                    return k;
                });
                if (best < 0) {
                    break; // every tied node of the zone is covered (each node's own pool takes it, so none is left)
                }
                spares.add(new int[]{best, z});
                perPoolZone[best * zones + z]++;
                cover(covered, takes[best], nodes, spareZone, z);
            }
        }
        List<Integer> open = new ArrayList<>();
        for (int node = 0; node < n; node++) {
            if (!covered[node]) {
                open.add(node); // tied nodes are all covered by now: any zone will do
            }
        }
        if (open.isEmpty()) {
            return spares;
        }
        for (int p : cheapestCover(mix, takes, open)) {
            int z = 0;
            for (int y = 1; y < zones; y++) {
                z = perPoolZone[p * zones + y] < perPoolZone[p * zones + z] ? y : z;
            }
            perPoolZone[p * zones + z]++;
            spares.add(new int[]{p, z});
        }
        return spares;
    }

    /** Marks the nodes an empty node of a pool ({@code takes} its row) in zone z covers: any untied node, tied ones whose spare goes in z. */
    private static void cover(boolean[] covered, boolean[] takes, Nodes nodes, int[] spareZone, int z) {
        for (int node = 0; node < covered.length; node++) {
            if (takes[node] && (!nodes.tied()[node] || spareZone[node] == z)) {
                covered[node] = true;
            }
        }
    }

    /**
     * The cheapest set of pools (one spare node each) whose shapes take every open node: every
     * subset for up to 12 pools (ties: fewer spares, then the earlier pools), else greedily by
     * nodes covered per dollar. Each node's own pool takes it, so all pools together always do.
     */
    private static List<Integer> cheapestCover(MixPlanner.Mix mix, boolean[][] takes, List<Integer> open) {
        int pools = takes.length;
        List<Integer> out = new ArrayList<>();
        if (pools <= 12) {
            int bestMask = (1 << pools) - 1;
            double bestCost = Double.MAX_VALUE;
            for (int mask = 1; mask < 1 << pools; mask++) {
                double cost = 0;
                for (int p = 0; p < pools; p++) {
                    cost += (mask >> p & 1) != 0 ? mix.pools().get(p).shape().pricePerHourUsd() : 0;
                }
                boolean better = cost < bestCost - 1e-9
                        || cost < bestCost + 1e-9 && Integer.bitCount(mask) < Integer.bitCount(bestMask);
                if (better && covers(takes, open, mask)) {
                    bestMask = mask;
                    bestCost = cost;
                }
            }
            for (int p = 0; p < pools; p++) {
                if ((bestMask >> p & 1) != 0) {
                    out.add(p);
                }
            }
            return out;
        }
        List<Integer> left = new ArrayList<>(open);
        while (!left.isEmpty()) {
            final int chosen = mostPerDollar(mix, p -> (int) left.stream().filter(node -> takes[p][node]).count());
            out.add(chosen);
            left.removeIf(node -> takes[chosen][node]);
        }
        return out;
    }

    /** The pool whose spare covers the most nodes ({@code covered} per pool) per dollar, the first of equals; -1 when none covers any. */
    private static int mostPerDollar(MixPlanner.Mix mix, java.util.function.IntUnaryOperator covered) {
        int best = -1;
        double bestRate = 0;
        for (int p = 0; p < mix.pools().size(); p++) {
            int k = covered.applyAsInt(p);
            double rate = k / mix.pools().get(p).shape().pricePerHourUsd();
            if (k > 0 && (best < 0 || rate > bestRate + 1e-12)) {
                best = p;
                bestRate = rate;
            }
        }
        return best;
    }

    private static boolean covers(boolean[][] takes, List<Integer> open, int mask) {
        for (int node : open) {
            boolean any = false;
            for (int p = 0; p < takes.length && !any; p++) {
                any = (mask >> p & 1) != 0 && takes[p][node];
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /**
     * {@code --survive zone}, for the nodes that run no zone-tied pod: per pool, spares in the zone
     * with the fewest of the pool's such nodes until losing any zone leaves as many as the pool's
     * nodes with pods (its packing).
     */
    private static List<int[]> zoneSpares(MixPlanner.Mix mix, Nodes nodes, int zones, boolean[] restOnOwn) {
        List<int[]> spares = new ArrayList<>();
        for (int p = 0; p < mix.pools().size(); p++) {
            int[] perZone = new int[zones];
            int packed = 0;
            int total = 0;
            for (int node = 0; node < nodes.count(); node++) {
                if (mix.nodeShape()[node] == p && !own(mix, node)) {
                    perZone[nodes.zone(node)]++;
                    packed += nodes.pods()[node] > 0 ? 1 : 0;
                    total++;
                } else if (mix.nodeShape()[node] == p && restOnOwn[node]) {
                    packed++; // the other workloads' pods on a zone-tied node: a node's worth of room for them, outside the lost zone
                }
            }
            while (total - max(perZone) < packed) {
                int z = 0;
                for (int y = 1; y < zones; y++) {
                    z = perZone[y] < perZone[z] ? y : z;
                }
                perZone[z]++;
                total++;
                spares.add(new int[]{p, z});
            }
        }
        return spares;
    }

    private static int max(int[] a) {
        int m = 0;
        for (int v : a) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** The mix with {@code spares} ({pool, zone}) appended as empty nodes, named on from each pool's last. */
    private static MixPlanner.Mix withSpares(MixPlanner.Mix mix, HaSizing.Rules rules, List<int[]> spares, int leftOut) {
        int n = mix.nodes();
        int[] nodeShape = java.util.Arrays.copyOf(mix.nodeShape(), n + spares.size());
        int[] nodeZones = mix.nodeZones() == null ? null : java.util.Arrays.copyOf(mix.nodeZones(), n + spares.size());
        int[] added = new int[mix.pools().size()];
        List<String> names = new ArrayList<>(mix.nodeNames());
        double spareCost = 0;
        for (int i = 0; i < spares.size(); i++) {
            int p = spares.get(i)[0];
            nodeShape[n + i] = p;
            if (nodeZones != null) {
                nodeZones[n + i] = spares.get(i)[1];
            }
            MixPlanner.Pool pool = mix.pools().get(p);
            names.add(pool.shape().name() + "-" + (pool.nodes() + added[p]++));
            spareCost += pool.shape().pricePerHourUsd();
        }
        List<MixPlanner.Pool> pools = new ArrayList<>();
        for (int p = 0; p < mix.pools().size(); p++) {
            MixPlanner.Pool pool = mix.pools().get(p);
            pools.add(new MixPlanner.Pool(pool.shape(), pool.nodes() + added[p], pool.daemonSetLoad(), added[p]));
        }
        MixPlanner.Sizing sizing = new MixPlanner.Sizing(rules, mix.costPerHour(), spareCost, leftOut);
        double cost = mix.costPerHour() + spareCost + sizing.controlPlaneCostPerHour();
        return new MixPlanner.Mix(pools, cost, mix.lowerBoundCostPerHour(), mix.savingPercent(), mix.bestSingle(), mix.candidates(),
                mix.maxPools(), mix.minNodesPerPool(), names, nodeShape, mix.assignment(), mix.table(), nodeZones, mix.tied(), sizing);
    }

    /** The sized mix compared with the best single shape sized by the same rules. */
    private static MixPlanner.Mix withBestSingle(MixPlanner.Mix mix, ShapeEvaluation single) {
        double saving = 100.0 * (single.costPerHour() - mix.costPerHour()) / single.costPerHour();
        return new MixPlanner.Mix(mix.pools(), mix.costPerHour(), mix.lowerBoundCostPerHour(), saving, single, mix.candidates(),
                mix.maxPools(), mix.minNodesPerPool(), mix.nodeNames(), mix.nodeShape(), mix.assignment(), mix.table(), mix.nodeZones(),
                mix.tied(), mix.sizing());
    }

    /**
     * The best single shape, sized by the rules, as a one-pool mix: its packing's nodes, then the
     * empty ones its sizing added — in the zones its sizing names ({@code nodesPerZone}), else on
     * round-robin.
     */
    private static MixPlanner.Mix asMix(ShapeEvaluation single, PackingResult packing, MixPlanner.Mix planned, HaSizing.Rules rules) {
        int zones = rules.zones();
        int packed = packing.nodeCount();
        int total = single.nodes();
        int[] nodeShape = new int[total];
        int[] nodeZones = planned.nodeZones() == null && zones < 2 ? null : new int[total];
        List<String> names = new ArrayList<>();
        for (int node = 0; node < total; node++) {
            names.add(single.shape().name() + "-" + node);
        }
        if (nodeZones != null) {
            int[] deficit = new int[zones];
            List<Integer> perZone = single.sizing() == null ? null : single.sizing().nodesPerZone();
            for (int node = 0; node < packed; node++) {
                nodeZones[node] = packing.zoneOf(node, zones);
                deficit[nodeZones[node]]--;
            }
            for (int z = 0; perZone != null && z < zones; z++) {
                deficit[z] += perZone.get(z);
            }
            for (int node = packed, z = 0; node < total; node++) {
                while (perZone != null && z < zones && deficit[z] <= 0) {
                    z++;
                }
                // Round-robin past what the sizing names per zone (its counts add up to the nodes, so only without them).
                nodeZones[node] = perZone == null || z == zones ? node % zones : z;
                if (perZone != null && z < zones) {
                    deficit[z]--;
                }
            }
        }
        double price = single.shape().pricePerHourUsd();
        int planned1 = Math.max(packed, rules.minNodes());
        double controlPlane = rules.controlPlane() == null ? 0 : rules.controlPlane().costPerHour();
        MixPlanner.Sizing sizing = new MixPlanner.Sizing(rules, price * planned1, price * (total - planned1),
                single.sizing() == null ? 0 : single.sizing().podsLeftOutAfterZoneLoss());
        List<MixPlanner.Pool> pools = List.of(new MixPlanner.Pool(single.shape(), total, single.daemonSetLoad(), total - planned1));
        return new MixPlanner.Mix(pools, price * total + controlPlane, Math.min(planned.lowerBoundCostPerHour(), price * planned1), 0.0,
                single, planned.candidates(), planned.maxPools(), planned.minNodesPerPool(), names, nodeShape, packing.assignment(),
                planned.table(), nodeZones, null, sizing);
    }

    /**
     * Whether losing node {@code node} of a sized mix is survived with no spare in its zone, the
     * spare of zone {@code home} taking its other pods: the zone-tied part's or the single shape's
     * packing ({@code singlePacking}, the one-pool mix's first nodes) re-placed and verified by
     * {@link ZoneSurvival#survivesLoss}, the other workloads' pods on the part's nodes taking their
     * room; false for any other node.
     */
    private static java.util.function.BiPredicate<Integer, Integer> lossWithoutZoneSpare(MixPlanner.Mix mix, DemandTable zoned,
                                                                                         PackingResult singlePacking) {
        if (!mix.tied().isEmpty()) {
            List<java.util.function.BiPredicate<Integer, Integer>> parts = new ArrayList<>();
            for (MixPlanner.TiedPart tied : mix.tied()) {
                long[] beside = besideTiedPart(mix, tied, zoned);
                if (beside != null) {
                    ZoneSurvival survival = ZoneSurvival.ofNode(tied.table());
                    parts.add((node, home) -> tied.owns(node) && survival.survivesLoss(tied.packing(), node - tied.firstNode(), home, beside));
                }
            }
            if (!parts.isEmpty()) {
                return (node, home) -> parts.stream().anyMatch(p -> p.test(node, home));
            }
        }
        if (singlePacking != null && singlePacking.problem().table().zones() >= 2 && singlePacking.problem().table().tiesPodsToZones()) {
            ZoneSurvival survival = ZoneSurvival.ofNode(singlePacking.problem().table());
            return (node, home) -> node < singlePacking.nodeCount() && survival.survivesLoss(singlePacking, node, home);
        }
        return (node, home) -> false;
    }

    /**
     * Checks the sized mix on its own nodes: with {@code --survive node}, every node's pods have an
     * empty node to go to (in their zone when tied to it, unless {@code withoutZoneSpare} checks
     * the loss survived with its tied pods on the zone's other nodes and the rest on that empty
     * node); with {@code --survive zone}, every pool
     * keeps, outside any one zone, as many of its nodes that run no zone-tied pod as hold pods
     * (the tied ones are sized by {@link ZoneSurvival}, checked by its own tests).
     */
    static void verifySurvival(MixPlanner.Mix mix, HaSizing.Rules rules, BitSet tiedGroups, boolean[] restOnOwn,
                               java.util.function.BiPredicate<Integer, Integer> withoutZoneSpare) {
        if (mix.pools().size() == 1 && mix.tied().isEmpty() && rules.zoneTied() && rules.survive() == HaSizing.Survive.ZONE) {
            return; // one shape sized zone by zone (ZoneSurvival): its packing's tied and other pods share nodes
        }
        Nodes nodes = Nodes.of(mix, tiedGroups);
        if (rules.survive() == HaSizing.Survive.NODE) {
            boolean[][] takes = takesTable(mix, nodes);
            for (int node = 0; node < nodes.count(); node++) {
                if (nodes.pods()[node] == 0) {
                    continue;
                }
                boolean ok = false;
                for (int e = 0; e < nodes.count() && !ok; e++) {
                    ok = nodes.pods()[e] == 0 && takes[mix.nodeShape()[e]][node]
                            && (!nodes.tied()[node] || nodes.zone(e) == nodes.zone(node) || withoutZoneSpare.test(node, nodes.zone(e)));
                }
                if (!ok) {
                    fail("losing node " + mix.nodeNames().get(node) + " leaves its pods no empty node to go to"
                            + (nodes.tied()[node] ? " in its zone" : ""));
                }
            }
        } else if (rules.survive() == HaSizing.Survive.ZONE) {
            for (int p = 0; p < mix.pools().size(); p++) {
                for (int lost = 0; lost < rules.zones(); lost++) {
                    int survivors = 0;
                    int packed = 0;
                    for (int node = 0; node < nodes.count(); node++) {
                        if (mix.nodeShape()[node] == p && !own(mix, node)) {
                            survivors += nodes.zone(node) != lost ? 1 : 0;
                            packed += nodes.pods()[node] > 0 ? 1 : 0;
                        } else if (mix.nodeShape()[node] == p && restOnOwn[node]) {
                            packed++;
                        }
                    }
                    if (survivors < packed) {
                        fail("losing zone " + lost + " leaves pool " + mix.pools().get(p).shape().name() + " " + survivors
                                + " nodes for pods packed on " + packed);
                    }
                }
            }
        }
    }

    private static void fail(String what) {
        throw new VerificationException("Mixed-pool sizing check failed: " + what + ". This is a bug in nodesizer; please report it "
                + "with the input.");
    }
}

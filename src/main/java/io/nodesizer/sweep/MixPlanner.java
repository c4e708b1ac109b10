package io.nodesizer.sweep;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.VerificationException;
import io.nodesizer.kube.DaemonSetPlacement;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;
import io.nodesizer.model.Workload;
import io.nodesizer.pattern.MixedPools;

import java.util.ArrayList;
import java.util.List;

/**
 * Mixed pools for {@code recommend --max-pools k}: up to k shapes from the priced candidates, in
 * the order of the single-shape ranking, starting from the best single shape (so the mix never
 * costs more), verified pod by pod against each node's allocatable.
 */
public final class MixPlanner {
    private MixPlanner() {
    }

    /**
     * The strategy of the best single shape as the planner packed it alone, where that took fewer
     * nodes than the ranking's packing: the mix's baseline then ({@link #plan}).
     */
    public static final String PLANNED = "mixed-pool planner";

    /**
     * No mix places every pod because pod rules leave some out on every candidate (more members
     * with anti-affinity on the zone than zones, say): an answer about the workload, not a mistake
     * in the input, so the single-shape ranking stands with a note.
     */
    public static final class NoMix extends IllegalArgumentException {
        NoMix(String message) {
            super(message);
        }
    }

    /**
     * One pool of the mix: a shape, how many nodes, and what its DaemonSets take per node.
     *
     * @param headroomNodes of {@code nodes}, the empty ones added for {@code --survive} ({@link MixSizing})
     */
    public record Pool(NodeShape shape, int nodes, Resources daemonSetLoad, int headroomNodes) {
        public Pool(NodeShape shape, int nodes, Resources daemonSetLoad) {
            this(shape, nodes, daemonSetLoad, 0);
        }

        public double costPerHour() {
            return shape.pricePerHourUsd() * nodes;
        }

        /** The nodes of the planned mix, before the HA headroom. */
        public int packedNodes() {
            return nodes - headroomNodes;
        }
    }

    /**
     * How a mix was sized beyond its planned nodes for the HA rules ({@link MixSizing}).
     *
     * @param packedCostPerHour        the planned nodes' cost (the packing's; the gap is measured on it)
     * @param headroomCostPerHour      what the nodes added for {@code --survive} cost
     * @param podsLeftOutAfterZoneLoss pods that no node count keeps running when their zone is lost
     */
    public record Sizing(HaSizing.Rules rules, double packedCostPerHour, double headroomCostPerHour, int podsLeftOutAfterZoneLoss) {
        public double controlPlaneCostPerHour() {
            return rules.controlPlane() == null ? 0 : rules.controlPlane().costPerHour();
        }
    }

    /**
     * Workloads zone rules tie to their zones, on nodes of their own of one pool in a mix ({@link #withZoneRules}):
     * their workload, the table over the zones they were packed with, and that packing (its node i
     * is the mix's node {@code firstNode + i}). A mix has one such part, or one per set of them no rule links.
     */
    public record TiedPart(Workload workload, DemandTable table, PackingResult packing, int firstNode) {
        /** Whether node (of the mix) is one of this part's own nodes. */
        public boolean owns(int node) {
            return node >= firstNode && node < firstNode + packing.nodeCount();
        }
    }

    /**
     * The mix and how it compares.
     *
     * @param nodeNames             per node index, its name ({@code shape-i}, numbered within its pool)
     * @param nodeShape             per node index, the pool index
     * @param assignment            node index per global pod index
     * @param bestSingle            the cheapest fully schedulable single shape (null when none)
     * @param savingPercent         saving versus {@code bestSingle} in percent (null without one)
     */
    public record Mix(List<Pool> pools, double costPerHour, double lowerBoundCostPerHour, Double savingPercent,
                      ShapeEvaluation bestSingle, int candidates, int maxPools, int minNodesPerPool, List<String> nodeNames,
                      int[] nodeShape, int[] assignment, DemandTable table, int[] nodeZones, List<TiedPart> tied, Sizing sizing,
                      List<ShapeEvaluation.UnschedulableGroup> leftOut) {
        /**
         * @param nodeZones per node index its zone (an index into the zones of {@code --zones}); null without zones
         * @param tied      the zone-tied workloads' own nodes, a part per candidate they went on (none when there are no
         *                  such workloads, or the mix is one shape's packing)
         * @param sizing    null for the planned mix; with it, {@code costPerHour} is the whole cluster's:
         *                  the headroom's nodes and the control plane included
         * @param leftOut   the workload's pods that fit none of the priced candidates, not in {@code table}
         *                  ({@link PlaceablePart}); empty when the mix places every pod
         */
        public Mix {
            pools = List.copyOf(pools);
            nodeNames = List.copyOf(nodeNames);
            tied = tied == null ? List.of() : List.copyOf(tied);
            leftOut = List.copyOf(leftOut);
        }

        public Mix(List<Pool> pools, double costPerHour, double lowerBoundCostPerHour, Double savingPercent, ShapeEvaluation bestSingle,
                   int candidates, int maxPools, int minNodesPerPool, List<String> nodeNames, int[] nodeShape, int[] assignment,
                   DemandTable table, int[] nodeZones, List<TiedPart> tied, Sizing sizing) {
            this(pools, costPerHour, lowerBoundCostPerHour, savingPercent, bestSingle, candidates, maxPools, minNodesPerPool, nodeNames,
                    nodeShape, assignment, table, nodeZones, tied, sizing, List.of());
        }

        /** This mix, planned for a workload's placeable part, with the pods left out of it. */
        public Mix withLeftOut(List<ShapeEvaluation.UnschedulableGroup> out) {
            return new Mix(pools, costPerHour, lowerBoundCostPerHour, savingPercent, bestSingle, candidates, maxPools, minNodesPerPool,
                    nodeNames, nodeShape, assignment, table, nodeZones, tied, sizing, out);
        }

        /** The pods the mix leaves out (they fit no priced candidate). */
        public int leftOutPods() {
            return leftOut.stream().mapToInt(ShapeEvaluation.UnschedulableGroup::pods).sum();
        }

        public Mix(List<Pool> pools, double costPerHour, double lowerBoundCostPerHour, Double savingPercent, ShapeEvaluation bestSingle,
                   int candidates, int maxPools, int minNodesPerPool, List<String> nodeNames, int[] nodeShape, int[] assignment,
                   DemandTable table, int[] nodeZones) {
            this(pools, costPerHour, lowerBoundCostPerHour, savingPercent, bestSingle, candidates, maxPools, minNodesPerPool, nodeNames,
                    nodeShape, assignment, table, nodeZones, null, null);
        }

        public Mix(List<Pool> pools, double costPerHour, double lowerBoundCostPerHour, Double savingPercent, ShapeEvaluation bestSingle,
                   int candidates, int maxPools, int minNodesPerPool, List<String> nodeNames, int[] nodeShape, int[] assignment,
                   DemandTable table) {
            this(pools, costPerHour, lowerBoundCostPerHour, savingPercent, bestSingle, candidates, maxPools, minNodesPerPool, nodeNames,
                    nodeShape, assignment, table, null);
        }

        /** The planned nodes' gap to the bound (HA headroom and the control plane are not a packing gap). */
        public double gapPercent() {
            double packed = packedCostPerHour();
            return lowerBoundCostPerHour <= 0 ? 0 : 100.0 * (packed - lowerBoundCostPerHour) / lowerBoundCostPerHour;
        }

        /** What the planned nodes cost, without the HA headroom and the control plane. */
        public double packedCostPerHour() {
            return sizing == null ? costPerHour : sizing.packedCostPerHour();
        }

        public int nodes() {
            return nodeShape.length;
        }
    }

    /**
     * @param ranked    the single-shape ranking (optimized where the sweep optimized)
     * @param packingOf the packing behind an evaluation of {@code ranked} (kept by the sweep, or
     *                  packed again): the best single shape's is the mix to beat
     * @throws IllegalArgumentException when no candidate has a price, or a pod fits none of them
     */
    public static Mix plan(Workload workload, List<ShapeEvaluation> ranked, MixedPools.Settings settings,
                           java.util.function.Function<ShapeEvaluation, PackingResult> packingOf) {
        return plan(workload, ranked, settings, packingOf, null, List.of(), 0);
    }

    /**
     * As above, with the nodes spread over the zones of {@code zoned} (the table the sweep packed
     * with, one zone when none are given; null for none). Workloads that zone rules tie to their zones ({@link
     * #zoneTied}) go on nodes of their own ({@link #withZoneRules}), packed by {@code strategies}.
     */
    public static Mix plan(Workload workload, List<ShapeEvaluation> ranked, MixedPools.Settings settings,
                           java.util.function.Function<ShapeEvaluation, PackingResult> packingOf, DemandTable zoned,
                           List<io.nodesizer.engine.strategy.PackingStrategies> strategies, long seed) {
        List<ShapeEvaluation> priced = ranked.stream().filter(e -> e.shape().hasPrice() && e.shape().pricePerHourUsd() > 0).toList();
        if (priced.isEmpty()) {
            throw new IllegalArgumentException("Mixed pools are chosen by price, and none of the " + ranked.size()
                    + " candidate shapes has one. Give prices (--node ...,price=…, --generic …,price-per-cpu=…) or use a catalog.");
        }
        // One table for every pool: the pod rules see the pods of the DaemonSets that run on some candidate
        // (on every node where they run on some pools only: the safe side).
        DemandTable table = DemandTable.of(workload).runningOn(priced.stream().map(ShapeEvaluation::shape).toList());
        List<PackingProblem> problems = new ArrayList<>();
        List<Resources> dsLoads = new ArrayList<>();
        double[] prices = new double[priced.size()];
        for (int i = 0; i < priced.size(); i++) {
            NodeShape shape = priced.get(i).shape();
            DaemonSetPlacement.Load ds = DaemonSetPlacement.on(shape, workload.daemonSets(), table.zoneNames());
            problems.add(new PackingProblem(table, shape, ds.requests(), ds.scoring()));
            dsLoads.add(ds.requests());
            prices[i] = shape.pricePerHourUsd();
        }
        // Certain before any search: the pods' needs (GPU models, sizes) take more pools than allowed.
        String tooFew = PoolCover.tooFew(problems, settings.maxPools());
        if (tooFew != null) {
            throw new NoMix(tooFew);
        }
        // The best single shape at --min-nodes-per-pool (a packing on fewer nodes is padded with empty ones).
        HaSizing.Rules minimum = new HaSizing.Rules(settings.minNodesPerPool(), HaSizing.Survive.NONE, 1, null);
        ShapeEvaluation bestSingle = null;
        int bestIndex = -1;
        for (int i = 0; i < priced.size(); i++) {
            ShapeEvaluation e = priced.get(i);
            if (!e.complete()) {
                continue;
            }
            ShapeEvaluation sized = e.nodes() >= settings.minNodesPerPool() ? e
                    : e.withSizing(new HaSizing.Sized(e.nodes(), HaSizing.nodes(e.nodes(), minimum), minimum));
            // As the single shapes rank (to the cent, then the cheaper node), so that the mix's baseline is the table's first.
            if (bestSingle == null || ShapeSweep.RANKING.compare(sized, bestSingle) < 0) {
                bestSingle = sized;
                bestIndex = i;
            }
        }
        MixedPools.Result incumbent = null;
        PackingResult single = null;
        MixedPools.Result evenSingle = null;
        PackingResult evenPacking = null;
        if (bestSingle != null) {
            // The single shape's packing, as the optimizer left it, is the mix to beat.
            single = packingOf.apply(priced.get(bestIndex));
            incumbent = oneShape(single, bestIndex, bestSingle.nodes(), prices);
            if (io.nodesizer.engine.HostnameSpreads.aboveCaps(table, single.assignment())) {
                // Its hostname spreads hold more than maxSkew on a node, which kube-scheduler allows
                // over these nodes: a mix built from it would add nodes of other pools that hold none.
                // The mixes keep maxSkew per node, planned without it; it stays if none costs less.
                evenSingle = incumbent;
                evenPacking = single;
                incumbent = null;
                single = null;
            }
        }
        boolean plain = (zoned == null || !zoned.hasZoneRules() && zoned.clusterKeyOwners() == null)
                && !table.coLocation().any() && table.sharedSpreads() == null;
        if (plain && single != null && !bestSingle.optimized()) {
            // The ranking's heuristics (--strategies ffd) may pack the best shape on more nodes than the planner's
            // patterns do: a mix compared with that packing would claim the packing's saving as the mix's (QA 67c F1:
            // "saving 18.75 %" against m5.8xlarge × 6, which the planner packs on 5: 2.5 %). The baseline is the
            // shape as the planner packs it alone, where that costs less.
            PackingResult packed = packedAlone(problems.get(bestIndex), single, bestSingle.nodes(), settings);
            if (packed != null) {
                bestSingle = planned(bestSingle, packed, dsLoads.get(bestIndex));
                single = packed;
                incumbent = oneShape(single, bestIndex, bestSingle.nodes(), prices);
            }
        }
        MixedPools.Result r;
        int[] nodeZones = null;
        List<TiedPart> tied = List.of();
        int zones = zoned == null ? 1 : zoned.zones();
        if (zoned != null && (zoned.hasZoneRules() || zoned.clusterKeyOwners() != null)) {
            List<NodeShape> shapes = priced.stream().map(ShapeEvaluation::shape).toList();
            Zoned z = withZoneRules(workload, table, zoned, strategies, seed, shapes, problems, prices, incumbent, single, bestIndex,
                    settings);
            r = z.result();
            nodeZones = z.nodeZones();
            tied = z.tied();
        } else if (table.coLocation().any() || table.sharedSpreads() != null) {
            // A hostname spread counted over other workloads' pods too: the pattern method counts
            // each workload's own (its caps), so those groups go on nodes of their own, as the rules
            // place them, the workloads they select with the rest (no node holds both: exact).
            r = withCoLocation(problems, prices, incumbent, single, bestIndex, settings);
        } else {
            r = MixedPools.solveNoDearerThanTighter(problems, prices, incumbent, settings);
            r = evenWithinDomains(workload, table, r, priced.stream().map(ShapeEvaluation::shape).toList(), prices,
                    strategies.isEmpty() ? List.of(io.nodesizer.engine.strategy.PackingStrategies.FFD) : strategies, seed,
                    settings.minNodesPerPool());
        }
        if (evenSingle != null && evenSingle.costPerHour() <= r.costPerHour() + 1e-9) {
            // The planned mixes' bound holds for it too (MixedPools bounds every mix of the candidates).
            r = new MixedPools.Result(evenSingle.nodeShape(), evenSingle.assignment(), evenSingle.costPerHour(),
                    r.lowerBoundCostPerHour(), r.lpCostPerHour(), r.shapesPriced(), r.types(), r.columns());
            incumbent = r;
            single = evenPacking;
            nodeZones = null;
            tied = List.of();
        }
        if (zones > 1 && nodeZones == null) {
            nodeZones = roundRobin(r.nodeShape(), zones, r == incumbent ? single : null);
        }
        List<Pool> pools = new ArrayList<>();
        int[] perShape = r.nodesPerShape(priced.size());
        int[] poolOf = new int[priced.size()];
        for (int s = 0; s < priced.size(); s++) {
            poolOf[s] = -1;
            if (perShape[s] > 0) {
                poolOf[s] = pools.size();
                pools.add(new Pool(priced.get(s).shape(), perShape[s], dsLoads.get(s)));
            }
        }
        int[] nodeShape = new int[r.nodeShape().length];
        List<String> names = new ArrayList<>();
        int[] seen = new int[priced.size()];
        for (int node = 0; node < nodeShape.length; node++) {
            int s = r.nodeShape()[node];
            nodeShape[node] = poolOf[s];
            names.add(priced.get(s).shape().name() + "-" + seen[s]++);
        }
        Double saving = bestSingle == null ? null : 100.0 * (bestSingle.costPerHour() - r.costPerHour()) / bestSingle.costPerHour();
        // The bound as computed, so that verify() can catch one above the cost (a bug); only
        // floating-point noise of a bound that the mix meets exactly is then clipped for the report.
        Mix mix = new Mix(pools, r.costPerHour(), r.lowerBoundCostPerHour(), saving, bestSingle,
                priced.size(), settings.maxPools(), settings.minNodesPerPool(), names, nodeShape, r.assignment(), table, nodeZones, tied, null);
        verify(mix, zoned);
        return new Mix(pools, r.costPerHour(), Math.min(r.lowerBoundCostPerHour(), r.costPerHour()), saving, bestSingle,
                priced.size(), settings.maxPools(), settings.minNodesPerPool(), names, nodeShape, r.assignment(), table, nodeZones, tied, null);
    }

    /**
     * The mix with each pool whose hostname-spread workloads have no domain on the mix's other pools
     * packed again on its own nodes, those spreads spread evenly as on one shape ({@link
     * ShapeEvaluator}, {@link io.nodesizer.engine.HostnameSpreads}), where that takes fewer nodes.
     * The mix keeps at most maxSkew per node because another pool's nodes that hold none of a
     * workload put its fewest at 0; kube-scheduler counts a node as a domain of the spread only
     * where its node inclusion policies admit it ({@link io.nodesizer.engine.HostnameSpreads#domainOn}:
     * {@code nodeTaintsPolicy: Honor} leaves out a tainted pool the pod does not tolerate,
     * {@code nodeAffinityPolicy: Honor}, the default, one its node selector refuses). QA 65a F1: 9
     * spread pods beside a tainted batch pool took 9 general nodes, one each; 3 hold them 3/3/3
     * beside the web pods. A pool is taken as it is where some of its spread workloads' pods run
     * on other pools, or another pool is a domain of their spread; the other pools keep maxSkew per
     * node, which holds whatever this pool holds. Padded to {@code minNodes}; the nodes keep their
     * pools' order. The bound stands: where the caps bind, the mix's is the fluid one, which holds
     * for every mix ({@link MixedPools}).
     */
    static MixedPools.Result evenWithinDomains(Workload workload, DemandTable table, MixedPools.Result r, List<NodeShape> shapes,
                                               double[] prices, List<io.nodesizer.engine.strategy.PackingStrategies> strategies, long seed,
                                               int minNodes) {
        io.nodesizer.engine.HostnameSpreads spreads = io.nodesizer.engine.HostnameSpreads.of(table);
        if (spreads == null || java.util.Arrays.stream(r.assignment()).anyMatch(n -> n < 0)) {
            return r;
        }
        int[] perShape = r.nodesPerShape(shapes.size());
        PackingResult[] repacked = new PackingResult[shapes.size()];
        List<List<int[]>> partPods = new ArrayList<>(); // per shape, per part group: the table's pod indices it stands for
        boolean any = false;
        for (int s = 0; s < shapes.size(); s++) {
            partPods.add(null);
            if (perShape[s] == 0 || !evenOn(spreads, table, r, shapes, s)) {
                continue;
            }
            List<PodGroup> groups = new ArrayList<>();
            List<int[]> pods = new ArrayList<>();
            for (int g = 0; g < table.groupCount(); g++) {
                int first = table.firstPod(g);
                int pool = s;
                int[] on = java.util.stream.IntStream.range(first, first + table.replicas(g))
                        .filter(pod -> r.nodeShape()[r.assignment()[pod]] == pool).toArray();
                if (on.length > 0) {
                    groups.add(on.length == table.replicas(g) ? table.group(g) : table.group(g).withReplicas(on.length));
                    pods.add(on);
                }
            }
            Workload part = new Workload(groups, workload.daemonSets(), List.of(), workload.sources());
            PackingResult packed = new ShapeEvaluator(DemandTable.of(part), workload.daemonSets(), strategies, seed)
                    .evaluate(shapes.get(s), false).best();
            if (packed.unschedulable().isEmpty() && Math.max(packed.nodeCount(), minNodes) < perShape[s]) {
                repacked[s] = packed;
                partPods.set(s, pods);
                any = true;
            }
        }
        if (!any) {
            return r;
        }
        // Old nodes renumbered in order; a repacked pool's new nodes where its first node was.
        int[] renumber = new int[r.nodeShape().length];
        int[] firstOf = new int[shapes.size()];
        java.util.Arrays.fill(firstOf, -1);
        List<Integer> nodeShape = new ArrayList<>();
        for (int node = 0; node < r.nodeShape().length; node++) {
            int s = r.nodeShape()[node];
            if (repacked[s] == null) {
                renumber[node] = nodeShape.size();
                nodeShape.add(s);
            } else if (firstOf[s] < 0) {
                firstOf[s] = nodeShape.size();
                for (int i = Math.max(repacked[s].nodeCount(), minNodes); i > 0; i--) {
                    nodeShape.add(s);
                }
            }
        }
        int[] assignment = new int[r.assignment().length];
        for (int pod = 0; pod < assignment.length; pod++) {
            int node = r.assignment()[pod];
            assignment[pod] = repacked[r.nodeShape()[node]] == null ? renumber[node] : -1;
        }
        for (int s = 0; s < shapes.size(); s++) {
            for (int j = 0; repacked[s] != null && j < partPods.get(s).size(); j++) {
                int[] on = partPods.get(s).get(j);
                DemandTable part = repacked[s].problem().table();
                for (int i = 0; i < on.length; i++) {
                    assignment[on[i]] = firstOf[s] + repacked[s].assignment()[part.firstPod(j) + i];
                }
            }
        }
        int[] nodes = nodeShape.stream().mapToInt(Integer::intValue).toArray();
        double cost = 0;
        for (int s : nodes) {
            cost += prices[s];
        }
        return new MixedPools.Result(nodes, assignment, cost, r.lowerBoundCostPerHour(), r.lpCostPerHour(), r.shapesPriced(), r.types(),
                r.columns());
    }

    /**
     * Whether shape s's pool of mix r gains from spreading its workloads evenly and may: some group
     * there has more replicas than its hostname spread's maxSkew, and every such group runs all its
     * pods on this pool and has no domain on the mix's other pools.
     */
    private static boolean evenOn(io.nodesizer.engine.HostnameSpreads spreads, DemandTable table, MixedPools.Result r, List<NodeShape> shapes,
                                  int s) {
        boolean[] others = new boolean[shapes.size()];
        for (int q : r.nodeShape()) {
            others[q] = q != s;
        }
        boolean gains = false;
        for (int g = 0; g < table.groupCount(); g++) {
            if (!spreads.decides(g) || table.replicas(g) <= spreads.maxSkew(g)) {
                continue;
            }
            int here = 0;
            for (int i = 0; i < table.replicas(g); i++) {
                here += r.nodeShape()[r.assignment()[table.firstPod(g) + i]] == s ? 1 : 0;
            }
            if (here == 0) {
                continue;
            }
            if (here < table.replicas(g)) {
                return false;
            }
            for (int q = 0; q < shapes.size(); q++) {
                if (others[q] && io.nodesizer.engine.HostnameSpreads.domainOn(table.group(g), shapes.get(q))) {
                    return false;
                }
            }
            gains = true;
        }
        return gains;
    }

    /**
     * Per group and node, whether the node's pool ({@code poolShapes}, by {@code nodePool}) is a
     * domain of the group's own hostname spread ({@link io.nodesizer.engine.HostnameSpreads#domainOn});
     * null for a mix of one pool, whose nodes are all domains of the pods it runs.
     */
    private static io.nodesizer.engine.HostnameSpreads.Domains domains(DemandTable table, List<NodeShape> poolShapes, int[] nodePool) {
        if (poolShapes.size() < 2) {
            return null;
        }
        boolean[][] in = new boolean[table.groupCount()][];
        return (g, node) -> {
            if (in[g] == null) {
                in[g] = new boolean[poolShapes.size()];
                for (int p = 0; p < poolShapes.size(); p++) {
                    in[g][p] = io.nodesizer.engine.HostnameSpreads.domainOn(table.group(g), poolShapes.get(p));
                }
            }
            return in[g][nodePool[node]];
        };
    }

    /**
     * Zones for a mix whose pods no zone rule ties: each pool's nodes round-robin over the zones, as
     * managed node groups spread them; the nodes of {@code single} (the best single shape's packing,
     * when the mix is that packing) keep the zones it gave them.
     */
    private static int[] roundRobin(int[] nodeShape, int zones, PackingResult single) {
        int[] out = new int[nodeShape.length];
        java.util.Map<Integer, Integer> seen = new java.util.HashMap<>();
        for (int node = 0; node < nodeShape.length; node++) {
            int k = seen.merge(nodeShape[node], 1, Integer::sum) - 1;
            out[node] = single != null && node < single.nodeCount() ? single.zoneOf(node, zones) : k % zones;
        }
        return out;
    }

    /** A mix with its nodes' zones, and the zone-tied workloads' own nodes when it has them. */
    private record Zoned(MixedPools.Result result, int[] nodeZones, List<TiedPart> tied) {
    }

    /**
     * The groups a mix puts on nodes of their own because zone rules tie them to their zones (a
     * spread over the zones, pod affinity or anti-affinity on the zone, a selector naming zones) or
     * their pod affinity or anti-affinity uses another key (whose value differs by pool: on nodes of
     * one pool it is one domain, as in a packing of one shape), with every group such a rule relates
     * them to — the targets of their affinity, the groups their anti-affinity keeps apart — and the
     * groups that share nodes with any of these (hostname affinity, either way), until no rule links
     * the rest to them. The rest then has no rule that looks at a zone, another key or these pods
     * ({@link DemandTable#mixClosure}).
     */
    static java.util.BitSet zoneTied(DemandTable zoned) {
        return zoned.mixClosure();
    }

    /**
     * Mixed pools for a workload with pods tied to zones: the mix is chosen for the other
     * workloads (no rule of theirs looks at a zone; nodes spread round-robin), then the tied
     * workloads ({@link #zoneTied}) go on nodes of their own of the candidate where they cost
     * least — a pool of the mix, or a new one while fewer than k are used, padded to the minimum
     * size — packed over the zones by the strategies, which place them within their rules (the
     * packing is verified, zone rules included). Where no rule links some tied workloads to the
     * others ({@link DemandTable#mixParts}: a web spread over the zones and a database spread over
     * them), each such part is also given its own candidate in turn, and the cheaper of the two
     * completed mixes is kept (QA 61b F2: all on one candidate cost 11 % more). A candidate where
     * the rules leave pods out is not taken; the best single shape's packing (which keeps the rules
     * among all pods) stays when it costs no more.
     */
    private static Zoned withZoneRules(Workload workload, DemandTable table, DemandTable zoned,
                                       List<io.nodesizer.engine.strategy.PackingStrategies> strategies, long seed, List<NodeShape> shapes,
                                       List<PackingProblem> problems, double[] prices, MixedPools.Result incumbent, PackingResult single,
                                       int singleIndex, MixedPools.Settings settings) {
        int zones = zoned.zones();
        java.util.BitSet tied = zoneTied(zoned);
        List<Integer> restGroups = new ArrayList<>();
        List<Integer> tiedGroups = new ArrayList<>();
        for (int g = 0; g < table.groupCount(); g++) {
            (tied.get(g) ? tiedGroups : restGroups).add(g);
        }
        DemandTable restTable = restGroups.isEmpty() ? null : DemandTable.of(part(workload, table, restGroups));
        List<PackingProblem> restProblems = new ArrayList<>();
        for (int s = 0; restTable != null && s < shapes.size(); s++) {
            restProblems.add(new PackingProblem(restTable, shapes.get(s), problems.get(s).daemonSetLoad(),
                    problems.get(s).daemonSetScoring()));
        }
        MixedPools.Result restIncumbent = single == null || restTable == null ? null
                : withoutGroups(single, table, restTable, restGroups, singleIndex, settings.minNodesPerPool(), prices);
        Split together = new Split(tiedGroups.isEmpty() ? List.of() : List.of(tiedGroups));
        Split apart = Split.of(zoned.mixParts(), tiedGroups);
        Zoned best = null;
        double restBound = 0; // the rest's bound over k pools: every mix of all the pods holds one of the rest
        // The rest's mix over k pools, and while the tied parts find no pool left beside it, over fewer (QA 63a F1: the rest
        // took both pools of --max-pools 2, no candidate of theirs held the 60-GiB tied pods, and the mix was dropped for
        // the best single shape, 13.5 % dearer than the rest on one pool and the tied part on another).
        // Also while the result is the best single shape (review 62b: a mix over k pools that costs more than it ended the
        // search as it came back as that shape).
        for (int restPools = settings.maxPools(); restPools >= 1 && (best == null || best.nodeZones() == null); restPools--) {
            MixedPools.Settings restSettings = new MixedPools.Settings(restPools, settings.minNodesPerPool(), settings.workingShapes(),
                    settings.limits());
            MixedPools.Result rest;
            if (restTable == null) {
                rest = new MixedPools.Result(new int[0], new int[0], 0, 0, 0, problems.size(), 0, 0);
            } else {
                rest = restTable.coLocation().any() || restTable.sharedSpreads() != null
                        ? withCoLocation(restProblems, prices, restIncumbent, null, -1, restSettings)
                        : MixedPools.solveNoDearerThanTighter(restProblems, prices, restIncumbent, restSettings);
            }
            if (restPools == settings.maxPools()) {
                restBound = rest.lowerBoundCostPerHour();
            }
            for (Split split : apart.groups().size() > 1 ? List.of(together, apart) : List.of(together)) {
                List<OwnPart> own = ownParts(split, workload, table, zoned, strategies, seed, shapes, problems, prices, rest,
                        restTable == null, settings);
                Zoned done = own == null ? null
                        : joined(own, rest, restBound, restGroups, restTable, table, zones, problems, prices, incumbent, settings);
                if (done != null && (best == null || done.result().costPerHour() < best.result().costPerHour() - 1e-9)) {
                    best = done;
                }
            }
            if (restTable == null) {
                break; // no rest: fewer pools for it change nothing
            }
            // A rest that used j < restPools pools is its best over j too: the next pass is over j - 1 (review 62b).
            int used = (int) java.util.Arrays.stream(rest.nodesPerShape(problems.size())).filter(n -> n > 0).count();
            restPools = Math.min(restPools, Math.max(used, 1));
        }
        if (best == null) {
            if (incumbent != null) {
                // The bound every mix meets (QA 63a F2: the best single shape's, 0, read as "gap 0 %").
                double bound = Math.max(restBound,
                        io.nodesizer.bound.CostBound.fluid(problems, prices, settings.maxPools(), settings.minNodesPerPool()));
                return new Zoned(new MixedPools.Result(incumbent.nodeShape(), incumbent.assignment(), incumbent.costPerHour(),
                        Math.min(bound, incumbent.costPerHour()), incumbent.lpCostPerHour(), incumbent.shapesPriced(), incumbent.types(),
                        incumbent.columns()), roundRobin(incumbent.nodeShape(), zones, single), List.of());
            }
            throw new NoMix("The pod rules (spread, pod affinity or anti-affinity on the zone, zone selectors, pod affinity or anti-affinity on another key) leave "
                    + "pods out on every candidate shape that a mix of " + settings.maxPools() + " pools could add, so no mix can place "
                    + "every pod" + (zones == 1 ? " (the nodes are in one zone: --zones N spreads them over N)" : "")
                    + ". Leave --max-pools out to see which pods each shape leaves out.");
        }
        return best.nodeZones() != null ? best : new Zoned(best.result(), roundRobin(incumbent.nodeShape(), zones, single), List.of());
    }

    /** The zone-tied groups as one part, or split into parts no rule links ({@link DemandTable#mixParts}). */
    private record Split(List<List<Integer>> groups) {
        static Split of(int[] partOf, List<Integer> tiedGroups) {
            List<List<Integer>> out = new ArrayList<>();
            for (int g : tiedGroups) {
                while (out.size() <= partOf[g]) {
                    out.add(new ArrayList<>());
                }
                out.get(partOf[g]).add(g);
            }
            out.removeIf(List::isEmpty);
            return new Split(out);
        }
    }

    /** A part of the zone-tied groups on nodes of their own: its groups, workload, table and where it costs least. */
    private record OwnPart(List<Integer> groups, Workload workload, DemandTable table, OwnNodes nodes) {
    }

    /**
     * Each part of {@code split} on the candidate where its own nodes cost least, in turn: the pools of the
     * rest's mix and of the parts before it count as pools of the mix (no padding, within k). Null when
     * some part has no such candidate (its rules or the shapes leave pods out on every one).
     */
    private static List<OwnPart> ownParts(Split split, Workload workload, DemandTable table, DemandTable zoned,
                                          List<io.nodesizer.engine.strategy.PackingStrategies> strategies, long seed,
                                          List<NodeShape> shapes, List<PackingProblem> problems, double[] prices, MixedPools.Result rest,
                                          boolean restEmpty, MixedPools.Settings settings) {
        int[] perShape = rest.nodesPerShape(shapes.size());
        List<OwnPart> out = new ArrayList<>();
        for (List<Integer> groups : split.groups()) {
            Workload partWorkload = part(workload, table, groups);
            DemandTable partTable = zoned.zoneNames() != null ? DemandTable.of(partWorkload, zoned.zoneNames())
                    : DemandTable.of(partWorkload, zoned.zones());
            if (!restEmpty || split.groups().size() > 1) {
                partTable.besideNodesInEveryZone(); // the rest's pools spread round-robin over every zone, the other parts anywhere
            }
            ShapeEvaluator evaluator = new ShapeEvaluator(partTable, workload.daemonSets(), strategies, seed).cappedSpreads();
            long[] total = new long[DemandTable.D];
            for (int g = 0; g < partTable.groupCount(); g++) {
                for (int r = 0; r < DemandTable.D; r++) {
                    total[r] = Math.addExact(total[r], Math.multiplyExact(partTable.demand(g, r), (long) partTable.replicas(g)));
                }
            }
            long spread = zoneSpreadNodes(partTable);
            OwnNodes own = cheapestOwnNodes(perShape, prices, settings, s -> {
                long fluid = fluidNodes(total, problems.get(s).podCapacity());
                return fluid < 0 ? -1 : Math.max(fluid, spread);
            }, s -> {
                PackingResult packed = evaluator.evaluate(shapes.get(s), false).best();
                return packed.unschedulable().isEmpty() ? packed : null; // the rules (or the shape) leave pods out
            });
            if (own == null) {
                return null;
            }
            perShape[own.shape()] += own.nodes();
            out.add(new OwnPart(groups, partWorkload, partTable, own));
        }
        return out;
    }

    /**
     * The rest's mix with each part's own nodes after it (the packing's nodes in the zones it gave them,
     * padding round-robin), completed ({@link #completed}), with the parts where their nodes ended up.
     */
    private static Zoned joined(List<OwnPart> own, MixedPools.Result rest, double restBound, List<Integer> restGroups,
                                DemandTable restTable, DemandTable table, int zones, List<PackingProblem> problems, double[] prices,
                                MixedPools.Result incumbent, MixedPools.Settings settings) {
        int restNodes = rest.nodeShape().length;
        int added = own.stream().mapToInt(p -> p.nodes().nodes()).sum();
        int[] nodeShape = java.util.Arrays.copyOf(rest.nodeShape(), restNodes + added);
        int[] nodeZones = java.util.Arrays.copyOf(roundRobin(rest.nodeShape(), zones, null), nodeShape.length);
        int[] assignment = new int[table.podCount()];
        java.util.Arrays.fill(assignment, -1);
        if (restTable != null) {
            copyPart(assignment, table, restGroups, restTable, rest.assignment(), 0);
        }
        java.util.BitSet fixed = new java.util.BitSet();
        double ownCost = 0;
        int first = restNodes;
        for (OwnPart p : own) {
            PackingResult packing = p.nodes().packing();
            java.util.Arrays.fill(nodeShape, first, first + p.nodes().nodes(), p.nodes().shape());
            for (int node = 0; node < p.nodes().nodes(); node++) {
                // Padding nodes (a new pool below its minimum) go round-robin after the packing's own.
                nodeZones[first + node] = node < packing.nodeCount() ? packing.zoneOf(node, zones) : node % zones;
            }
            copyPart(assignment, table, p.groups(), p.table(), packing.assignment(), first);
            p.groups().forEach(fixed::set);
            ownCost += p.nodes().costPerHour();
            first += p.nodes().nodes();
        }
        Zoned done = completed(rest, restBound, nodeShape, assignment, nodeZones, ownCost, problems, prices, incumbent, settings, fixed);
        if (done.nodeZones() == null) {
            return done; // the incumbent costs no more
        }
        // Trimming the rest's padding renumbers nodes in order: each part's own nodes stay together, shifted.
        List<TiedPart> parts = new ArrayList<>();
        for (OwnPart p : own) {
            int anchor = table.firstPod(p.groups().get(0));
            int firstNode = done.result().assignment()[anchor] - p.nodes().packing().assignment()[p.table().firstPod(0)];
            parts.add(new TiedPart(p.workload(), p.table(), p.nodes().packing(), firstNode));
        }
        return new Zoned(done.result(), done.nodeZones(), parts);
    }

    /** Writes into {@code assignment} (over {@code table}) the nodes, shifted by {@code offset}, that a packing of {@code part} (these groups of it) gave. */
    private static void copyPart(int[] assignment, DemandTable table, List<Integer> groups, DemandTable part, int[] partAssignment,
                                 int offset) {
        for (int j = 0; j < groups.size(); j++) {
            int g = groups.get(j);
            for (int i = 0; i < table.replicas(g); i++) {
                assignment[table.firstPod(g) + i] = offset + partAssignment[part.firstPod(j) + i];
            }
        }
    }

    /** The workload's groups at these indices of {@code table}, with its DaemonSets. */
    private static Workload part(Workload workload, DemandTable table, List<Integer> groups) {
        return new Workload(groups.stream().map(table::group).toList(), workload.daemonSets(), List.of(), workload.sources());
    }

    /**
     * {@code single} (a packing of all of {@code table}) with only the pods of {@code groups}, as a
     * one-pool mix over {@code part} (their table): the nodes left empty are dropped, the rest
     * padded to {@code minNodes}. The mix of those groups starts from it.
     */
    private static MixedPools.Result withoutGroups(PackingResult single, DemandTable table, DemandTable part, List<Integer> groups,
                                                   int shape, int minNodes, double[] prices) {
        int[] renumber = new int[single.nodeCount()];
        java.util.Arrays.fill(renumber, -1);
        int nodes = 0;
        int[] assignment = new int[part.podCount()];
        for (int j = 0; j < groups.size(); j++) {
            int g = groups.get(j);
            for (int i = 0; i < table.replicas(g); i++) {
                int node = single.assignment()[table.firstPod(g) + i];
                if (node < 0) {
                    return null; // the single shape leaves some of them out: no mix to start from
                }
                if (renumber[node] < 0) {
                    renumber[node] = nodes++;
                }
                assignment[part.firstPod(j) + i] = renumber[node];
            }
        }
        int[] nodeShape = new int[Math.max(nodes, minNodes)];
        java.util.Arrays.fill(nodeShape, shape);
        return new MixedPools.Result(nodeShape, assignment, prices[shape] * nodeShape.length, 0, 0, 0, 0, 0);
    }

    /**
     * The shape of {@code problem} packed alone by the planner's patterns ({@link MixedPools#solve} over that one
     * candidate, pools of at least the minimum), started from {@code heuristic} padded to {@code nodes}: a packing
     * ({@link #PLANNED}) where it takes fewer nodes than that, else null. The mix's baseline where the ranking ran
     * heuristics alone, and MixSizing's when it sizes that baseline.
     */
    static PackingResult packedAlone(PackingProblem problem, PackingResult heuristic, int nodes, MixedPools.Settings settings) {
        double[] price = {problem.shape().pricePerHourUsd()};
        MixedPools.Result alone = MixedPools.solve(List.of(problem), price, oneShape(heuristic, 0, nodes, price),
                new MixedPools.Settings(1, settings.minNodesPerPool(), settings.workingShapes(), settings.limits()));
        if (alone.nodeShape().length >= Math.max(nodes, heuristic.nodeCount())) {
            return null;
        }
        return PackingEngine.fromAssignment(problem, PLANNED, alone.nodeShape().length, alone.assignment(), heuristic.lowerBound(), 0);
    }

    /** The evaluation of {@code ranked}'s shape as {@link #packedAlone} packed it (nodes carrying {@code daemonSets}). */
    static ShapeEvaluation planned(ShapeEvaluation ranked, PackingResult packed, Resources daemonSets) {
        return ShapeEvaluator.evaluation(ranked.shape(), ranked.pods(), packed, ranked.lowerBound(), daemonSets, ranked.tried(),
                ranked.elapsedNanos(), false);
    }

    /** A packing of one candidate as a mix of one pool, padded with empty nodes to at least {@code nodes}: the mix to beat. */
    private static MixedPools.Result oneShape(PackingResult packing, int shape, int nodes, double[] prices) {
        int[] nodeShape = new int[Math.max(packing.nodeCount(), nodes)];
        java.util.Arrays.fill(nodeShape, shape);
        return new MixedPools.Result(nodeShape, packing.assignment(), prices[shape] * nodeShape.length, 0, 0, 0, 0, 0);
    }

    /**
     * Mixed pools for a workload with required pod affinity on the hostname: the mix is chosen for
     * the other workloads ({@link PackingProblem#withoutRuledGroups()}), then the co-located groups
     * and their targets go on nodes of their own of the candidate where they cost least — a pool
     * of the mix, or a new one while fewer than k are used, padded to the minimum size — as the
     * rules place them ({@link PackingEngine#ruledGroupsAlone}). A candidate where the rules leave
     * pods out is not taken; the best single shape's packing (which keeps the rules among all
     * pods) stays when it costs no more.
     */
    private static MixedPools.Result withCoLocation(List<PackingProblem> problems, double[] prices, MixedPools.Result incumbent,
                                                    PackingResult single, int singleIndex, MixedPools.Settings settings) {
        List<PackingProblem> rest = problems.stream().map(PackingProblem::withoutRuledGroups).toList();
        MixedPools.Result restIncumbent = null;
        if (single != null) {
            restIncumbent = oneShape(PackingEngine.withoutRuledGroups(single), singleIndex, settings.minNodesPerPool(), prices);
        }
        MixedPools.Result mix;
        if (rest.stream().allMatch(p -> p.schedulableGroups().length == 0)) {
            int[] none = new int[problems.get(0).table().podCount()];
            java.util.Arrays.fill(none, -1);
            mix = new MixedPools.Result(new int[0], none, 0, 0, 0, problems.size(), 0, 0); // every workload is co-located
        } else {
            mix = MixedPools.solveNoDearerThanTighter(rest, prices, restIncumbent, settings);
        }
        int[] perShape = mix.nodesPerShape(problems.size());
        final MixedPools.Result restMix = mix;
        OwnNodes own = cheapestOwnNodes(perShape, prices, settings, s -> 0, s -> {
            PackingResult ruled = PackingEngine.ruledGroupsAlone(problems.get(s));
            // null: the rules leave pods out on this shape (or some co-located pod never fits it)
            return ruled == null || !placesTheRest(restMix.assignment(), ruled.assignment()) ? null : ruled;
        });
        if (own == null) {
            if (incumbent != null) {
                return incumbent;
            }
            throw new NoMix("The rules of required pod affinity leave pods out on every candidate shape that a mix "
                    + "of " + settings.maxPools() + " pools could add, so no mix can place every pod. Leave --max-pools out to see "
                    + "which pods each shape leaves out.");
        }
        PackingResult best = own.packing();
        double bestCost = own.costPerHour();
        int restNodes = mix.nodeShape().length;
        int[] nodeShape = java.util.Arrays.copyOf(mix.nodeShape(), restNodes + own.nodes());
        java.util.Arrays.fill(nodeShape, restNodes, nodeShape.length, own.shape());
        int[] assignment = mix.assignment().clone();
        for (int pod = 0; pod < assignment.length; pod++) {
            if (best.assignment()[pod] >= 0) {
                assignment[pod] = restNodes + best.assignment()[pod];
            }
        }
        return completed(mix, mix.lowerBoundCostPerHour(), nodeShape, assignment, null, bestCost, problems, prices, incumbent, settings,
                new java.util.BitSet()).result();
    }

    /**
     * The mix of the other workloads ({@code rest}) completed with nodes of their own for the
     * ruled ones ({@code nodeShape} and {@code assignment} cover both; {@code ownCost} is what the
     * added nodes cost): spare padding dropped ({@link #withoutSpareEmptyNodes}), with the bound
     * for a mix that places every pod — the other workloads' over k pools ({@code restBound}: the ruled
     * pods only add to what it must hold; not the bound of a rest planned over fewer) or the fluid bound
     * of all pods, which the rules only raise, whichever is higher.
     * The incumbent (the best single shape) when that costs no more: the mix never costs more; its
     * zones are then null, for the caller to give ({@code nodeZones} null for a mix without zones).
     */
    private static Zoned completed(MixedPools.Result rest, double restBound, int[] nodeShape, int[] assignment, int[] nodeZones,
                                   double ownCost,
                                   List<PackingProblem> problems, double[] prices, MixedPools.Result incumbent,
                                   MixedPools.Settings settings, java.util.BitSet fixed) {
        Trimmed trimmed = withoutSpareEmptyNodes(nodeShape, assignment, nodeZones, settings.minNodesPerPool(), prices,
                rest.costPerHour() + ownCost);
        // The ruled workloads' own nodes often have room: the other workloads' nodes empty into it where they can.
        DemandTable table = problems.get(0).table();
        int[] drained = MixDrain.drain(table, trimmed.nodeShape(), trimmed.assignment(), problems, settings.minNodesPerPool(),
                MixDrain.fixedGroups(table, fixed));
        if (drained != trimmed.assignment()) {
            trimmed = withoutSpareEmptyNodes(trimmed.nodeShape(), drained, trimmed.nodeZones(), settings.minNodesPerPool(), prices,
                    trimmed.costPerHour());
        }
        double cost = trimmed.costPerHour();
        double bound = Math.max(restBound,
                io.nodesizer.bound.CostBound.fluid(problems, prices, settings.maxPools(), settings.minNodesPerPool()));
        if (incumbent != null && incumbent.costPerHour() <= cost + 1e-9) {
            return new Zoned(new MixedPools.Result(incumbent.nodeShape(), incumbent.assignment(), incumbent.costPerHour(),
                    Math.min(bound, incumbent.costPerHour()), rest.lpCostPerHour(), rest.shapesPriced(), rest.types(), rest.columns()),
                    null, List.of());
        }
        return new Zoned(new MixedPools.Result(trimmed.nodeShape(), trimmed.assignment(), cost, bound, rest.lpCostPerHour(),
                rest.shapesPriced(), rest.types(), rest.columns()), trimmed.nodeZones(), List.of());
    }

    /** A combined mix after {@link #withoutSpareEmptyNodes}; {@code nodeZones} null when none were given. */
    private record Trimmed(int[] nodeShape, int[] assignment, int[] nodeZones, double costPerHour) {
    }

    /**
     * The rest's mix with nodes of their own added: the empty nodes that padded a pool of the rest
     * up to the minimum size are dropped where the added nodes keep that pool at the minimum (an
     * empty node is only there to bring a pool up to it), the others renumbered in order.
     *
     * @param cost the cost of every node given
     */
    private static Trimmed withoutSpareEmptyNodes(int[] nodeShape, int[] assignment, int[] nodeZones, int minNodes, double[] prices,
                                                  double cost) {
        boolean[] used = new boolean[nodeShape.length];
        for (int node : assignment) {
            if (node >= 0) {
                used[node] = true;
            }
        }
        int[] poolNodes = new int[prices.length];
        boolean[] poolUsed = new boolean[prices.length];
        for (int node = 0; node < nodeShape.length; node++) {
            poolNodes[nodeShape[node]]++;
            poolUsed[nodeShape[node]] |= used[node];
        }
        int[] renumber = new int[nodeShape.length];
        int kept = 0;
        for (int node = 0; node < nodeShape.length; node++) {
            // A pool that runs no pod (emptied into the others' room) goes as a whole.
            if (!used[node] && (poolNodes[nodeShape[node]] > minNodes || !poolUsed[nodeShape[node]])) {
                poolNodes[nodeShape[node]]--;
                cost -= prices[nodeShape[node]];
                renumber[node] = -1;
            } else {
                renumber[node] = kept++;
            }
        }
        if (kept == nodeShape.length) {
            return new Trimmed(nodeShape, assignment, nodeZones, cost);
        }
        int[] shapes = new int[kept];
        int[] zones = nodeZones == null ? null : new int[kept];
        for (int node = 0; node < nodeShape.length; node++) {
            if (renumber[node] >= 0) {
                shapes[renumber[node]] = nodeShape[node];
                if (zones != null) {
                    zones[renumber[node]] = nodeZones[node];
                }
            }
        }
        int[] placed = assignment.clone();
        for (int pod = 0; pod < placed.length; pod++) {
            placed[pod] = placed[pod] < 0 ? placed[pod] : renumber[placed[pod]];
        }
        return new Trimmed(shapes, placed, zones, cost);
    }

    /**
     * Ruled workloads on nodes of their own: the candidate (and its packing) where they cost least.
     *
     * @param nodes the nodes they add: the packing's, padded to the minimum pool size in a new pool
     */
    private record OwnNodes(int shape, PackingResult packing, int nodes, double costPerHour) {
    }

    /**
     * The cheapest candidate for {@code packOn} (null: it leaves pods out there), among the pools of
     * the mix ({@code perShape}) and, while fewer than k pools are used, new ones padded to the
     * minimum size; null when none. A candidate whose {@code floor} (the fewest nodes any packing
     * of it takes, -1 where the pods cannot fit) already costs no less than the best so far is not
     * packed: a mix has a part per set of zone-tied workloads no rule links, each tried on every
     * candidate of a catalog.
     */
    private static OwnNodes cheapestOwnNodes(int[] perShape, double[] prices, MixedPools.Settings settings,
                                             java.util.function.IntToLongFunction floor, java.util.function.IntFunction<PackingResult> packOn) {
        int pools = (int) java.util.Arrays.stream(perShape).filter(n -> n > 0).count();
        double[] floorCost = new double[perShape.length];
        List<Integer> order = new ArrayList<>();
        for (int s = 0; s < perShape.length; s++) {
            long least = perShape[s] == 0 && pools >= settings.maxPools() ? -1 : floor.applyAsLong(s);
            if (least >= 0) {
                floorCost[s] = (perShape[s] == 0 ? Math.max(least, settings.minNodesPerPool()) : least) * prices[s];
                order.add(s);
            }
        }
        // The candidates whose floor costs least first, so that a good one is found early and the rest are not packed
        // (review 62: forty parts on a catalog's shapes); the cheapest wins, ties to the first candidate, as in their order.
        order.sort(java.util.Comparator.comparingDouble((Integer s) -> floorCost[s]).thenComparingInt(s -> s));
        OwnNodes best = null;
        for (int s : order) {
            if (best != null && (floorCost[s] > best.costPerHour() + 1e-9 || floorCost[s] >= best.costPerHour() - 1e-9 && s > best.shape())) {
                continue;
            }
            PackingResult packed = packOn.apply(s);
            if (packed == null) {
                continue;
            }
            int nodes = perShape[s] == 0 ? Math.max(packed.nodeCount(), settings.minNodesPerPool()) : packed.nodeCount();
            double cost = nodes * prices[s];
            if (best == null || cost < best.costPerHour() - 1e-9 || cost <= best.costPerHour() + 1e-9 && s < best.shape()) {
                best = new OwnNodes(s, packed, nodes, cost);
            }
        }
        return best;
    }

    /**
     * The fewest nodes any packing of a part takes for its hard spreads over the zones, whatever the shape: a group of n
     * pods with maxSkew s over Z zones holds at most ⌊n ÷ Z⌋ + s in a zone (the fewest is at most the mean), so its pods
     * take ⌈n ÷ that⌉ zones, a node each, as the packing counts every zone (SpreadDomains). Only for groups whose node
     * affinity admits every zone, and not for spreads counted over other workloads' pods; 0 without such a spread. Three replicas spread over three zones take three nodes, where their requests fit one.
     */
    private static long zoneSpreadNodes(DemandTable part) {
        int[] skew = part.zoneSkew();
        boolean[] pinned = part.zonePinned();
        int zones = part.zones();
        long most = 0;
        // A spread counted over other workloads' pods too lets a zone hold more of the group's own: no floor from it.
        for (int g = 0; skew != null && zones > 1 && !part.sharesZoneSpread() && g < part.groupCount(); g++) {
            if (skew[g] > 0 && (pinned == null || !pinned[g])) {
                long n = part.replicas(g);
                long perZone = n / zones + skew[g];
                most = Math.max(most, Math.min(zones, (n + perZone - 1) / perZone));
            }
        }
        return most;
    }

    /**
     * The fewest nodes whose room for pods ({@link PackingProblem#podCapacity}: allocatable less the DaemonSets) holds
     * {@code total} on every resource, the fluid bound; -1 when some resource asked is not left on the shape at all.
     */
    private static long fluidNodes(long[] total, long[] room) {
        long nodes = 0;
        for (int r = 0; r < total.length; r++) {
            if (total[r] == 0) {
                continue;
            }
            if (room[r] <= 0) {
                return -1;
            }
            nodes = Math.max(nodes, (total[r] + room[r] - 1) / room[r]);
        }
        return nodes;
    }

    /** Whether the ruled groups' packing places every pod the mix of the other workloads left out. */
    private static boolean placesTheRest(int[] mix, int[] ruled) {
        for (int pod = 0; pod < mix.length; pod++) {
            if (mix[pod] < 0 && ruled[pod] < 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Re-sums every node from the pods' own request records plus its pool's DaemonSets and checks
     * allocatable on every resource, that every pod is placed exactly once, that no node is
     * empty, that pools respect k and the minimum size, and that the cost adds up.
     */
    static void verify(Mix mix) {
        verify(mix, null);
    }

    /**
     * As {@link #verify(Mix)}, with {@code zoned} (the workload's table over the named zones, or
     * null): a hostname spread whose node affinity keeps it to some zones counts only their nodes as
     * its domains, as the single shape's packing did ({@link io.nodesizer.engine.HostnameSpreads#of(PackingProblem)}).
     */
    static void verify(Mix mix, DemandTable zoned) {
        DemandTable table = mix.table();
        int nodes = mix.nodeShape().length;
        int d = Resource.COUNT;
        long[] load = new long[nodes * d];
        int[] pods = new int[nodes];
        List<List<Long>> gpus = new ArrayList<>();
        for (int node = 0; node < nodes; node++) {
            gpus.add(new ArrayList<>());
            long[] ds = mix.pools().get(mix.nodeShape()[node]).daemonSetLoad().toArray();
            System.arraycopy(ds, 0, load, node * d, d);
        }
        for (int g = 0; g < table.groupCount(); g++) {
            PodGroup group = table.group(g);
            long[] request = group.request().toArray();
            for (int i = 0; i < group.replicas(); i++) {
                int node = mix.assignment()[table.firstPod(g) + i];
                if (node < 0 || node >= nodes) {
                    fail("pod " + group.podName(i) + " is not placed");
                }
                pods[node]++;
                for (int r = 0; r < d; r++) {
                    load[node * d + r] = Math.addExact(load[node * d + r], request[r]);
                }
                if (group.request().gpuMillis() > 0) {
                    gpus.get(node).add(group.request().gpuMillis());
                }
            }
        }
        verifyRules(mix, table, zoned);
        verifyOtherKeys(mix, table);
        String apart = io.nodesizer.engine.PackingVerifier.coLocationViolation(table, table.coLocation(), mix.assignment(), n -> n,
                n -> "node " + mix.nodeNames().get(n));
        if (apart != null) {
            fail(apart);
        }
        verifyAdmission(mix, table);
        double cost = 0;
        int[] perPool = new int[mix.pools().size()];
        int[] emptyPerPool = new int[mix.pools().size()];
        for (int node = 0; node < nodes; node++) {
            Pool pool = mix.pools().get(mix.nodeShape()[node]);
            perPool[mix.nodeShape()[node]]++;
            emptyPerPool[mix.nodeShape()[node]] += pods[node] == 0 ? 1 : 0;
            cost += pool.shape().pricePerHourUsd();
            long[] alloc = pool.shape().allocatable().toArray();
            for (int r = 0; r < d; r++) {
                if (load[node * d + r] > alloc[r]) {
                    fail("node " + mix.nodeNames().get(node) + " is over its allocatable " + Resource.at(r).fieldName() + ": "
                            + load[node * d + r] + " > " + alloc[r]);
                }
            }
            long[] requests = gpus.get(node).stream().mapToLong(Long::longValue).toArray();
            int devices = io.nodesizer.engine.GpuDevices.count(alloc[Resource.GPU.ordinal()] - pool.daemonSetLoad().gpuMillis());
            if (requests.length > 0 && io.nodesizer.engine.GpuDevices.assign(requests, devices) == null) {
                fail("node " + mix.nodeNames().get(node) + "'s GPU pods do not fit its " + devices + " GPU devices");
            }
        }
        for (int p = 0; p < perPool.length; p++) {
            // An empty node is only there to bring a pool up to --min-nodes-per-pool, or as headroom for --survive.
            Pool pool = mix.pools().get(p);
            if (emptyPerPool[p] > pool.headroomNodes() + Math.max(0, mix.minNodesPerPool() - (perPool[p] - emptyPerPool[p]))) {
                fail("pool " + pool.shape().name() + " has " + emptyPerPool[p] + " nodes holding no pod (" + pool.headroomNodes()
                        + " of them headroom, minimum " + mix.minNodesPerPool() + " nodes)");
            }
            if (perPool[p] != mix.pools().get(p).nodes() || perPool[p] < mix.minNodesPerPool()) {
                fail("pool " + mix.pools().get(p).shape().name() + " has " + perPool[p] + " nodes (reported "
                        + mix.pools().get(p).nodes() + ", minimum " + mix.minNodesPerPool() + ")");
            }
        }
        if (mix.pools().size() > mix.maxPools()) {
            fail(mix.pools().size() + " pools, more than the " + mix.maxPools() + " allowed");
        }
        double controlPlane = mix.sizing() == null ? 0 : mix.sizing().controlPlaneCostPerHour();
        if (Math.abs(cost + controlPlane - mix.costPerHour()) > 1e-6 * Math.max(1, cost)) {
            fail("the nodes cost " + cost + "/h" + (controlPlane > 0 ? " and the control plane " + controlPlane + "/h" : "")
                    + ", the mix reports " + mix.costPerHour());
        }
        if (mix.lowerBoundCostPerHour() > mix.packedCostPerHour() + 1e-6 * Math.max(1, cost)) {
            fail("the cost bound " + mix.lowerBoundCostPerHour() + " is above the mix's cost " + mix.packedCostPerHour());
        }
    }

    /**
     * Every pod is on a node whose shape admits it: its node selector, required node affinity and
     * tolerations, and for a GPU pod the GPU model and vendor.
     */
    private static void verifyAdmission(Mix mix, DemandTable table) {
        List<java.util.Map<String, String>> labels = new ArrayList<>();
        for (Pool pool : mix.pools()) {
            labels.add(io.nodesizer.kube.NodeLabels.of(pool.shape()));
        }
        for (int g = 0; g < table.groupCount(); g++) {
            boolean[] checked = new boolean[mix.pools().size()];
            for (int i = 0; i < table.replicas(g); i++) {
                int pool = mix.nodeShape()[mix.assignment()[table.firstPod(g) + i]];
                if (!checked[pool]) {
                    checked[pool] = true;
                    NodeShape shape = mix.pools().get(pool).shape();
                    String why = table.group(g).gpusServedBy(shape) ? io.nodesizer.kube.NodeMatching.onShape(table.group(g).placement(),
                            shape, labels.get(pool)) : "its GPUs need another model or vendor";
                    if (why != null) {
                        fail("pod " + table.group(g).podName(i) + " is on a " + mix.pools().get(pool).shape().name() + " node, which it "
                                + "may not use: " + why);
                    }
                }
            }
        }
    }

    /** No node holds pods that repel each other (required anti-affinity), nor more of a workload than its cap per node. */
    private static void verifyRules(Mix mix, DemandTable table, DemandTable zoned) {
        // A one-pool mix is the best single shape's packing, whose hostname spreads may hold more
        // than maxSkew on a node (kube-scheduler's rule over its nodes); its spare nodes are empty
        // headroom, which the fewest leaves out. Other mixes keep maxSkew per node, but on a pool
        // whose hostname-spread workloads have no domain on the other pools ({@link #evenWithinDomains}):
        // the rule is checked over each workload's domains, its spread's node inclusion policies.
        boolean[] occupied = new boolean[mix.nodeNames().size()];
        for (int node : mix.assignment()) {
            if (node >= 0) {
                occupied[node] = true;
            }
        }
        String shared = io.nodesizer.engine.PackingVerifier.sharedSpreadViolation(table, mix.assignment(), mix.nodeNames().size(),
                node -> 0, occupied);
        if (shared != null) {
            fail(shared);
        }
        int[][] conflicts = table.conflicts();
        if (conflicts == null) {
            return;
        }
        // With named zones, a spread kept to some of them counts their nodes (the zone masks from the
        // first pool's shape: a one-pool mix is one shape's packing; other mixes keep maxSkew per
        // node, which holds over any domains).
        boolean named = zoned != null && zoned.zoneNames() != null && mix.nodeZones() != null;
        io.nodesizer.engine.HostnameSpreads spreads = named
                ? io.nodesizer.engine.HostnameSpreads.of(new PackingProblem(zoned, mix.pools().get(0).shape(), Resources.ZERO))
                : io.nodesizer.engine.HostnameSpreads.of(table);
        if (spreads != null) {
            String broken = spreads.violation(table, mix.assignment(), occupied.length, occupied, named ? n -> mix.nodeZones()[n] : null,
                    domains(table, mix.pools().stream().map(Pool::shape).toList(), mix.nodeShape()));
            if (broken != null) {
                fail(broken);
            }
        }
        int groups = table.groupCount();
        java.util.Map<Long, Integer> onNode = new java.util.HashMap<>();
        for (int g = 0; g < groups; g++) {
            if (conflicts[g] != null) {
                for (int i = 0; i < table.replicas(g); i++) {
                    onNode.merge((long) mix.assignment()[table.firstPod(g) + i] * groups + g, 1, Integer::sum);
                }
            }
        }
        for (java.util.Map.Entry<Long, Integer> e : onNode.entrySet()) {
            long node = e.getKey() / groups;
            int g = (int) (e.getKey() % groups);
            for (int h : conflicts[g]) {
                if (h == g ? (spreads == null || !spreads.decides(g)) && e.getValue() > table.caps()[g] : onNode.containsKey(node * groups + h)) {
                    fail("node " + mix.nodeNames().get((int) node) + " holds " + (h == g ? e.getValue() + " pods of " + table.group(g).name()
                            + ", more than its " + table.caps()[g] + " per node" : "pods of " + table.group(g).name() + " and "
                            + table.group(h).name() + ", which repel each other"));
                }
            }
        }
    }

    /**
     * Pod affinity and anti-affinity on keys other than the hostname and the zone hold in a mix as
     * in the packing of one shape that placed them (verified there) only while every pod those
     * rules relate runs on nodes of one pool: a key such as the instance type has another value on
     * every other pool ({@link DemandTable#mixClosure}).
     */
    private static void verifyOtherKeys(Mix mix, DemandTable table) {
        if (table.clusterKeyOwners() == null) {
            return;
        }
        // Per part of the closure: parts no rule links may go on pools of their own (review 62: a split mix of two such
        // parts was failed as a bug).
        int[] part = table.mixParts();
        java.util.Map<Integer, Integer> poolOf = new java.util.HashMap<>();
        java.util.Map<Integer, String> firstOf = new java.util.HashMap<>();
        for (int g = 0; g < table.groupCount(); g++) {
            for (int i = 0; part[g] >= 0 && i < table.replicas(g); i++) {
                int node = mix.assignment()[table.firstPod(g) + i];
                Integer pool = poolOf.putIfAbsent(part[g], mix.nodeShape()[node]);
                firstOf.putIfAbsent(part[g], table.group(g).name());
                if (pool != null && mix.nodeShape()[node] != pool) {
                    fail("pods of " + firstOf.get(part[g]) + " and " + table.group(g).name() + ", which pod rules on a key other than the "
                            + "hostname and the zone relate, run on two pools, where such a key has two values");
                }
            }
        }
    }

    private static void fail(String what) {
        throw new VerificationException("Mixed-pool verification failed: " + what
                + ". This is a bug in nodesizer; please report it with the input.");
    }
}

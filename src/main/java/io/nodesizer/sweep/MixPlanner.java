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

    /** One pool of the mix: a shape, how many nodes, and what its DaemonSets take per node. */
    public record Pool(NodeShape shape, int nodes, Resources daemonSetLoad) {
        public double costPerHour() {
            return shape.pricePerHourUsd() * nodes;
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
                      int[] nodeShape, int[] assignment, DemandTable table) {
        public Mix {
            pools = List.copyOf(pools);
            nodeNames = List.copyOf(nodeNames);
        }

        public double gapPercent() {
            return lowerBoundCostPerHour <= 0 ? 0 : 100.0 * (costPerHour - lowerBoundCostPerHour) / lowerBoundCostPerHour;
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
        DemandTable table = DemandTable.of(workload);
        List<ShapeEvaluation> priced = ranked.stream().filter(e -> e.shape().hasPrice() && e.shape().pricePerHourUsd() > 0).toList();
        if (priced.isEmpty()) {
            throw new IllegalArgumentException("Mixed pools are chosen by price, and none of the " + ranked.size()
                    + " candidate shapes has one. Give prices (--node ...,price=…, --generic …,price-per-cpu=…) or use a catalog.");
        }
        List<PackingProblem> problems = new ArrayList<>();
        List<Resources> dsLoads = new ArrayList<>();
        double[] prices = new double[priced.size()];
        for (int i = 0; i < priced.size(); i++) {
            NodeShape shape = priced.get(i).shape();
            Resources ds = DaemonSetPlacement.on(shape, workload.daemonSets()).requests();
            problems.add(new PackingProblem(table, shape, ds));
            dsLoads.add(ds);
            prices[i] = shape.pricePerHourUsd();
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
            if (bestSingle == null || sized.costPerHour() < bestSingle.costPerHour() - 1e-9) {
                bestSingle = sized;
                bestIndex = i;
            }
        }
        MixedPools.Result incumbent = null;
        PackingResult single = null;
        if (bestSingle != null) {
            // The single shape's packing, as the optimizer left it, is the mix to beat.
            single = packingOf.apply(priced.get(bestIndex));
            incumbent = oneShape(single, bestIndex, bestSingle.nodes(), prices);
        }
        MixedPools.Result r;
        if (table.coLocation().any()) {
            r = withCoLocation(problems, prices, incumbent, single, bestIndex, settings);
        } else {
            r = MixedPools.solve(problems, prices, incumbent, settings);
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
                priced.size(), settings.maxPools(), settings.minNodesPerPool(), names, nodeShape, r.assignment(), table);
        verify(mix);
        return new Mix(pools, r.costPerHour(), Math.min(r.lowerBoundCostPerHour(), r.costPerHour()), saving, bestSingle,
                priced.size(), settings.maxPools(), settings.minNodesPerPool(), names, nodeShape, r.assignment(), table);
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
            mix = MixedPools.solve(rest, prices, restIncumbent, settings);
        }
        int[] perShape = mix.nodesPerShape(problems.size());
        int pools = (int) java.util.Arrays.stream(perShape).filter(n -> n > 0).count();
        int bestShape = -1;
        PackingResult best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (int s = 0; s < problems.size(); s++) {
            if (perShape[s] == 0 && pools >= settings.maxPools()) {
                continue;
            }
            PackingResult ruled = PackingEngine.ruledGroupsAlone(problems.get(s));
            if (ruled == null || !placesTheRest(mix.assignment(), ruled.assignment())) {
                continue; // the rules leave pods out on this shape (or some co-located pod never fits it)
            }
            int nodes = perShape[s] == 0 ? Math.max(ruled.nodeCount(), settings.minNodesPerPool()) : ruled.nodeCount();
            double cost = nodes * prices[s];
            if (cost < bestCost - 1e-9) {
                bestCost = cost;
                bestShape = s;
                best = ruled;
            }
        }
        if (best == null) {
            if (incumbent != null) {
                return incumbent;
            }
            throw new IllegalArgumentException("The rules of required pod affinity leave pods out on every candidate shape that a mix "
                    + "of " + settings.maxPools() + " pools could add, so no mix can place every pod. Leave --max-pools out to see "
                    + "which pods each shape leaves out.");
        }
        int restNodes = mix.nodeShape().length;
        int added = perShape[bestShape] == 0 ? Math.max(best.nodeCount(), settings.minNodesPerPool()) : best.nodeCount();
        int[] nodeShape = java.util.Arrays.copyOf(mix.nodeShape(), restNodes + added);
        java.util.Arrays.fill(nodeShape, restNodes, nodeShape.length, bestShape);
        int[] assignment = mix.assignment().clone();
        for (int pod = 0; pod < assignment.length; pod++) {
            if (best.assignment()[pod] >= 0) {
                assignment[pod] = restNodes + best.assignment()[pod];
            }
        }
        double cost = mix.costPerHour() + bestCost;
        // Bounds for a mix that places every pod: the other workloads' (the co-located pods only add
        // to what it must hold), and the fluid bound of all pods, which the rules only raise.
        double bound = Math.max(mix.lowerBoundCostPerHour(),
                io.nodesizer.bound.CostBound.fluid(problems, prices, settings.maxPools(), settings.minNodesPerPool()));
        if (incumbent != null && incumbent.costPerHour() <= cost + 1e-9) {
            // The mix never costs more than the best single shape.
            return new MixedPools.Result(incumbent.nodeShape(), incumbent.assignment(), incumbent.costPerHour(),
                    Math.min(bound, incumbent.costPerHour()), mix.lpCostPerHour(), mix.shapesPriced(), mix.types(), mix.columns());
        }
        return new MixedPools.Result(nodeShape, assignment, cost, bound, mix.lpCostPerHour(), mix.shapesPriced(), mix.types(),
                mix.columns());
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
        verifyRules(mix, table);
        String apart = io.nodesizer.engine.PackingVerifier.coLocationViolation(table, table.coLocation(), mix.assignment(), n -> n,
                n -> "node " + mix.nodeNames().get(n));
        if (apart != null) {
            fail(apart);
        }
        verifyAdmission(mix, table);
        double cost = 0;
        int[] perPool = new int[mix.pools().size()];
        for (int node = 0; node < nodes; node++) {
            Pool pool = mix.pools().get(mix.nodeShape()[node]);
            perPool[mix.nodeShape()[node]]++;
            cost += pool.shape().pricePerHourUsd();
            if (pods[node] == 0 && pool.nodes() > mix.minNodesPerPool()) {
                // An empty node is only there to bring a pool up to --min-nodes-per-pool.
                fail("node " + mix.nodeNames().get(node) + " holds no pod");
            }
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
            if (perPool[p] != mix.pools().get(p).nodes() || perPool[p] < mix.minNodesPerPool()) {
                fail("pool " + mix.pools().get(p).shape().name() + " has " + perPool[p] + " nodes (reported "
                        + mix.pools().get(p).nodes() + ", minimum " + mix.minNodesPerPool() + ")");
            }
        }
        if (mix.pools().size() > mix.maxPools()) {
            fail(mix.pools().size() + " pools, more than the " + mix.maxPools() + " allowed");
        }
        if (Math.abs(cost - mix.costPerHour()) > 1e-6 * Math.max(1, cost)) {
            fail("the nodes cost " + cost + "/h, the mix reports " + mix.costPerHour());
        }
        if (mix.lowerBoundCostPerHour() > cost + 1e-6 * Math.max(1, cost)) {
            fail("the cost bound " + mix.lowerBoundCostPerHour() + " is above the mix's cost " + cost);
        }
    }

    /** Every pod is on a node whose shape admits it: its node selector, required node affinity and tolerations. */
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
                    String why = io.nodesizer.kube.NodeMatching.onShape(table.group(g).placement(), mix.pools().get(pool).shape(),
                            labels.get(pool));
                    if (why != null) {
                        fail("pod " + table.group(g).podName(i) + " is on a " + mix.pools().get(pool).shape().name() + " node, which it "
                                + "may not use: " + why);
                    }
                }
            }
        }
    }

    /** No node holds pods that repel each other (required anti-affinity), nor more of a workload than its cap per node. */
    private static void verifyRules(Mix mix, DemandTable table) {
        int[][] conflicts = table.conflicts();
        if (conflicts == null) {
            return;
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
                if (h == g ? e.getValue() > table.caps()[g] : onNode.containsKey(node * groups + h)) {
                    fail("node " + mix.nodeNames().get((int) node) + " holds " + (h == g ? e.getValue() + " pods of " + table.group(g).name()
                            + ", more than its " + table.caps()[g] + " per node" : "pods of " + table.group(g).name() + " and "
                            + table.group(h).name() + ", which repel each other"));
                }
            }
        }
    }

    private static void fail(String what) {
        throw new VerificationException("Mixed-pool verification failed: " + what
                + ". This is a bug in nodesizer; please report it with the input.");
    }
}

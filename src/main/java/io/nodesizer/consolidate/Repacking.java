package io.nodesizer.consolidate;

import io.nodesizer.bound.LowerBounds;
import io.nodesizer.engine.DemandTable;
import io.nodesizer.engine.PackingEngine;
import io.nodesizer.engine.PackingProblem;
import io.nodesizer.engine.PackingResult;
import io.nodesizer.engine.strategy.PackingStrategies;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;
import io.nodesizer.optimize.LocalSearch;
import io.nodesizer.pattern.MixedPools;
import io.nodesizer.pattern.PatternPacking;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The optimizer's step of consolidation: each node group's evictable pods repacked onto new nodes,
 * where that costs less than the group's nodes. The pods are packed first-fit decreasing onto each
 * of the {@value #SHAPES} candidates that alone would hold them for the least (whole nodes at
 * their fluid count rounded up, as the group's nodes would be); the Timefold local search ({@link LocalSearch}, step limits)
 * improves the {@value #SEARCHED_SHAPES} cheapest of those packings towards each shape's lower
 * bound, and the cheapest is the start. On groups of at most {@value #MIX_PODS} evictable pods
 * {@link MixedPools} (column generation and diving over those shapes, at most {@value #MAX_POOLS}
 * in the mix; effort in counts, not time) improves it, never returning a dearer mix. Larger groups
 * keep the single-shape packing: mixed pools took 40-85 s per group of 2,000-6,400 pods.
 *
 * <p>A node group is the workers that may go and be replaced (priced, schedulable, no pod that
 * keeps its node, no GPU pods) with the same architecture, labels and taints, the hostname and
 * instance-type labels aside. Its new nodes carry the group's labels (the new instance type) and
 * taints, so every node selector, required node affinity and toleration the mixed-pools packing
 * checks is checked against what the node will be; each new node is charged the largest DaemonSet
 * and static load of the group's nodes. Each pod moves once, from its node to a new node. Groups go
 * best saving first while {@code --max-disrupted-pods} allows. A node running a pod that no new node
 * of its group would take (no candidate holds it with the group's labels and taints, or, labels
 * changed after it was scheduled, its zone or hostname selector no longer matches) is left out of
 * the group's repack, and the rest of the group is repacked: every evictable pod of a node that
 * goes must move ({@link ConsolidationVerifier}), so the node is the smallest unit that may stay.
 * The greedy steps may still act on it. The inter-pod rules are not
 * modelled: the caller runs this only on snapshots without a hard spread, and only nodes none of
 * whose pods a rule concerns ({@link #concerned}) take part.
 */
final class Repacking {
    private static final int D = Resource.COUNT;
    /** Candidates given to mixed pools per group: the cheapest by their single-shape cost in whole nodes, plus any a pod needs. */
    static final int SHAPES = 12;
    /** Shapes in one group's mix at most. */
    static final int MAX_POOLS = 3;
    /** Single-shape packings the local search improves: the cheapest first-fit decreasing ones. */
    static final int SEARCHED_SHAPES = 3;
    /**
     * Local-search limits (steps, not time). On the 1,000-node generated cluster's groups of
     * 2,000-6,400 pods it reaches the single shape's lower bound in under 1.2 s each.
     */
    static final LocalSearch.Limits SEARCH = new LocalSearch.Limits(20_000, 5_000, null);
    /** Mixed pools run on groups of at most this many evictable pods (its searches take about a minute on 2,000). */
    static final int MIX_PODS = 400;

    private Repacking() {
    }

    /** The repack actions chosen, the pods they evict, and the nodes they empty. */
    record Plan(List<Consolidation.Action> actions, int evicted, Set<String> nodes) {
    }

    /** Repack plans to try, each then completed by the greedy steps over the other nodes: see {@link #plans}. */
    static final int PREFIXES = 4;

    /**
     * The node groups that a repack makes cheaper, best first — by saving, or under a cap by saving
     * per evicted pod — and as plans to try: the first one, two, … {@value #PREFIXES} of them and
     * all of them (all of them only where inter-pod rules concern some pod), each skipping a group
     * the cap has no room for. Fewer repacks leave more of the
     * cap, and more nodes, to the greedy steps. {@code groupsTried[0]} counts the groups of two nodes
     * or more that were repacked, cheaper or not; {@code leftOut} gets, by node name, why a node was
     * left out of its group's repack.
     */
    static List<Plan> plans(ConsolidationBound.Fleet f, List<NodeShape> candidates, Integer cap, Set<ClusterSnapshot.Pod> concerned,
            int[] groupsTried, Runnable groupDone, Map<String, String> leftOut) {
        List<Consolidation.Action> found = new ArrayList<>();
        for (List<Integer> g : groups(f, concerned)) {
            if (g.size() >= 2) {
                groupsTried[0]++;
                Consolidation.Action a = repack(f, g, candidates, leftOut);
                groupDone.run();
                if (a != null && (cap == null || a.pods() <= cap)) {
                    found.add(a);
                }
            }
        }
        found.sort(Comparator.comparingDouble((Consolidation.Action a) -> -(cap == null ? a.savingPerHour() : a.savingPerHour() / Math.max(1,
                a.pods()))).thenComparing(Consolidation.Action::node));
        List<Plan> out = new ArrayList<>();
        java.util.Set<Integer> sizes = new java.util.TreeSet<>();
        // With inter-pod rules each greedy run costs seconds on large clusters: all the groups only.
        for (int k = 1; k <= Math.min(concerned.isEmpty() ? PREFIXES : 0, found.size()); k++) {
            sizes.add(k);
        }
        sizes.add(found.size());
        for (int size : sizes) {
            if (size == 0) {
                continue;
            }
            List<Consolidation.Action> chosen = new ArrayList<>();
            Set<String> nodes = new java.util.TreeSet<>();
            int evicted = 0;
            for (Consolidation.Action a : found.subList(0, size)) {
                if (cap != null && evicted + a.pods() > cap) {
                    continue;
                }
                evicted += a.pods();
                chosen.add(a);
                nodes.add(a.node());
                a.merged().forEach(p -> nodes.add(p.node()));
            }
            if (out.stream().noneMatch(p -> p.actions().equals(chosen))) {
                out.add(new Plan(chosen, evicted, nodes));
            }
        }
        return out;
    }

    /** The node groups whose nodes may all go (a repack's unit), in key order; those of one node are not repacked. */
    static List<List<Integer>> groups(ConsolidationBound.Fleet f, Set<ClusterSnapshot.Pod> concerned) {
        Map<String, List<Integer>> groups = new TreeMap<>();
        for (int i = 0; i < f.nodes().size(); i++) {
            if (!f.stays()[i] && !f.keepShape()[i] && f.schedulable()[i] && f.priceOf()[i] != null
                    && f.movable().get(i).stream().noneMatch(concerned::contains)) {
                groups.computeIfAbsent(groupKey(f.nodes().get(i)), k -> new ArrayList<>()).add(i);
            }
        }
        return List.copyOf(groups.values());
    }

    /** The greedy plan over the other nodes with the repacks in front: what the optimizer proposes. */
    static Consolidation.Result combine(Plan plan, Consolidation.Result rest, Consolidation.Result all) {
        List<Consolidation.Action> actions = new ArrayList<>(plan.actions());
        actions.addAll(rest.actions());
        Double after = rest.costAfter();
        for (Consolidation.Action a : plan.actions()) {
            after = after == null ? null : after + a.pricePerHour() + a.merged().stream().mapToDouble(Consolidation.Partner::pricePerHour).sum()
                    - a.savingPerHour();
        }
        return new Consolidation.Result(actions, rest.kept(), all.nodesBefore(), all.nodesBefore() - Consolidation.nodesGone(actions),
                all.costBefore(), after, rest.disruptedPods() + plan.evicted(), rest.pendingUnplaced(), all.sources(), null, List.of());
    }

    /** Node group: architecture, labels but the hostname and those of the instance type ({@link Consolidation#shapeLabel}), taints. */
    private static String groupKey(ClusterSnapshot.Node node) {
        Map<String, String> labels = new TreeMap<>(node.labels());
        labels.remove("kubernetes.io/hostname");
        labels.keySet().removeIf(Consolidation::shapeLabel);
        return Consolidation.archOf(node) + " " + labels + " " + node.taints();
    }

    /**
     * The group's pods on a mixed-pools mix, as one action; null when no mix holds them for less. The
     * nodes of a pod no new node of the group takes are left out ({@code leftOut}: why) and the rest
     * is repacked.
     */
    private static Consolidation.Action repack(ConsolidationBound.Fleet f, List<Integer> group, List<NodeShape> candidates,
            Map<String, String> leftOut) {
        ClusterSnapshot.Node first = f.nodes().get(group.get(0));
        // Pods alike (request, constraints) are one pod group of the workload; the assignment lists them in this order.
        Map<List<Object>, List<ClusterSnapshot.Pod>> kinds = new LinkedHashMap<>();
        Map<List<Object>, Set<Integer>> kindNodes = new LinkedHashMap<>(); // the group's nodes running pods of each kind
        long[] daemons = new long[D];
        double cost = 0;
        for (int i : group) {
            for (ClusterSnapshot.Pod p : f.movable().get(i)) {
                // Without inter-pod rules only what a node must be counts: node selector, required node affinity, tolerations.
                List<Object> key = java.util.Arrays.asList(java.util.Arrays.toString(p.request().toArray()), p.placement().nodeSelector(),
                        p.placement().requiredTerms(), p.placement().tolerations());
                kinds.computeIfAbsent(key, k -> new ArrayList<>()).add(p);
                kindNodes.computeIfAbsent(key, k -> new java.util.TreeSet<>()).add(i);
            }
            for (int r = 0; r < D; r++) {
                daemons[r] = Math.max(daemons[r], f.withNode()[i][r]);
            }
            cost += f.priceOf()[i];
        }
        if (kinds.isEmpty()) {
            return null; // DaemonSet pods only: the greedy removal takes such nodes
        }
        List<PodGroup> groups = new ArrayList<>();
        List<ClusterSnapshot.Pod> order = new ArrayList<>();
        long[] need = new long[D];
        for (List<ClusterSnapshot.Pod> pods : kinds.values()) {
            ClusterSnapshot.Pod p = pods.get(0);
            groups.add(new PodGroup("kind-" + groups.size(), "Pod", p.request(), pods.size(), false, null, p.origin(), List.of(), null,
                    p.placement()));
            order.addAll(pods);
            long[] request = p.request().toArray();
            for (int r = 0; r < D; r++) {
                need[r] += request[r] * pods.size();
            }
        }
        List<Set<Integer>> nodesOf = new ArrayList<>(kindNodes.values());
        List<List<ClusterSnapshot.Pod>> podsOf = new ArrayList<>(kinds.values());
        DemandTable table = DemandTable.of(groups);
        Resources daemonLoad = Resources.of(daemons);
        // The candidates as the group's nodes would be, by what one shape alone would cost for all the pods.
        List<PackingProblem> all = new ArrayList<>();
        List<Double> estimate = new ArrayList<>();
        boolean[] placeable = new boolean[groups.size()]; // some candidate holds the pod group and its new node admits it
        String[] refused = new String[groups.size()]; // why a new node the shape's check lets the pod group onto refuses it
        NodeShape sample = null; // a candidate as a node of the group: its labels but the instance type's are every one's
        for (NodeShape s : candidates) {
            if (!s.hasPrice() || !(s.pricePerHourUsd() > 0) || !s.arch().equals(Consolidation.archOf(first))) {
                continue;
            }
            NodeShape as = new NodeShape(s.name(), s.provider(), s.family(), s.arch(), s.capacity(), s.allocatable(), s.reservation(),
                    s.pricePerHourUsd(), s.gpuModel(), Consolidation.replacedLabels(first, s), first.taints(), s.gpuVendor(), s.kubeletCapacity());
            sample = sample == null ? as : sample;
            PackingProblem problem = new PackingProblem(table, as, daemonLoad);
            if (problem.schedulableGroups().length == 0 || !agreesWithNode(problem, groups, first, as, placeable, refused)) {
                continue;
            }
            double nodes = 0;
            for (int r = 0; r < D; r++) {
                if (need[r] > 0) {
                    nodes = problem.podCapacity()[r] <= 0 ? Double.POSITIVE_INFINITY : Math.max(nodes, (double) need[r] / problem.podCapacity()[r]);
                }
            }
            all.add(problem);
            // Whole nodes: a fluid share of a large shape is cheap, yet a small group pays for all of it (the 48xlarge
            // outranked the 2xlarge that holds three m5.xlarge's pods).
            estimate.add(problem.schedulableGroups().length < groups.size() ? Double.POSITIVE_INFINITY
                    : Math.ceil(nodes - 1e-9) * s.pricePerHourUsd());
        }
        List<Integer> stray = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            if (!placeable[g]) {
                stray.add(g);
            }
        }
        if (stray.size() == groups.size() && java.util.Arrays.stream(refused).allMatch(java.util.Objects::isNull)) {
            return null; // no candidate holds any of the pods (none of the group's architecture, say): nothing to leave out
        }
        if (!stray.isEmpty()) {
            for (int g : stray) {
                // The shape's check refused it: on a label a node of the group has (its hostname), the new node's words.
                if (refused[g] == null && sample != null) {
                    refused[g] = Consolidation.refusal(groups.get(g).placement(), first, sample);
                }
            }
            return repackWithout(f, group, candidates, leftOut, stray, nodesOf, podsOf, (g, pod) -> refused[g] == null
                    ? "no candidate shape holds " + pod + " as a node of the group" : "a new node of the group would not admit " + pod
                    + " (" + refused[g] + ")");
        }
        Integer[] ranked = new Integer[all.size()];
        for (int i = 0; i < ranked.length; i++) {
            ranked[i] = i;
        }
        java.util.Arrays.sort(ranked, Comparator.comparingDouble((Integer i) -> estimate.get(i)).thenComparing(i -> all.get(i).shape().name()));
        List<Integer> chosen = new ArrayList<>();
        for (int k = 0; k < Math.min(SHAPES, ranked.length); k++) {
            chosen.add(ranked[k]);
        }
        // A pod group no chosen shape takes brings the cheapest shape that does (by the same estimate, then price).
        List<Integer> untaken = new ArrayList<>();
        for (int g = 0; g < groups.size(); g++) {
            final int group0 = g;
            if (chosen.stream().noneMatch(i -> takes(all.get(i), group0))) {
                Integer add = null;
                for (Integer i : ranked) {
                    if (takes(all.get(i), g) && (add == null || all.get(i).shape().pricePerHourUsd() < all.get(add).shape().pricePerHourUsd())) {
                        add = i;
                    }
                }
                if (add == null) {
                    untaken.add(g); // only shapes whose new nodes refuse another pod group take it
                } else {
                    chosen.add(add);
                }
            }
        }
        if (!untaken.isEmpty()) {
            return repackWithout(f, group, candidates, leftOut, untaken, nodesOf, podsOf, (x, pod) -> "no candidate shape whose new "
                    + "nodes admit the group's other pods holds " + pod);
        }
        List<PackingProblem> problems = new ArrayList<>();
        double[] prices = new double[chosen.size()];
        for (int k = 0; k < chosen.size(); k++) {
            problems.add(all.get(chosen.get(k)));
            prices[k] = all.get(chosen.get(k)).shape().pricePerHourUsd();
        }
        // The best single shape packed first-fit decreasing is the mix to beat (mixed pools never returns a dearer one).
        // Single shapes: first-fit decreasing on each, then the Timefold local search on the cheapest few, towards each one's bound.
        List<PackingResult> singles = new ArrayList<>();
        for (int k = 0; k < problems.size(); k++) {
            PackingResult single = PackingEngine.pack(problems.get(k), PackingStrategies.FFD.create(), 0);
            singles.add(single.unschedulablePodCount() == 0 ? single : null);
        }
        Integer[] byCost = new Integer[problems.size()];
        for (int k = 0; k < byCost.length; k++) {
            byCost[k] = k;
        }
        java.util.Arrays.sort(byCost, Comparator.comparingDouble((Integer k) -> singles.get(k) == null ? Double.POSITIVE_INFINITY
                : singles.get(k).nodeCount() * prices[k]).thenComparing(k -> k));
        MixedPools.Result incumbent = null;
        for (int j = 0; j < Math.min(SEARCHED_SHAPES, byCost.length) && singles.get(byCost[j]) != null; j++) {
            int k = byCost[j];
            PackingResult better = LocalSearch.improve(singles.get(k), LowerBounds.compute(problems.get(k)), SEARCH, 0, "ffd+local-search");
            if (incumbent == null || better.nodeCount() * prices[k] < incumbent.costPerHour() - 1e-9) {
                int[] nodeShape = new int[better.nodeCount()];
                java.util.Arrays.fill(nodeShape, k);
                incumbent = new MixedPools.Result(nodeShape, better.assignment(), prices[k] * nodeShape.length, 0, 0, 0, 0, 0);
            }
        }
        MixedPools.Result mix = incumbent;
        if (order.size() <= MIX_PODS || incumbent == null) {
            try {
                mix = MixedPools.solve(problems, prices, incumbent, new MixedPools.Settings(Math.min(MAX_POOLS, problems.size()), 1,
                        Math.min(8, problems.size()), PatternPacking.Limits.defaults()));
            } catch (IllegalArgumentException e) {
                return null; // some pod fits none of them after all
            }
        }
        if (mix.costPerHour() >= cost - 1e-9) {
            return null;
        }
        // New nodes named after the group's first node; pods in the workload's order.
        Map<Integer, List<String>> names = new TreeMap<>();
        String[] nodeName = new String[mix.nodeShape().length];
        for (int node = 0; node < nodeName.length; node++) {
            nodeName[node] = first.name() + "-repack-" + node;
            names.computeIfAbsent(mix.nodeShape()[node], k -> new ArrayList<>()).add(nodeName[node]);
        }
        Map<String, String> podTo = new LinkedHashMap<>();
        Map<String, Integer> movedTo = new TreeMap<>();
        for (int pod = 0; pod < order.size(); pod++) {
            String to = nodeName[mix.assignment()[pod]];
            podTo.put(order.get(pod).fullName(), to);
            movedTo.merge(to, 1, Integer::sum);
        }
        List<Consolidation.NewNodes> newNodes = new ArrayList<>();
        names.forEach((s, list) -> newNodes.add(new Consolidation.NewNodes(problems.get(s).shape(), list)));
        List<Consolidation.Partner> partners = new ArrayList<>();
        for (int k = 1; k < group.size(); k++) {
            int i = group.get(k);
            ClusterSnapshot.Node node = f.nodes().get(i);
            partners.add(new Consolidation.Partner(node.name(), node.instanceType(), f.priceOf()[i], f.movable().get(i).size()));
        }
        int i0 = group.get(0);
        return new Consolidation.Action(Consolidation.Kind.REPACK, first.name(), first.instanceType(), f.priceOf()[i0], null, order.size(),
                movedTo, cost - mix.costPerHour(), partners, newNodes, podTo, daemonLoad);
    }

    /**
     * The pods an inter-pod rule concerns: those with a required pod affinity or anti-affinity term
     * or a hard spread of their own, and those some pod's such term or spread selects. A node none
     * of whose pods is concerned may be repacked where the snapshot has no hard spread: its pods
     * move to new nodes with nothing to check, and no check of the greedy steps over the other
     * nodes counts them. (A hard spread counts nodes as domains, and the greedy steps over the
     * other nodes would see neither the repacked nodes nor the new ones.)
     */
    static Set<ClusterSnapshot.Pod> concerned(List<ClusterSnapshot.Pod> pods) {
        Set<ClusterSnapshot.Pod> out = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        Set<List<Object>> terms = new java.util.LinkedHashSet<>();
        for (ClusterSnapshot.Pod p : pods) {
            io.nodesizer.model.Placement pl = p.placement();
            pl.antiAffinity().forEach(t -> terms.add(List.of(p.namespace(), t)));
            pl.affinity().forEach(t -> terms.add(List.of(p.namespace(), t)));
            pl.spread().stream().filter(io.nodesizer.model.Placement.Spread::hard).forEach(sp -> terms.add(List.of(p.namespace(), sp.term())));
            if (!pl.antiAffinity().isEmpty() || !pl.affinity().isEmpty() || pl.spread().stream().anyMatch(io.nodesizer.model.Placement.Spread::hard)) {
                out.add(p);
            }
        }
        // Selectors look at a pod's namespace and labels only: one answer per label class.
        Map<List<Object>, Boolean> selected = new java.util.HashMap<>();
        for (ClusterSnapshot.Pod q : pods) {
            boolean hit = selected.computeIfAbsent(List.of(q.placement().namespace(), q.placement().podLabels()), k -> terms.stream()
                    .anyMatch(t -> io.nodesizer.kube.PodConflicts.matches((io.nodesizer.model.Placement.PodAffinityTerm) t.get(1),
                            (String) t.get(0), q.placement())));
            if (hit) {
                out.add(q);
            }
        }
        return out;
    }

    /**
     * Whether every pod group the problem lets onto {@code shape} is admitted by a new node of the
     * group as it would be: {@code first}'s labels, zone and taints, a new hostname (what the plan's
     * verification asks). A shape has no zone and no hostname, so a pod whose node selector or
     * required affinity names a zone other than its node group's (labels changed after it was
     * scheduled: IgnoredDuringExecution) or its old node's hostname passes the shape's check; moved
     * to the new nodes, the plan failed its verification. Such a shape is left out of the mix.
     * Marks in {@code placeable} the pod groups the shape's new node takes, and keeps in
     * {@code refused} the first reason one was refused: a pod group that no shape's new node takes
     * then leaves its nodes out of the repack ({@link #repackWithout}), instead of every shape
     * being left out for it and the whole group with them.
     */
    private static boolean agreesWithNode(PackingProblem problem, List<PodGroup> groups, ClusterSnapshot.Node first, NodeShape shape,
            boolean[] placeable, String[] refused) {
        boolean agrees = true;
        for (int g : problem.schedulableGroups()) {
            String why = Consolidation.refusal(groups.get(g).placement(), first, shape);
            if (why == null) {
                placeable[g] = true;
            } else {
                agrees = false;
                refused[g] = refused[g] == null ? why : refused[g];
            }
        }
        return agrees;
    }

    /**
     * The repack of the group without the nodes that run pods of the pod groups {@code stray}, each
     * noted in {@code leftOut} with {@code why} (the pod group, and its first pod on that node);
     * null when fewer than two nodes are left.
     */
    private static Consolidation.Action repackWithout(ConsolidationBound.Fleet f, List<Integer> group, List<NodeShape> candidates,
            Map<String, String> leftOut, List<Integer> stray, List<Set<Integer>> nodesOf, List<List<ClusterSnapshot.Pod>> podsOf,
            java.util.function.BiFunction<Integer, String, String> why) {
        Set<Integer> out = new java.util.TreeSet<>();
        for (int g : stray) {
            for (int i : nodesOf.get(g)) {
                String node = f.nodes().get(i).name();
                if (out.add(i)) {
                    String pod = podsOf.get(g).stream().filter(p -> node.equals(p.nodeName())).findFirst().orElseThrow().fullName();
                    leftOut.putIfAbsent(node, why.apply(g, pod));
                }
            }
        }
        List<Integer> rest = group.stream().filter(i -> !out.contains(i)).toList();
        return rest.size() >= 2 ? repack(f, rest, candidates, leftOut) : null;
    }

    private static boolean takes(PackingProblem p, int group) {
        return java.util.Arrays.binarySearch(p.schedulableGroups(), group) >= 0;
    }
}

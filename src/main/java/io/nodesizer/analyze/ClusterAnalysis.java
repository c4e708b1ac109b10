package io.nodesizer.analyze;

import io.nodesizer.catalog.Catalogs;
import io.nodesizer.engine.Amounts;
import io.nodesizer.engine.LeastRequests;
import io.nodesizer.engine.LeastRequestsByResource;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.ExtendedResources;
import io.nodesizer.model.InstanceType;
import io.nodesizer.model.Resource;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a running cluster holds: per node and per pool, requested against allocatable on every
 * resource (DaemonSet and static pods apart), stranded capacity, the pods still pending and why they do not
 * fit, and today's cost where the instance types are in a bundled catalog.
 */
public final class ClusterAnalysis {
    private static final int D = Resource.COUNT;

    /**
     * @param requested  Σ requests of the pods bound to the node (DaemonSet pods included)
     * @param daemonSets the DaemonSet and static pods' share of {@code requested}
     * @param stranded   free amounts no pod of this cluster could use because another resource of the node is exhausted
     *                   (none on a closed node, {@link ClusterSnapshot.Node#closed}, nor on a control-plane one,
     *                   {@link ClusterSnapshot.Node#controlPlane})
     * @param extendedRequested what its pods request of the resources nodesizer does not pack (devices, MIG slices,
     *                          hugepages), by name, in thousandths: NodeResourcesFit counts them as it counts CPU
     */
    public record NodeRow(ClusterSnapshot.Node node, Resources requested, Resources daemonSets, int pods, Resources stranded,
                          Double pricePerHour, Integer unplaceableIfLost, Map<String, Long> extendedRequested) {
        public NodeRow {
            extendedRequested = Map.copyOf(extendedRequested);
        }

        public Resources free() {
            return node.allocatable().minusFloorZero(requested);
        }

        /** What is free of extended resource {@code name}: allocatable less its pods' requests (0 at least). */
        public long extendedFree(String name) {
            return ClusterAnalysis.extendedFree(node, extendedRequested, name);
        }
    }

    /** What is free of extended resource {@code name} on {@code node} whose pods request {@code used}: 0 at least. */
    private static long extendedFree(ClusterSnapshot.Node node, Map<String, Long> used, String name) {
        return Math.max(0, node.extended().getOrDefault(name, 0L) - used.getOrDefault(name, 0L));
    }

    /**
     * The first extended resource the pod requests more of than {@code free} gives of it (kube-scheduler's
     * {@code Insufficient <name>}, noderesources/fit.go {@code fitsRequest} over the scalar resources), or null.
     */
    private static String extendedShort(ClusterSnapshot.Pod pod, java.util.function.ToLongFunction<String> free) {
        for (Map.Entry<String, Long> e : pod.extended().entrySet()) {
            if (e.getValue() > free.applyAsLong(e.getKey())) {
                return e.getKey();
            }
        }
        return null;
    }

    public record PoolRow(String pool, String instanceType, int nodes, Resources allocatable, Resources requested, Double costPerHour) {
    }

    public record Pending(ClusterSnapshot.Pod pod, String reason) {
    }

    /**
     * @param costPerHour        Σ node prices, null when some node's instance type has no known price
     * @param unknownTypes       instance types no bundled catalog prices
     * @param podsOnUnknownNodes pods bound to a node the snapshot does not list (not counted anywhere)
     * @param failureChecks      pods × nodes, the checks {@link NodeRow#unplaceableIfLost} takes (skipped above
     *                           {@link #FAILURE_CHECK_LIMIT}: {@link #failureChecked})
     * @param perPodNodes        EKS Fargate and virtual-kubelet nodes (capacity billed per pod): listed,
     *                           but not in {@code costPerHour} nor in {@code unknownTypes}
     */
    public record Result(List<NodeRow> nodes, List<PoolRow> pools, List<Pending> pending, Double costPerHour,
                         List<String> unknownTypes, List<String> podsOnUnknownNodes, List<String> sources, long failureChecks,
                         int perPodNodes) {

        /** Whether {@link NodeRow#unplaceableIfLost} was worked out: null in every row when not. */
        public boolean failureChecked() {
            return failureChecks <= FAILURE_CHECK_LIMIT;
        }

        /**
         * The worker nodes (control plane and Fargate aside) that stay: how many, their cost per hour (null when some type has
         * no price), the unpriced types; and those an autoscaler is deleting ({@link ClusterSnapshot.Node#deletedBy}), left out:
         * gone in minutes, they are no capacity today's cluster keeps, and a sizing compared with them would claim their
         * removal as its saving.
         */
        public Workers workers() {
            int count = 0;
            int deleting = 0;
            double cost = 0;
            TreeSet<String> unpriced = new TreeSet<>();
            for (NodeRow n : nodes) {
                if (!n.node().worker()) {
                    continue;
                }
                if (n.node().deletedBy() != null) {
                    deleting++;
                    continue;
                }
                count++;
                if (n.pricePerHour() == null) {
                    unpriced.add(unpriced(n.node()));
                } else {
                    cost += n.pricePerHour();
                }
            }
            return new Workers(count, unpriced.isEmpty() ? cost : null, List.copyOf(unpriced), deleting);
        }
    }

    /** @param deleting worker nodes left out of the others because an autoscaler is deleting them */
    public record Workers(int nodes, Double costPerHour, List<String> unknownTypes, int deleting) {
    }

    /** Pods × nodes above which the "if this node failed" check is skipped (it is quadratic). */
    public static final long FAILURE_CHECK_LIMIT = 50_000_000L;

    private ClusterAnalysis() {
    }

    /** The analysis with Cluster Autoscaler's default expendable-pods cutoff. */
    public static Result analyze(ClusterSnapshot snapshot) {
        return analyze(snapshot, io.nodesizer.kube.ExpendablePods.DEFAULT_CUTOFF);
    }

    /**
     * @param expendablePodsPriorityCutoff Cluster Autoscaler's {@code --expendable-pods-priority-cutoff}: a pending
     *                                     pod below it is said to get no node from CA
     */
    public static Result analyze(ClusterSnapshot snapshot, int expendablePodsPriorityCutoff) {
        Map<String, Double> prices = prices();
        Map<String, Integer> index = new HashMap<>();
        List<ClusterSnapshot.Node> nodes = snapshot.nodes();
        for (int i = 0; i < nodes.size(); i++) {
            index.put(nodes.get(i).name(), i);
        }
        long[][] requested = new long[nodes.size()][D];
        List<Map<String, Long>> extRequested = new ArrayList<>(); // per node, its pods' extended requests
        for (int i = 0; i < nodes.size(); i++) {
            extRequested.add(new HashMap<>());
        }
        long[][] daemonSets = new long[nodes.size()][D];
        int[] podCount = new int[nodes.size()];
        List<List<ClusterSnapshot.Pod>> podsOn = new ArrayList<>(); // per node, its pods other than DaemonSet and static pods
        List<List<ClusterSnapshot.Pod>> allOn = new ArrayList<>(); // per node, all its pods (for the hostname rules)
        for (int i = 0; i < nodes.size(); i++) {
            podsOn.add(new ArrayList<>());
            allOn.add(new ArrayList<>());
        }
        List<ClusterSnapshot.Pod> unbound = new ArrayList<>();
        List<String> orphans = new ArrayList<>();
        long[] smallest = new long[D];
        java.util.Arrays.fill(smallest, Long.MAX_VALUE);
        // Per kind of placement (what a node must be for the pod), the least requests: a node's room is usable when a pod of a
        // kind it admits fits it (review 48: a tainted GPU node's CPU was called usable by pods that do not tolerate the taint).
        Map<List<Object>, PlacedLeast> least = new LinkedHashMap<>();
        for (ClusterSnapshot.Pod p : snapshot.pods()) {
            long[] r = p.request().toArray();
            // DaemonSet and static pods come with their node (a static pod's mirror is owned by the Node, and
            // the kubelet, not the scheduler, runs it): node overhead, never pods to place elsewhere, as
            // recommend --snapshot counts them (SnapshotWorkload).
            boolean withNode = p.daemonSet() || p.staticPod();
            for (int k = 0; k < D; k++) {
                if (r[k] > 0 && !withNode) {
                    smallest[k] = Math.min(smallest[k], r[k]);
                }
            }
            if (!withNode) {
                io.nodesizer.model.Placement pl = p.placement();
                // Its extended requests too: whether a node has the MIG slices, hugepages … left for it is part of the fit (QA c F3).
                least.computeIfAbsent(java.util.Arrays.asList(pl.nodeSelector(), pl.requiredTerms(), pl.tolerations(), p.gpuVendor(),
                                p.extended()),
                        k -> new PlacedLeast(p, new LeastRequestsByResource(java.util.stream.IntStream.range(0, D).toArray(), D,
                                LeastRequests.LIMIT))).least().add(r);
            }
            if (p.nodeName() == null) {
                unbound.add(p);
                continue;
            }
            Integer n = index.get(p.nodeName());
            if (n == null) {
                orphans.add(p.fullName() + " on " + p.nodeName());
                continue;
            }
            podCount[n]++;
            p.extended().forEach((name, amount) -> extRequested.get(n).merge(name, amount, Long::sum));
            if (!withNode) {
                podsOn.get(n).add(p);
            }
            allOn.get(n).add(p);
            for (int k = 0; k < D; k++) {
                requested[n][k] += r[k];
                if (withNode) {
                    daemonSets[n][k] += r[k];
                }
            }
        }
        long failureChecks = (long) snapshot.pods().size() * nodes.size();
        boolean failureChecked = failureChecks <= FAILURE_CHECK_LIMIT;
        // The least requests by placement, or null where too many to check a node against (the per-resource test decides).
        // (a resource whose least requests overflow in some kind falls back alone: stranded() checks it per resource)
        Map<List<Object>, PlacedLeast> leastKinds = least.size() > MAX_KINDS ? null : least;
        io.nodesizer.kube.PodTopologyRules rules = new io.nodesizer.kube.PodTopologyRules(snapshot.pods(), nodes);
        List<NodeRow> rows = new ArrayList<>();
        TreeSet<String> unknown = new TreeSet<>();
        double cost = 0;
        boolean allPriced = true;
        int perPodNodes = 0;
        for (int i = 0; i < nodes.size(); i++) {
            ClusterSnapshot.Node node = nodes.get(i);
            String type = node.instanceType();
            Double price = priceOf(node, prices);
            if (node.billedPerPod()) {
                // Fargate and virtual-kubelet pods are billed by their own vCPU and memory, not as a node: no node price, no "unknown type".
                perPodNodes++;
            } else if (price == null) {
                allPriced = false;
                unknown.add(type == null ? "node " + node.name() + " without an instance-type label" : unpriced(node));
            } else {
                cost += price;
            }
            rows.add(new NodeRow(node, Resources.of(requested[i]), Resources.of(daemonSets[i]), podCount[i],
                    // A node billed per pod (Fargate, virtual kubelet) is sized to its pod and its free room costs
                    // nothing: none of it is stranded capacity anyone pays for.
                    // nor is a closed one's (cordoned, being deleted, not ready): draining or unhealthy, not room the packing strands;
                    // nor a control-plane node's: its taint keeps workloads off by design (QA 64a F17: three masters' room read as waste).
                    node.billedPerPod() || node.closed() || node.controlPlane() ? Resources.ZERO : stranded(node, requested[i], extRequested.get(i), smallest, leastKinds), price,
                    failureChecked ? unplaceableIfLost(i, nodes, requested, extRequested, podsOn.get(i), rules, allOn,
                            expendablePodsPriorityCutoff) : null,
                    extRequested.get(i)));
        }
        Map<String, long[][]> byPool = new LinkedHashMap<>();
        Map<String, String> poolType = new LinkedHashMap<>();
        Map<String, Integer> poolNodes = new LinkedHashMap<>();
        Map<String, Double> poolCost = new LinkedHashMap<>();
        for (NodeRow row : rows) {
            String pool = row.node().pool();
            long[][] sums = byPool.computeIfAbsent(pool, k -> new long[2][D]);
            add(sums[0], row.node().allocatable().toArray());
            add(sums[1], row.requested().toArray());
            poolNodes.merge(pool, 1, Integer::sum);
            String t = row.node().instanceType() == null ? "(unknown)" : row.node().instanceType();
            poolType.merge(pool, t, (a, b) -> a.equals(b) ? a : "mixed");
            poolCost.merge(pool, row.pricePerHour() == null ? Double.NaN : row.pricePerHour(), Double::sum);
        }
        List<PoolRow> pools = new ArrayList<>();
        for (Map.Entry<String, long[][]> e : byPool.entrySet()) {
            double c = poolCost.get(e.getKey());
            pools.add(new PoolRow(e.getKey(), poolType.get(e.getKey()), poolNodes.get(e.getKey()), Resources.of(e.getValue()[0]),
                    Resources.of(e.getValue()[1]), Double.isNaN(c) ? null : c));
        }
        List<Pending> pending = new ArrayList<>();
        int lowestRunning = Integer.MAX_VALUE;
        for (List<ClusterSnapshot.Pod> on : podsOn) {
            for (ClusterSnapshot.Pod p : on) {
                lowestRunning = Math.min(lowestRunning, p.priority());
            }
        }
        // Each pending pod looks at every running pod: skipped, as the failure check is, on clusters where that is too many.
        boolean preemptionChecked = (long) unbound.size() * snapshot.pods().size() <= FAILURE_CHECK_LIMIT;
        io.nodesizer.kube.PreemptionBudgets budgets = preemptionChecked && !unbound.isEmpty() ? io.nodesizer.kube.PreemptionBudgets.of(snapshot) : null;
        for (ClusterSnapshot.Pod p : unbound) {
            String held = heldFromScheduling(p);
            if (held != null) {
                pending.add(new Pending(p, held));
                continue; // kube-scheduler does not try it: neither room nor preemption is the question
            }
            String why = whyPending(p, rows, rules, allOn);
            if (preemptionChecked && p.priority() > lowestRunning && !why.startsWith(FITS) && (p.template() == null || p.template().preempts())) {
                String room = preemptionRoom(p, rows, podsOn, budgets, rules, allOn);
                why = room == null ? why : why + "; " + room;
            }
            if (p.schedulerName() != null) {
                // kube-scheduler skips a pod naming another scheduler: whether that one places it is its own affair.
                why = "it names scheduler " + p.schedulerName() + " (spec.schedulerName), not kube-scheduler, which this models"
                        + (p.schedulerName().equals(FARGATE_SCHEDULER) ? " (EKS Fargate: AWS runs it on a micro-VM of its own, not on a node)"
                        : "") + "; for kube-scheduler it " + (why.startsWith(FITS) ? why.replaceFirst(": not short of capacity.*$", "")
                        .replaceFirst("^" + java.util.regex.Pattern.quote(FITS), "would fit the free room of node ") : "would wait: " + why);
            }
            if (io.nodesizer.kube.ExpendablePods.expendable(p.priority(), expendablePodsPriorityCutoff)) {
                why += "; its priority (" + p.priority() + ") is below --expendable-pods-priority-cutoff (" + expendablePodsPriorityCutoff
                        + "): Cluster Autoscaler adds no node for it (an expendable pod, core/utils/expendable.go)";
            }
            pending.add(new Pending(p, why));
        }
        return new Result(rows, pools, pending, allPriced ? cost : null, List.copyOf(unknown), orphans, snapshot.sources(),
                failureChecks, perPodNodes);
    }

    /**
     * How many of node {@code lost}'s pods (DaemonSet pods aside: they die with it) find no room on
     * the other schedulable nodes if it fails: first fit onto what the others have free, their
     * labels, taints and GPU vendor admit, and the inter-pod rules allow (required affinity and
     * anti-affinity and DoNotSchedule spread against the pods each node runs, on any key), largest
     * first and, when that strands some, again with the pods that fewest nodes admit first (as
     * {@code pack --fleet} retries its pinned pods); the fewer of the two. Greedy, so an upper
     * estimate of what a rescheduling would strand (QA 47c: largest first sent a 1-CPU pod to the
     * only zone where a spread let the 0.5-CPU one go, which the other order places).
     */
    private static int unplaceableIfLost(int lost, List<ClusterSnapshot.Node> nodes, long[][] requested, List<Map<String, Long>> extRequested,
                                         List<ClusterSnapshot.Pod> pods, io.nodesizer.kube.PodTopologyRules rules,
                                         List<List<ClusterSnapshot.Pod>> allOn, int cutoff) {
        // Expendable pods (over-provisioning placeholders, below the cutoff) are not counted lost: losing them is their design
        // (QA 70b F9), and the room they hold elsewhere is room for the others, which preempt them (strandedInOrder).
        List<ClusterSnapshot.Pod> order = new ArrayList<>();
        for (ClusterSnapshot.Pod p : pods) {
            if (!io.nodesizer.kube.ExpendablePods.expendable(p.priority(), cutoff)) {
                order.add(p);
            }
        }
        if (order.isEmpty()) {
            return 0;
        }
        Comparator<ClusterSnapshot.Pod> largest = (x, y) -> {
            long[] a = x.request().toArray();
            long[] b = y.request().toArray();
            int c = Long.compare(b[Resource.CPU.ordinal()], a[Resource.CPU.ordinal()]);
            return c != 0 ? c : Long.compare(b[Resource.MEMORY.ordinal()], a[Resource.MEMORY.ordinal()]);
        };
        order.sort(largest);
        int stranded = strandedInOrder(lost, nodes, requested, extRequested, order, rules, allOn, null, cutoff);
        if (stranded == 0 || order.size() == 1) {
            return stranded;
        }
        int[] admitting = new int[order.size()];
        strandedInOrder(lost, nodes, requested, extRequested, order, rules, allOn, admitting, cutoff);
        java.util.Map<ClusterSnapshot.Pod, Integer> room = new java.util.IdentityHashMap<>();
        for (int j = 0; j < order.size(); j++) {
            room.put(order.get(j), admitting[j]);
        }
        List<ClusterSnapshot.Pod> tight = new ArrayList<>(order);
        tight.sort(Comparator.comparingInt((ClusterSnapshot.Pod p) -> room.get(p)).thenComparing(largest));
        return tight.equals(order) ? stranded : Math.min(stranded, strandedInOrder(lost, nodes, requested, extRequested, tight, rules, allOn,
                null, cutoff));
    }

    /**
     * Pods of {@code order} that {@link #unplaceableIfLost}'s first fit leaves without a node; with
     * {@code admitting} given, it counts instead per pod the nodes that would take it, placing none.
     */
    private static int strandedInOrder(int lost, List<ClusterSnapshot.Node> nodes, long[][] requested, List<Map<String, Long>> extRequested,
                                       List<ClusterSnapshot.Pod> order,
                                       io.nodesizer.kube.PodTopologyRules rules, List<List<ClusterSnapshot.Pod>> allOn, int[] admitting,
                                       int cutoff) {
        boolean[] open = new boolean[nodes.size()];
        boolean[] present = new boolean[nodes.size()]; // spread domains: cordoned nodes count (nodeTaintsPolicy Ignore)
        List<List<ClusterSnapshot.Pod>> onNode = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            open[i] = i != lost && !nodes.get(i).closedToMoves(); // asked once a node: closed() reads its taints and conditions
            present[i] = i != lost;
            onNode.add(!rules.active() ? allOn.get(i) : i == lost ? new ArrayList<>() : new ArrayList<>(allOn.get(i)));
        }
        long[][] free = new long[nodes.size()][];
        for (int i = 0; i < nodes.size(); i++) {
            long[] alloc = nodes.get(i).allocatable().toArray();
            free[i] = new long[D];
            for (int k = 0; k < D; k++) {
                free[i][k] = !open[i] ? 0 : Math.max(0, alloc[k] - requested[i][k]);
            }
        }
        // Per node, the room its expendable pods hold: a pod that may preempt takes it (kube-scheduler evicts them for it).
        long[][] reclaim = new long[nodes.size()][D];
        for (int i = 0; i < nodes.size(); i++) {
            if (open[i]) {
                for (ClusterSnapshot.Pod p : allOn.get(i)) {
                    if (io.nodesizer.kube.ExpendablePods.expendable(p.priority(), cutoff)) {
                        long[] r = p.request().toArray();
                        for (int k = 0; k < D; k++) {
                            reclaim[i][k] += r[k];
                        }
                    }
                }
            }
        }
        // Per node, what the pods moved there so far take of the extended resources (made when one with such requests moves).
        List<Map<String, Long>> extMoved = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            extMoved.add(null);
        }
        int stranded = 0;
        for (int j = 0; j < order.size(); j++) {
            ClusterSnapshot.Pod pod = order.get(j);
            long[] want = pod.request().toArray();
            boolean placed = false;
            boolean[] domains = io.nodesizer.kube.PodTopologyRules.needsDomains(pod)
                    ? present : null;
            boolean preempts = pod.template() == null || pod.template().preempts();
            for (int i = 0; i < nodes.size() && !placed; i++) {
                ClusterSnapshot.Node n = nodes.get(i);
                boolean fits = n.refuses(pod) == null;
                for (int k = 0; k < D && fits; k++) {
                    fits = want[k] <= free[i][k] + (preempts ? reclaim[i][k] : 0);
                }
                if (fits && !pod.extended().isEmpty()) {
                    int at = i;
                    fits = extendedShort(pod, name -> n.extended().getOrDefault(name, 0L) - extRequested.get(at).getOrDefault(name, 0L)
                            - (extMoved.get(at) == null ? 0 : extMoved.get(at).getOrDefault(name, 0L))) == null;
                }
                if (fits && open[i] && rules.admits(pod, i, onNode, domains)) {
                    if (admitting != null) {
                        admitting[j]++;
                        continue;
                    }
                    for (int k = 0; k < D; k++) {
                        free[i][k] -= want[k];
                        if (free[i][k] < 0) { // the rest from the expendable pods' room
                            reclaim[i][k] += free[i][k];
                            free[i][k] = 0;
                        }
                    }
                    if (!pod.extended().isEmpty()) {
                        if (extMoved.get(i) == null) {
                            extMoved.set(i, new HashMap<>());
                        }
                        Map<String, Long> moved = extMoved.get(i);
                        pod.extended().forEach((name, amount) -> moved.merge(name, amount, Long::sum));
                    }
                    if (rules.active()) {
                        onNode.get(i).add(pod);
                    }
                    placed = true;
                }
            }
            stranded += placed ? 0 : 1;
        }
        return stranded;
    }

    /**
     * Free amounts no pod of this cluster could use: the free amount of a resource that is not below the smallest request
     * for it, on a node where no pod asking some of that resource and that the node admits (node selector, required node
     * affinity, tolerations, GPU vendor) fits the free room on every resource at once, extended resources included
     * against what the node's pods already use of them, as the pending reasons test a fit ({@link #whyPending}; QA c F3:
     * a node whose MIG slices were all taken kept its CPU "not stranded" for pods that could not go there). A node whose
     * GPUs are all taken still takes the pods that ask for none; a pod asking none of a resource uses none of it, so a
     * BestEffort pod fitting everywhere strands nothing less (QA 61a F1), and a resource no pod asks (ephemeral storage,
     * mostly) and the pod slots are never stranded (QA 61a F2: the whole free disk was). With too many least requests to
     * check ({@code least} null), a resource below its smallest request alone marks the node. Devices claimed through
     * Dynamic Resource Allocation are left out of the fit, as the pending reasons leave them.
     */
    private static Resources stranded(ClusterSnapshot.Node node, long[] requested, Map<String, Long> extRequested, long[] smallest,
                                      Map<List<Object>, PlacedLeast> least) {
        long[] alloc = node.allocatable().toArray();
        long[] free = new long[D];
        boolean[] exhausted = new boolean[D];
        boolean any = false;
        for (int k = 0; k < D; k++) {
            free[k] = Math.max(0, alloc[k] - requested[k]);
            exhausted[k] = alloc[k] > 0 && smallest[k] != Long.MAX_VALUE && free[k] < smallest[k];
            any |= exhausted[k];
        }
        long[] out = new long[D];
        for (int k = 0; k < D; k++) {
            int r = k;
            if (exhausted[k] || k == Resource.PODS.ordinal() || smallest[k] == Long.MAX_VALUE) {
                continue;
            }
            boolean unusable = least == null || least.values().stream().anyMatch(kind -> kind.least().overflow(r)) ? any
                    : least.values().stream().noneMatch(kind -> kind.least().fitsOneAsking(r, free) && node.refusesBesidesClaims(kind.pod()) == null
                    && extendedShort(kind.pod(), name -> ExtendedResources.claim(name) ? Long.MAX_VALUE : extendedFree(node, extRequested, name)) == null);
            out[k] = unusable ? free[k] : 0;
        }
        return Resources.of(out);
    }

    private static final String FITS = "fits the free room of node ";
    private static final String HOST_PORT = io.nodesizer.kube.PodTopologyRules.HOST_PORT;
    /**
     * Pods of one kind of placement and extended requests: one of them, which a node admits and has the extended room for
     * as it does for them all, and their least requests.
     */
    private record PlacedLeast(ClusterSnapshot.Pod pod, LeastRequestsByResource least) {
    }

    /** Kinds of placement {@link #stranded} checks each node against at most; past it, a resource below its smallest request decides. */
    private static final int MAX_KINDS = 256;

    /**
     * Where kube-scheduler's preemption (DefaultPreemption's PostFilter) could make room for a pending
     * pod that fits no free room or that the inter-pod rules refuse; null when nowhere, or a sentence
     * saying preemption cannot help when evicting every lower-priority pod still leaves it refused by
     * the inter-pod rules (a higher-priority pod's anti-affinity, say) wherever its resources would fit.
     * On each schedulable node that admits it the victims are chosen as
     * {@code selectVictimsOnNode} does (kubernetes {@code pkg/scheduler/framework/plugins/defaultpreemption/
     * default_preemption.go}): every pod of lower priority removed and the filters run, the
     * inter-pod ones included ({@link io.nodesizer.kube.PodTopologyRules}; a node still refused is
     * no candidate); then, most important first,
     * those whose eviction would break a PodDisruptionBudget ({@code filterPodsWithPDBViolation},
     * {@link io.nodesizer.kube.PreemptionBudgets}) reprieved first, then the others, each while the pod still fits and passes
     * the filters with it back (so a pod its anti-affinity repels is never reprieved); the node is
     * the one {@code pickOneNodeForPreemption} ({@code pkg/scheduler/framework/preemption/preemption.go})
     * takes: the fewest budget-breaking victims, the lowest highest-victim priority, then the smallest
     * sum of victim priorities, then the fewest victims ({@link io.nodesizer.kube.PreemptionVictims}),
     * then node order.
     */
    private static String preemptionRoom(ClusterSnapshot.Pod pod, List<NodeRow> rows, List<List<ClusterSnapshot.Pod>> podsOn, io.nodesizer.kube.PreemptionBudgets budgets,
                                         io.nodesizer.kube.PodTopologyRules rules, List<List<ClusterSnapshot.Pod>> allOn) {
        long[] want = pod.request().toArray();
        String best = null;
        io.nodesizer.kube.PreemptionVictims bestVictims = null;
        String stillRefused = null; // the first node where the resources would fit with every lower pod gone but a filter still refuses
        boolean[] present = new boolean[rows.size()]; // every node a spread domain, as whyPending has it
        java.util.Arrays.fill(present, true);
        for (int i = 0; i < rows.size(); i++) {
            NodeRow row = rows.get(i);
            if (row.node().cordonedFor(pod) || row.node().refuses(pod) != null) {
                continue;
            }
            long[] room = row.free().toArray();
            Map<String, Long> extRoom = new HashMap<>(); // of the extended resources the pod requests: free, and what the lower pods free
            pod.extended().keySet().forEach(name -> extRoom.put(name, row.extendedFree(name)));
            List<ClusterSnapshot.Pod> lower = new ArrayList<>();
            for (ClusterSnapshot.Pod p : podsOn.get(i)) {
                if (io.nodesizer.kube.PreemptionVictims.mayEvict(p, pod.priority())) {
                    add(room, p.request().toArray());
                    p.extended().forEach((name, amount) -> extRoom.computeIfPresent(name, (k, v) -> v + amount));
                    lower.add(p);
                }
            }
            if (lower.isEmpty() || !fitsIn(want, room) || extendedShort(pod, extRoom::get) != null) {
                continue;
            }
            // The node's pods as the filters see them during the victim search: the lower ones removed, each added back when reprieved.
            List<List<ClusterSnapshot.Pod>> onNode = null;
            List<ClusterSnapshot.Pod> here = null;
            if (rules.active()) {
                onNode = new ArrayList<>(allOn);
                here = new ArrayList<>(allOn.get(i));
                here.removeAll(lower);
                onNode.set(i, here);
                rules.listsChanged();
                String rule = rules.refusedBy(pod, i, onNode, present);
                if (rule != null) {
                    stillRefused = stillRefused != null ? stillRefused : "kube-scheduler's preemption cannot make room for it: evicting every pod of"
                            + " lower priority than its " + pod.priority() + " on node " + row.node().name() + " still leaves it refused by "
                            + (rule.equals(io.nodesizer.kube.PodTopologyRules.EXISTING_ANTI_AFFINITY) ? "the required pod anti-affinity of a remaining pod"
                            : rule.startsWith("required pod anti-affinity") ? "its own required pod anti-affinity"
                            : rule.startsWith(HOST_PORT) ? "its " + rule + ", which a remaining pod holds" : rule);
                    continue;
                }
            }
            lower.sort(ClusterSnapshot.Pod.MORE_IMPORTANT_FIRST); // reprieved in this order, as selectVictimsOnNode does
            List<List<ClusterSnapshot.Pod>> lists = onNode;
            List<ClusterSnapshot.Pod> kept = here;
            int node = i;
            List<ClusterSnapshot.Pod> chosen = new ArrayList<>();
            io.nodesizer.kube.PreemptionVictims victims = io.nodesizer.kube.PreemptionVictims.select(lower.size(),
                    budgets.breaking(lower), j -> lower.get(j).priority(),
                    j -> reprieved(pod, lower.get(j), want, room, extRoom, rules, node, lists, kept, present), j -> chosen.add(lower.get(j)));
            if (victims.count() > 0 && victims.before(bestVictims)) { // no victim: nothing to preempt (and no highest priority to name)
                bestVictims = victims;
                // The node's rank counts the violations as upstream's pickOneNodeForPreemption does (classified over every pod
                // of lower priority); what the text says of the victims is over them alone, as a pod ahead of a "violating"
                // one may be reprieved and leave the allowance unused (review 71 #4).
                int beyond = budgets.beyond(chosen).size();
                best = "kube-scheduler's preemption can make room for it on node " + row.node().name() + " by evicting " + victims.count()
                        + " pod" + (victims.count() == 1 ? "" : "s") + " of lower priority than its " + pod.priority() + " (the highest "
                        + victims.highest() + ")" + (beyond == 0 ? ""
                        : ", " + beyond + " of them beyond what their PodDisruptionBudget allows (preemption honours budgets"
                        + " only where it has the choice)");
            }
        }
        rules.listsChanged(); // the lists checked here were copies: nothing gathered for them may be reused
        return best != null ? best : stillRefused;
    }

    /**
     * Puts lower-priority pod {@code p} back on node {@code i} in the victim search of {@link #preemptionRoom}: whether
     * {@code pod} still fits ({@code want} in {@code room}, its extended requests in {@code extRoom}) and passes the
     * inter-pod filters with it staying ({@code here}, the node's pods in {@code onNode}; null when no inter-pod rule is
     * active); if so the room and the lists keep it, else they are as they were.
     */
    private static boolean reprieved(ClusterSnapshot.Pod pod, ClusterSnapshot.Pod p, long[] want, long[] room, Map<String, Long> extRoom,
                                     io.nodesizer.kube.PodTopologyRules rules, int i, List<List<ClusterSnapshot.Pod>> onNode,
                                     List<ClusterSnapshot.Pod> here, boolean[] present) {
        long[] r = p.request().toArray();
        long[] without = room.clone();
        for (int k = 0; k < D; k++) {
            without[k] -= r[k];
        }
        if (!fitsIn(want, without) || extendedShort(pod, name -> extRoom.get(name) - p.extended().getOrDefault(name, 0L)) != null) {
            return false;
        }
        if (here != null) {
            here.add(p);
            rules.listsChanged();
            if (!rules.admits(pod, i, onNode, present)) {
                here.remove(here.size() - 1);
                rules.listsChanged();
                return false;
            }
        }
        System.arraycopy(without, 0, room, 0, D);
        p.extended().forEach((name, amount) -> extRoom.computeIfPresent(name, (k, v) -> v - amount));
        return true;
    }

    private static boolean fitsIn(long[] want, long[] room) {
        for (int k = 0; k < D; k++) {
            if (want[k] > room[k]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Why kube-scheduler does not try a pending pod at all, or null: being deleted ({@code skipPodSchedule} in
     * schedule_one.go skips a pod with a deletionTimestamp), or held by scheduling gates (the SchedulingGates PreEnqueue
     * plugin keeps it out of the queue until they are removed; Cluster Autoscaler adds no node for it either, as its
     * pod condition is SchedulingGated, not Unschedulable). QA 52c F3: both read "fits … not got to it yet".
     */
    private static String heldFromScheduling(ClusterSnapshot.Pod p) {
        if (p.terminating()) {
            return "being deleted (metadata.deletionTimestamp): kube-scheduler skips it and no autoscaler adds a node for it";
        }
        if (!p.schedulingGates().isEmpty()) {
            return "held by its scheduling " + (p.schedulingGates().size() == 1 ? "gate " : "gates ") + String.join(", ", p.schedulingGates())
                    + " (spec.schedulingGates): kube-scheduler does not try it, nor Cluster Autoscaler add a node for it, until "
                    + (p.schedulingGates().size() == 1 ? "it is" : "they are") + " removed";
        }
        return null;
    }

    /** EKS's Fargate profiles give their pods this scheduler (the Fargate admission webhook). */
    public static final String FARGATE_SCHEDULER = "fargate-scheduler";

    /**
     * Why kube-scheduler leaves {@code pod} pending, by the filters nodesizer models; a pod that claims devices through
     * Dynamic Resource Allocation gets that said apart (the DynamicResources plugin admits only the nodes whose
     * ResourceSlices hold them, which a snapshot does not show), after the reason the other filters give, which its
     * pseudo-resource ({@link ExtendedResources#CLAIM}) would otherwise hide as "needs 1 resourceClaim:gpu".
     */
    private static String whyPending(ClusterSnapshot.Pod pod, List<NodeRow> rows, io.nodesizer.kube.PodTopologyRules rules,
                                     List<List<ClusterSnapshot.Pod>> allOn) {
        String why = whyPendingUnclaimed(pod, rows, rules, allOn);
        List<String> claims = pod.extended().keySet().stream().filter(ExtendedResources::claim)
                .map(c -> c.substring(ExtendedResources.CLAIM.length())).toList();
        if (claims.isEmpty()) {
            return why;
        }
        String dra = "it claims devices through Dynamic Resource Allocation (" + String.join(", ", claims) + "), which nodesizer "
                + "does not model: kube-scheduler's DynamicResources plugin admits only the nodes whose ResourceSlices hold them";
        return why.startsWith(FITS) ? why.replaceFirst(": not short of capacity.*$", java.util.regex.Matcher.quoteReplacement(
                ": not short of capacity; " + dra + ", which may be what keeps it pending")) : why + "; " + dra;
    }

    /** The GPU resource a pod requests, as kube-scheduler names it: {@code nvidia.com/gpu}, {@code amd.com/gpu}, … */
    private static String gpuName(ClusterSnapshot.Pod pod) {
        return pod.gpuVendor().isEmpty() ? "gpu" : io.nodesizer.model.GpuVendors.resources(pod.gpuVendor());
    }

    /**
     * The devices {@code pod} requests that a node may offer none of, named for messages: its GPU resource, then its extended
     * resources (Dynamic Resource Allocation's claims aside, said apart); null when it requests none.
     */
    private static String deviceName(ClusterSnapshot.Pod pod) {
        List<String> names = new ArrayList<>();
        if (pod.request().gpuMillis() > 0) {
            names.add(gpuName(pod));
        }
        pod.extended().keySet().stream().filter(n -> !ExtendedResources.claim(n)).sorted().forEach(names::add);
        return names.isEmpty() ? null : String.join(" and ", names);
    }

    /** Whether {@code node} offers some of every device {@code pod} requests (its allocatable, whatever its pods use). */
    private static boolean offersDevices(ClusterSnapshot.Pod pod, ClusterSnapshot.Node node) {
        if (pod.request().gpuMillis() > 0 && node.allocatable().gpuMillis() == 0) {
            return false;
        }
        for (String name : pod.extended().keySet()) {
            if (!ExtendedResources.claim(name) && node.extended().getOrDefault(name, 0L) == 0) {
                return false;
            }
        }
        return true;
    }

    private static String whyPendingUnclaimed(ClusterSnapshot.Pod pod, List<NodeRow> rows, io.nodesizer.kube.PodTopologyRules rules,
                                              List<List<ClusterSnapshot.Pod>> allOn) {
        long[] want = pod.request().toArray();
        long[] most = new long[D];
        String[] where = new String[D];
        // Per reason a node refuses it, the nodes (kube-scheduler's FitError lists every reason with its count: QA 52c F6).
        Map<String, List<String>> refusals = new LinkedHashMap<>();
        int admitted = 0;
        int[] short_ = new int[D]; // per resource, the admitted nodes without room for the pod's request of it
        String[] firstShort = new String[D];
        boolean[] present = new boolean[rows.size()]; // every node is a spread domain (cordoned ones too: nodeTaintsPolicy Ignore)
        java.util.Arrays.fill(present, true);
        java.util.Map<String, List<String>> byRule = new java.util.TreeMap<>(); // inter-pod filter → nodes with room it refuses
        int cordoned = 0; // nodes the NodeUnschedulable filter keeps it off
        String cordonedRoom = null; // the first of them with room for it
        // Per extended resource the pod requests: the most free on one admitted node and where, the admitted nodes short of it.
        Map<String, Long> extMost = new java.util.TreeMap<>();
        Map<String, String> extWhere = new HashMap<>();
        Map<String, Integer> extShort = new HashMap<>();
        Map<String, String> extFirstShort = new HashMap<>();
        // A node that offers none of a device the pod requests (GPUs, an extended resource) fails NodeResourcesFit on it whatever
        // else is free there (QA 74 F4: "the most free" CPU of a GPU pod was an m5's): the figures below are of the nodes that
        // offer every such device, and those that offer none are counted apart.
        String device = deviceName(pod);
        int withoutDevice = 0;
        String firstWithoutDevice = null;
        for (int i = 0; i < rows.size(); i++) {
            NodeRow row = rows.get(i);
            String why = row.node().refusesOnceUncordoned(pod);
            if (why != null) {
                refusals.computeIfAbsent(why, k -> new ArrayList<>()).add(row.node().name());
                continue; // its selector, affinity or tolerations, or its GPU vendor, keep it off this node, cordoned or not
            }
            if (row.node().cordonedFor(pod)) {
                // Counted only where the cordon alone keeps it off: uncordoning a node its selector excludes would not help (QA 52c F2).
                cordoned++;
                if (cordonedRoom == null && fitsIn(want, row.free().toArray())
                        && extendedShort(pod, name -> ExtendedResources.claim(name) ? Long.MAX_VALUE : row.extendedFree(name)) == null) {
                    cordonedRoom = row.node().name();
                }
                continue;
            }
            admitted++;
            long[] free = row.free().toArray();
            boolean fits = true;
            boolean offers = offersDevices(pod, row.node());
            if (!offers && withoutDevice++ == 0) {
                firstWithoutDevice = row.node().name();
            }
            for (int k = 0; k < D; k++) {
                fits &= want[k] <= free[k];
                if (want[k] > free[k] && short_[k]++ == 0) {
                    firstShort[k] = row.node().name();
                }
                if (offers && free[k] > most[k]) {
                    most[k] = free[k];
                    where[k] = row.node().name();
                }
            }
            for (Map.Entry<String, Long> e : pod.extended().entrySet()) {
                if (ExtendedResources.claim(e.getKey())) {
                    continue; // said apart below: no node offers it, and it would hide the reason the scheduler gives
                }
                long f = row.extendedFree(e.getKey());
                fits &= e.getValue() <= f;
                if (e.getValue() > f && extShort.merge(e.getKey(), 1, Integer::sum) == 1) {
                    extFirstShort.put(e.getKey(), row.node().name());
                }
                if (offers && f > extMost.getOrDefault(e.getKey(), -1L)) {
                    extMost.put(e.getKey(), f);
                    extWhere.put(e.getKey(), row.node().name());
                }
            }
            String rule = fits && rules.active() ? rules.refusedBy(pod, i, allOn, present) : null;
            if (rule != null) {
                byRule.computeIfAbsent(rule, k -> new ArrayList<>()).add(row.node().name());
            } else if (fits) {
                return FITS + row.node().name() + ": not short of capacity (the scheduler has not got to "
                        + "it yet, or something not modelled keeps it off)";
            }
        }
        if (!byRule.isEmpty()) {
            // A host port held on the node is kube-scheduler's NodePorts filter, not an inter-pod one (QA 61a F3).
            long ports = byRule.keySet().stream().filter(rule -> rule.startsWith(HOST_PORT)).count();
            StringBuilder sb = new StringBuilder("every schedulable node with room for it is refused by kube-scheduler's "
                    + (ports == byRule.size() ? "NodePorts filter" : ports > 0 ? "NodePorts and inter-pod filters" : "inter-pod filters") + ": ");
            int k = 0;
            for (Map.Entry<String, List<String>> e : byRule.entrySet()) {
                List<String> names = e.getValue();
                boolean existing = e.getKey().equals(io.nodesizer.kube.PodTopologyRules.EXISTING_ANTI_AFFINITY);
                sb.append(k++ == 0 ? "" : "; ").append(existing ? "the required pod anti-affinity of pods running on " : "its " + e.getKey()
                        + (e.getKey().startsWith(HOST_PORT) ? ", held by a pod on " : " on ")).append(io.nodesizer.model.NameLists.firstOf(names, 3));
            }
            return sb.toString();
        }
        if (admitted == 0 && !refusals.isEmpty()) {
            return "no schedulable node admits it (" + refusals(refusals) + ")" + (cordoned == 0 ? "" : "; " + cordoned + " cordoned "
                    + (cordoned == 1 ? "node" : "nodes") + " not counted (NodeUnschedulable)");
        }
        StringBuilder sb = new StringBuilder();
        String without = withoutDevice == 0 ? "" : withoutDevice + " Insufficient " + device + " ("
                + (withoutDevice == 1 ? firstWithoutDevice : firstWithoutDevice + " and others") + ": none offered)";
        // No schedulable node offers it: that, not their CPU or memory, is what keeps the pod off every one.
        boolean noneOffers = withoutDevice > 0 && withoutDevice == admitted;
        String among = withoutDevice == 0 ? "one schedulable node" : "one schedulable node with " + device;
        for (int k = 0; k < D && !noneOffers; k++) {
            if (want[k] > most[k]) {
                Resource r = Resource.at(k);
                sb.append(sb.isEmpty() ? "" : "; ").append("needs ").append(Amounts.format(r, want[k])).append(' ').append(Amounts.unit(r))
                        .append(", the most free on ").append(among).append(" is ").append(Amounts.format(r, most[k])).append(' ')
                        .append(Amounts.unit(r)).append(where[k] == null ? "" : " (" + where[k] + ")");
            }
        }
        for (Map.Entry<String, Long> e : extMost.entrySet()) {
            long w = pod.extended().get(e.getKey());
            if (w > e.getValue()) {
                // kube-scheduler counts the running pods' requests of it as it counts CPU (QA 52c: "not short of capacity" was said
                // of a node whose one dongle a running pod held).
                sb.append(sb.isEmpty() ? "" : "; ").append("needs ").append(ExtendedResources.show(e.getKey(), w)).append(' ').append(e.getKey())
                        .append(", the most free on ").append(among).append(" is ").append(ExtendedResources.show(e.getKey(), e.getValue()))
                        .append(" (").append(extWhere.get(e.getKey())).append(": its pods use the rest)");
            }
        }
        if (noneOffers) {
            sb.setLength(0);
            sb.append("no schedulable node offers ").append(device).append(": ").append(without);
        } else if (withoutDevice > 0 && !sb.isEmpty()) {
            sb.append("; on the other nodes ").append(without);
        }
        if (sb.isEmpty() && admitted > 0) {
            // Each resource is free enough on some node, but no node has all of it at once: NodeResourcesFit refuses each
            // node for what it lacks (kube-scheduler's "0/2 nodes are available: 1 Insufficient cpu, 1 Insufficient
            // memory"). It read "no schedulable node" beside two schedulable ones (QA 50a).
            sb.append("no schedulable node has room for all of its request at once, though each resource is free on some: ");
            int k2 = 0;
            for (int k = 0; k < D; k++) {
                if (short_[k] > 0) {
                    Resource r = Resource.at(k);
                    // kube-scheduler names the resource ("Insufficient nvidia.com/gpu", noderesources/fit.go; QA 74 F5: "gpu").
                    sb.append(k2++ == 0 ? "" : ", ").append(short_[k]).append(r == Resource.PODS ? " Too many pods" : " Insufficient "
                            + (r == Resource.GPU ? gpuName(pod) : r.kubernetesName())).append(" (").append(short_[k] == 1 ? firstShort[k] : firstShort[k] + " and others").append(')');
                }
            }
            for (Map.Entry<String, Integer> e : new java.util.TreeMap<>(extShort).entrySet()) {
                sb.append(k2++ == 0 ? "" : ", ").append(e.getValue()).append(" Insufficient ").append(e.getKey()).append(" (")
                        .append(e.getValue() == 1 ? extFirstShort.get(e.getKey()) : extFirstShort.get(e.getKey()) + " and others").append(')');
            }
        }
        // A cordoned node with room is the cause to name, not capacity (QA 51a: "the most free on one schedulable node is 0 CPU"
        // beside an empty cordoned node).
        String uncordon = cordonedRoom == null ? "" : " (" + cordonedRoom + " has room for it: uncordon it)";
        if (admitted == 0 && refusals.isEmpty() && cordoned > 0) {
            return "every node is cordoned (spec.unschedulable: " + cordoned + ") and it does not tolerate node.kubernetes.io/unschedulable:"
                    + "NoSchedule, so kube-scheduler's NodeUnschedulable filter keeps it off them" + uncordon;
        }
        String cordon = cordoned == 0 ? "" : "; " + cordoned + (cordoned == 1 ? " node is" : " nodes are") + " cordoned (spec.unschedulable) and it "
                + "does not tolerate node.kubernetes.io/unschedulable:NoSchedule, so kube-scheduler's NodeUnschedulable filter keeps it off"
                + uncordon;
        // The nodes left out of the figures above, with what refuses the pod there (QA 76b F5: a bare "; among the nodes its
        // selector, affinity and tolerations admit" trailed the reason, read as qualifying its last clause, and named no node).
        int refused = refusals.values().stream().mapToInt(List::size).sum();
        String others = refusals.isEmpty() ? "" : "; " + refused + (refused == 1 ? " node refuses it (" : " nodes refuse it (")
                + refusals(refusals) + ")";
        return (sb.isEmpty() ? "no schedulable node" : sb.toString()) + others + cordon;
    }

    /** Each reason with the nodes it refuses (the first two named, then how many more), at most three reasons, then how many more. */
    private static String refusals(Map<String, List<String>> byReason) {
        List<String> each = new ArrayList<>();
        int shown = 0;
        int more = 0;
        for (Map.Entry<String, List<String>> e : byReason.entrySet()) {
            if (shown++ < 3) {
                each.add(io.nodesizer.model.NameLists.firstOf(e.getValue(), 2) + ": " + e.getKey());
            } else {
                more += e.getValue().size();
            }
        }
        return String.join("; ", each) + (more == 0 ? "" : "; and " + more + (more == 1 ? " more node" : " more nodes") + " for other reasons");
    }

    private static void add(long[] into, long[] other) {
        for (int k = 0; k < D; k++) {
            into[k] += other[k];
        }
    }

    /**
     * The node's price per hour, or null: billed per pod, no instance-type label, a type no bundled
     * catalog has, or capacity those prices are not for ({@link #notOnDemandLinux}).
     */
    public static Double priceOf(ClusterSnapshot.Node node, Map<String, Double> prices) {
        String type = node.instanceType();
        return type == null || node.billedPerPod() || notOnDemandLinux(node) != null ? null : prices.get(type);
    }

    /** How a node without a price is listed: its type, and why its type's price is not its own when that is so. */
    public static String unpriced(ClusterSnapshot.Node node) {
        String type = node.instanceType() == null ? "a node without an instance-type label" : node.instanceType();
        String why = notOnDemandLinux(node);
        return why == null ? type : type + " as " + why;
    }

    /**
     * Why the bundled catalogs' price — on-demand, Linux — is not the node's, or null. Spot and
     * preemptible capacity as each provider labels it (Karpenter {@code karpenter.sh/capacity-type:
     * spot}, EKS managed node groups {@code eks.amazonaws.com/capacityType: SPOT}, GKE
     * {@code cloud.google.com/gke-spot} and {@code gke-preemptible}, AKS
     * {@code kubernetes.azure.com/scalesetpriority: spot}) costs a market price the catalogs do not
     * have, and a Windows node ({@code kubernetes.io/os=windows}) adds a licence they leave out: such
     * a price is unknown, as an unknown type's is, so no cost or saving is claimed from it.
     */
    public static String notOnDemandLinux(ClusterSnapshot.Node node) {
        Map<String, String> l = node.labels();
        for (String[] spot : new String[][] {{"karpenter.sh/capacity-type", "spot"}, {"eks.amazonaws.com/capacityType", "SPOT"},
                {"cloud.google.com/gke-spot", "true"}, {"cloud.google.com/gke-preemptible", "true"},
                {"kubernetes.azure.com/scalesetpriority", "spot"}}) {
            if (spot[1].equals(l.get(spot[0]))) {
                return "spot (" + spot[0] + ": " + spot[1] + ")";
            }
        }
        return "windows".equals(l.get("kubernetes.io/os")) ? "Windows (kubernetes.io/os=windows)" : null;
    }

    /**
     * The nodes whose pods request more of a resource than the node's allocatable, each with the resource, requested and
     * allocatable; null when none. The kubelet admits no pod beyond its node's allocatable (its admission handler, lifecycle's
     * predicate.go, fails such a pod with reason OutOfcpu, OutOfmemory, OutOfpods, OutOf&lt;resource&gt;), so a snapshot where a node
     * is over is stale (taken across a resize) or hand-edited: its per-cent read 125.0 % with no word (QA 73 F5); or, live (review
     * 74 #4), a GPU device turned unhealthy (devicemanager GetCapacity: allocatable counts healthy devices, and the pods on the
     * device keep running), or an in-place resize not yet made (KEP-1287: spec holds the desired requests).
     */
    public static String overAllocatableNote(List<NodeRow> rows) {
        List<String> each = new ArrayList<>();
        boolean gpuOver = false;
        for (NodeRow n : rows) {
            Resources alloc = n.node().allocatable();
            Resources req = n.requested();
            List<String> over = new ArrayList<>();
            if (req.cpuMillis() > alloc.cpuMillis()) {
                over.add("cpu " + Amounts.formatGrouped(Resource.CPU, req.cpuMillis()) + " of "
                        + Amounts.formatGrouped(Resource.CPU, alloc.cpuMillis()));
            }
            if (req.memoryBytes() > alloc.memoryBytes()) {
                over.add("memory " + Amounts.formatGrouped(Resource.MEMORY, req.memoryBytes()) + " of "
                        + Amounts.formatGrouped(Resource.MEMORY, alloc.memoryBytes()) + " GiB");
            }
            if (req.gpuMillis() > alloc.gpuMillis()) {
                gpuOver = true;
                over.add("GPU " + Amounts.formatGrouped(Resource.GPU, req.gpuMillis()) + " of "
                        + Amounts.formatGrouped(Resource.GPU, alloc.gpuMillis()));
            }
            if (req.pods() > alloc.pods()) {
                over.add("pods " + req.pods() + " of " + alloc.pods());
            }
            if (!over.isEmpty()) {
                each.add(n.node().name() + " (" + String.join(", ", over) + ")");
            }
        }
        if (each.isEmpty()) {
            return null;
        }
        return (each.size() == 1 ? "1 node's pods request more than its" : each.size() + " nodes' pods request more than their")
                + " allocatable: "
                + io.nodesizer.model.NameLists.firstOf(each, 3) + "; the kubelet admits no pod beyond allocatable (it fails it OutOfcpu, "
                + "OutOfmemory, …), so "
                + (gpuOver ? "a GPU device its plugin reports unhealthy is out of allocatable while the pods on it keep running "
                        + "(the device manager counts healthy devices only), or " : "")
                + "pods' in-place resizes are pending (spec asks more than the kubelet allocated, KEP-1287), or the snapshot is "
                + "stale (taken across a resize or a kubelet restart) or hand-edited: if none of these, take it anew";
    }

    /**
     * {@link io.nodesizer.kube.EksAutoMode#feeNote} of the worker nodes whose cost is summed from the bundled prices (a
     * type they price, on demand, not billed per pod).
     */
    public static String autoModeFeeNote(List<ClusterSnapshot.Node> nodes) {
        return io.nodesizer.kube.EksAutoMode.feeNote(nodes.stream().filter(ClusterAnalysis::costFromBundledPrices).toList());
    }

    /** Whether a node's cost is summed from a bundled catalog's price: a worker (not billed per pod) of a type it prices, on demand. */
    private static boolean costFromBundledPrices(ClusterSnapshot.Node n) {
        return n.worker() && n.instanceType() != null && bundledPriced().containsKey(n.instanceType()) && notOnDemandLinux(n) == null;
    }

    /**
     * Where the bundled prices are not the nodes' own region's: the worker nodes whose
     * {@code topology.kubernetes.io/region} (or the older failure-domain label) differs from the region
     * of the bundled catalog row that prices their type (us-east-1 for aws, eastus for azure; the gce
     * catalog's prices name no region), said with the regions and counts; null when none does. An
     * m5.xlarge in sa-east-1 costs ~60 % more than the us-east-1 price the cost is summed from.
     */
    public static String regionNote(List<ClusterSnapshot.Node> nodes) {
        Map<String, TreeSet<String>> byCatalogRegion = new java.util.TreeMap<>();
        int count = 0;
        for (ClusterSnapshot.Node n : nodes) {
            String type = n.instanceType();
            String region = n.labels().getOrDefault("topology.kubernetes.io/region", n.labels().get("failure-domain.beta.kubernetes.io/region"));
            if (!costFromBundledPrices(n) || region == null) {
                continue;
            }
            String priced = bundledPriced().get(type).region();
            if (priced.contains(" ") || priced.equals(region)) {
                continue;
            }
            byCatalogRegion.computeIfAbsent(priced, k -> new TreeSet<>()).add(region);
            count++;
        }
        if (count == 0) {
            return null;
        }
        List<String> each = new ArrayList<>();
        byCatalogRegion.forEach((priced, regions) -> each.add(String.join(", ", regions) + " at " + priced + "'s prices"));
        return count + (count == 1 ? " node runs" : " nodes run") + " in another region than the bundled prices are for (its "
                + "topology.kubernetes.io/region): " + String.join("; ", each) + "; the cost there differs (give consolidate a "
                + "--catalog of that region's prices)";
    }

    private static volatile Map<String, InstanceType> bundledPriced;

    /** Per instance type name, the first bundled catalog's priced type of that name (the price and region analyze uses). */
    private static Map<String, InstanceType> bundledPriced() {
        Map<String, InstanceType> out = bundledPriced;
        if (out == null) {
            out = new HashMap<>();
            for (String c : Catalogs.BUNDLED) {
                for (InstanceType t : Catalogs.load(c)) {
                    if (t.pricePerHourUsd() != null) {
                        out.putIfAbsent(t.name(), t);
                    }
                }
            }
            bundledPriced = out = Map.copyOf(out);
        }
        return out;
    }

    /** On-demand price per hour by instance type name, over the bundled catalogs. */
    public static Map<String, Double> prices() {
        Map<String, Double> out = new HashMap<>();
        bundledPriced().forEach((name, t) -> out.put(name, t.pricePerHourUsd()));
        return out;
    }
}

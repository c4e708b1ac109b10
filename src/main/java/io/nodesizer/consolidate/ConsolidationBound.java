package io.nodesizer.consolidate;

import io.nodesizer.bound.CostBound;
import io.nodesizer.kube.NodeMatching;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.GpuVendors;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The least cost per hour any consolidation of the cluster could reach, for the gap of the plan.
 *
 * <p>What consolidation may do: keep an existing worker at its price, remove it (its pods go to
 * other nodes) or replace it, alone or with others, by new nodes of candidate shapes that carry
 * the DaemonSet and static pods of a node they replace and its labels and taints. So the bound is
 * the price of the nodes that must stay — a pod without a controller, room held for pending pods,
 * a PodDisruptionBudget that allows no eviction, a do-not-disrupt annotation, more evictable pods than
 * {@code --max-disrupted-pods} — plus the fluid {@link CostBound} of every other evictable pod
 * over three kinds of columns:
 * <ul>
 * <li>each node that may go, at its price, at most once, holding its allocatable less its
 * DaemonSet and static pods (what its pods take, when that is more: an over-committed node may stay); a pod fits it when its node selector, required node affinity and
 * tolerations admit the node and its GPUs are of the pod's vendor (a cordoned node takes only the
 * kinds of pods it runs);</li>
 * <li>the free room of each schedulable node that must stay, at no price, at most once;</li>
 * <li>every priced candidate shape, any number, holding its allocatable less the smallest
 * DaemonSet and static load of a node that may go; a pod fits it when a node that may be replaced
 * (priced, schedulable, no GPU pods) of the shape's architecture admits it with the labels it
 * would have once replaced (a fixed-type group's name among them: kept on a replacement of its node's type, a new
 * group's otherwise, so a pod requiring the group's name fits only candidates of its nodes' types). Pods of nodes with GPU pods never go to a candidate (such nodes are
 * not replaced).</li>
 * </ul>
 * Every plan consolidation can make places each such pod on one of these, so its cost is at least
 * the bound. The inter-pod rules and the total of {@code --max-disrupted-pods} (beyond nodes that
 * alone exceed it) are left out: they only make plans dearer, so the bound stays valid, if looser.
 * A pod always fits its own node's column (it may stay). GPU room counts as a sum of requests, as
 * consolidation's moves check it, so no device rows bind.
 */
final class ConsolidationBound {
    private static final int D = Resource.COUNT;

    private ConsolidationBound() {
    }

    /**
     * The cluster as consolidation sees it once pending pods took their room.
     *
     * @param stays     per worker, whether every plan keeps it with its pods (see above)
     * @param keepShape per worker, whether it is never replaced (it runs GPU pods, or is a Windows node)
     * @param used      per worker, what runs there now (pending pods that took room included)
     * @param withNode  per worker, its DaemonSet and static pods
     */
    record Fleet(List<ClusterSnapshot.Node> nodes, Double[] priceOf, boolean[] stays, boolean[] keepShape, boolean[] schedulable,
                 long[][] used, long[][] withNode, List<List<ClusterSnapshot.Pod>> movable) {
    }

    /** The bound in $/h, or null when a worker has no price (the cost itself is then unknown). */
    static Double of(Fleet f, List<NodeShape> candidates) {
        int n = f.nodes().size();
        double kept = 0;
        for (int i = 0; i < n; i++) {
            if (f.priceOf()[i] == null) {
                return null;
            }
            if (f.stays()[i]) {
                kept += f.priceOf()[i];
            }
        }
        // Pods alike (requests, node constraints, GPU vendor, whether their node keeps its shape) are one kind. Only
        // the node-level fields of a placement matter here (pod labels and inter-pod terms do not),
        // so replicas of many workloads share a kind: a kind per workload made the per-node checks
        // below (nodes × kinds) most of consolidate's time at 5,000 nodes.
        Map<List<Object>, Kind> kinds = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            if (f.stays()[i]) {
                continue;
            }
            boolean fixedShape = f.keepShape()[i];
            for (ClusterSnapshot.Pod p : f.movable().get(i)) {
                long[] request = p.request().toArray();
                Placement pl = p.placement();
                Kind k = kinds.computeIfAbsent(List.of(java.util.Arrays.toString(request), pl.nodeSelector(),
                                pl.requiredTerms() == null ? List.of("any") : pl.requiredTerms(), pl.tolerations(), p.gpuVendor(), fixedShape),
                        x -> new Kind(request, p.placement(), p.gpuVendor(), fixedShape, new BitSet(), p.heldZoneKey() == null ? null
                                : new Kind(request, p.placementUnheld(), p.gpuVendor(), fixedShape, new BitSet(), null)));
                k.count++;
                k.onNodes.set(i);
            }
        }
        if (kinds.isEmpty()) {
            return kept;
        }
        List<Kind> list = new ArrayList<>(kinds.values());
        List<CostBound.Column> columns = new ArrayList<>();
        // Per kind, the columns it fits, and those it would fit without the zone hold of its volume claim: the pods of a
        // kind held to a zone still need room among the latter with every pod that fits only there, a row that splitting
        // them by zone would otherwise drop (QA 47c: two held postgres pods lowered the bound below the unheld cluster's).
        int kindsCount = list.size();
        List<BitSet> fits = new ArrayList<>();
        for (int q = 0; q < 2 * kindsCount; q++) {
            fits.add(new BitSet());
        }
        int gpu = Resource.GPU.ordinal();
        // Nodes that may go, at their price; the free room of those that stay, at none.
        Map<BitSet, long[]> freeRoom = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) {
            ClusterSnapshot.Node node = f.nodes().get(i);
            long[] alloc = node.allocatable().toArray();
            long[] capacity = new long[D];
            for (int r = 0; r < D; r++) {
                // A node that may go holds at least what its pods take now: over its allocatable when the kubelet's
                // reservations grew after they were admitted (QA 58c F3: the bound then rose above keeping the node).
                capacity[r] = Math.max(0, f.stays()[i] ? alloc[r] - f.used()[i][r] : Math.max(alloc[r], f.used()[i][r]) - f.withNode()[i][r]);
            }
            BitSet takes = new BitSet();
            for (int q = 0; q < kindsCount; q++) {
                Kind k = list.get(q);
                boolean own = k.onNodes.get(i);
                if (own || f.schedulable()[i] && admits(node, capacity, k)) {
                    takes.set(q);
                    takes.set(kindsCount + q);
                } else if (k.unheld != null && f.schedulable()[i] && admits(node, capacity, k.unheld)) {
                    takes.set(kindsCount + q);
                }
            }
            if (takes.isEmpty()) {
                continue;
            }
            if (f.stays()[i]) {
                // Room already paid for, at most once; nodes that take the same kinds are one column.
                long[] sum = freeRoom.computeIfAbsent(takes, x -> new long[D]);
                for (int r = 0; r < D; r++) {
                    sum[r] += capacity[r];
                }
            } else {
                addColumn(columns, fits, takes, new CostBound.Column(capacity, devices(capacity[gpu]), f.priceOf()[i], 1));
            }
        }
        freeRoom.forEach((takes, sum) -> addColumn(columns, fits, takes, new CostBound.Column(sum, devices(sum[gpu]), 0, 1)));
        // Candidate shapes: what the lightest DaemonSet and static load of a node that may go leaves.
        long[] lightest = null;
        for (int i = 0; i < n; i++) {
            if (!f.stays()[i]) {
                lightest = lightest == null ? f.withNode()[i].clone() : min(lightest, f.withNode()[i]);
            }
        }
        for (NodeShape s : candidates) {
            if (!s.hasPrice() || !(s.pricePerHourUsd() > 0)) {
                continue;
            }
            long[] alloc = s.allocatable().toArray();
            long[] capacity = new long[D];
            for (int r = 0; r < D; r++) {
                capacity[r] = Math.max(0, alloc[r] - lightest[r]);
            }
            BitSet takes = new BitSet();
            for (int q = 0; q < kindsCount; q++) {
                Kind k = list.get(q);
                if (!k.fixedShape && fits(k.request, capacity) && admittedOnReplacement(k, s, f)) {
                    takes.set(q);
                    takes.set(kindsCount + q);
                } else if (k.unheld != null && !k.fixedShape && fits(k.request, capacity) && admittedOnReplacement(k.unheld, s, f)) {
                    takes.set(kindsCount + q);
                }
            }
            if (!takes.isEmpty()) {
                columns.add(new CostBound.Column(capacity, devices(capacity[gpu]), s.pricePerHourUsd(), 0));
                int c = columns.size() - 1;
                takes.stream().forEach(q -> fits.get(q).set(c));
            }
        }
        List<CostBound.Demand> demand = new ArrayList<>();
        for (int q = 0; q < kindsCount; q++) {
            demand.add(new CostBound.Demand(list.get(q).request, list.get(q).count, fits.get(q),
                    list.get(q).unheld == null ? null : fits.get(kindsCount + q)));
        }
        double fluid = CostBound.fluid(columns, demand);
        return Double.isFinite(fluid) ? kept + fluid : kept;
    }

    private static void addColumn(List<CostBound.Column> columns, List<BitSet> fits, BitSet takes, CostBound.Column column) {
        columns.add(column);
        int c = columns.size() - 1;
        takes.stream().forEach(q -> fits.get(q).set(c));
    }

    /**
     * Whether some node that may be replaced, of the shape's architecture, admits the pods of {@code k} once it is of that
     * shape. Asked once per architecture, unless the pods name a label the shape decides: one of its instance type's, or a
     * fixed-type group's name, which a replacement keeps only when it is of its node's type
     * ({@link Consolidation#replacedLabels}). Cached per architecture alone, the first candidate's answer stood for every
     * other: a c6a.xlarge asked first refused pods requiring their EKS group the m5.xlarge that a merge of their two
     * m5.xlarge nodes does take, and the bound rose above that plan's cost ($0.2432/h over $0.192/h); an m5.xlarge asked
     * first admitted them on c6a.xlarge, a weaker bound.
     */
    private static boolean admittedOnReplacement(Kind k, NodeShape shape, Fleet f) {
        String key = shape.arch() + " " + (k.namesType() || k.namesGroup() ? shape.name() : "");
        Boolean known = k.replacement.get(key);
        if (known != null) {
            return known;
        }
        boolean any = false;
        for (int i = 0; i < f.nodes().size() && !any; i++) {
            ClusterSnapshot.Node node = f.nodes().get(i);
            if (!f.stays()[i] && !f.keepShape()[i] && f.schedulable()[i] && Consolidation.archOf(node).equals(shape.arch())) {
                any = Consolidation.admitsAll(k.placement, node, shape);
            }
        }
        k.replacement.put(key, any);
        return any;
    }

    /** Whether the pods of {@code k} fit the node's {@code capacity}, its GPU vendor, labels and taints. */
    private static boolean admits(ClusterSnapshot.Node node, long[] capacity, Kind k) {
        return fits(k.request, capacity) && GpuVendors.allows(k.gpuVendor, node.gpuVendor())
                && NodeMatching.onNode(k.placement, node.labels(), node.schedulingTaints(), node.name()) == null;
    }

    private static boolean fits(long[] request, long[] capacity) {
        for (int r = 0; r < D; r++) {
            if (request[r] > capacity[r]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Consolidation checks GPU room as a sum of requests, not device by device (as the scheduler's
     * NodeResourcesFit does), so the bound counts no devices: a column with GPU room has more
     * devices than any row can ask.
     */
    private static int devices(long gpuMillis) {
        return gpuMillis > 0 ? NO_DEVICE_LIMIT : 0;
    }

    private static final int NO_DEVICE_LIMIT = 1 << 20;

    private static long[] min(long[] a, long[] b) {
        for (int r = 0; r < D; r++) {
            a[r] = Math.min(a[r], b[r]);
        }
        return a;
    }

    /** Pods alike: their request, constraints, GPU vendor, how many, the nodes they run on now. */
    private static final class Kind {
        final long[] request;
        final Placement placement;
        final String gpuVendor;
        final boolean fixedShape;
        final BitSet onNodes;
        /** The same pods without the zone hold of their volume claims (null: not held), for the looser row. */
        final Kind unheld;
        int count;
        /** Per architecture (and shape name, when the pod names an instance type's or a group's label), whether a replaced node admits it. */
        final Map<String, Boolean> replacement = new java.util.HashMap<>();

        Kind(long[] request, Placement placement, String gpuVendor, boolean fixedShape, BitSet onNodes, Kind unheld) {
            this.unheld = unheld;
            this.request = request;
            this.placement = placement;
            this.gpuVendor = gpuVendor;
            this.fixedShape = fixedShape;
            this.onNodes = onNodes;
        }

        /** Whether its node selector or required node affinity names a label of the instance type (a replacement changes it). */
        boolean namesType() {
            return names(Consolidation::shapeLabel);
        }

        /** Whether it names a fixed-type group's label (a replacement of another type than its node's renames it). */
        boolean namesGroup() {
            return names(Consolidation::fixedGroupLabel);
        }

        private boolean names(java.util.function.Predicate<String> label) {
            if (placement.nodeSelector().keySet().stream().anyMatch(label)) {
                return true;
            }
            return placement.requiredTerms() != null && placement.requiredTerms().stream()
                    .anyMatch(t -> t.matchExpressions().stream().anyMatch(r -> label.test(r.key())));
        }
    }
}

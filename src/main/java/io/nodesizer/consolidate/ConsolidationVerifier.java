package io.nodesizer.consolidate;

import io.nodesizer.analyze.ClusterAnalysis;
import io.nodesizer.engine.VerificationException;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks a consolidation plan against the snapshot, from the pods up, as a policy checks its own
 * invariants when it ends: every evictable pod of a node that goes moves exactly once, and no other
 * pod moves; no node that goes runs a pod without a controller or a pod that a
 * PodDisruptionBudget at 0 covers; every moved pod goes to a schedulable worker that stays or to a
 * new node of the plan, whose labels (the node group's, with the new instance type) and taints
 * admit it, whose GPUs are of its vendor (when it asks for one's) and whose architecture is the group's; no node that stays or is new is over its
 * allocatable on any resource (pod slots and GPUs included; a new node carries the largest
 * DaemonSet and static load of the nodes it replaces); the pods evicted are within
 * {@code --max-disrupted-pods}; the node counts and the cost after add up. Pending pods that take
 * free room are not re-checked, nor are the inter-pod rules (each move checked them when it was
 * made). A failure is a bug: {@link VerificationException}.
 */
final class ConsolidationVerifier {
    private static final int D = Resource.COUNT;

    private ConsolidationVerifier() {
    }

    /** A node of the plan's new ones: its shape and the nodes it stands for (the first gives its labels and taints). */
    private record NewNode(NodeShape shape, List<String> from) {
    }

    static void verify(ClusterSnapshot snapshot, Consolidation.Result r, Consolidation.Settings settings) {
        Map<String, ClusterSnapshot.Node> workers = new HashMap<>();
        for (ClusterSnapshot.Node n : snapshot.nodes()) {
            if (n.worker()) {
                workers.put(n.name(), n);
            }
        }
        Map<String, String> podTo = new HashMap<>();
        Set<String> gone = new HashSet<>();
        Map<String, NewNode> added = new HashMap<>();
        int evicted = 0;
        double saving = 0;
        for (Consolidation.Action a : r.actions()) {
            List<String> from = new ArrayList<>();
            from.add(a.node());
            a.merged().forEach(p -> from.add(p.node()));
            for (String node : from) {
                check(workers.containsKey(node), "the action on " + node + " names no worker of the snapshot");
                check(gone.add(node), "the node " + node + " is acted on twice");
            }
            for (Map.Entry<String, String> e : a.podTo().entrySet()) {
                check(podTo.put(e.getKey(), e.getValue()) == null, "the pod " + e.getKey() + " moves twice");
            }
            check(a.podTo().size() == a.pods(), a.node() + ": " + a.pods() + " pods evicted but " + a.podTo().size() + " moves");
            evicted += a.pods();
            if (a.savingPerHour() != null) {
                saving += a.savingPerHour();
            }
            switch (a.kind()) {
                case REMOVE -> check(a.replacement() == null && a.newNodes().isEmpty(), a.node() + ": a removal adds no node");
                case REPLACE, MERGE -> added.put(Consolidation.newName(workers.get(a.node())), new NewNode(a.replacement(), from));
                case REPACK -> a.newNodes().forEach(nn -> nn.names().forEach(name -> added.put(name, new NewNode(nn.shape(), from))));
            }
            if (a.kind() != Consolidation.Kind.REMOVE && a.savingPerHour() != null) {
                double before = 0;
                for (String node : from) {
                    before += ClusterAnalysis.priceOf(workers.get(node), settings.prices());
                }
                double after = a.kind() == Consolidation.Kind.REPACK
                        ? a.newNodes().stream().mapToDouble(nn -> nn.shape().pricePerHourUsd() * nn.count()).sum()
                        : a.replacement().pricePerHourUsd();
                check(Math.abs(before - after - a.savingPerHour()) < 1e-6, a.node() + ": the saving does not add up");
            }
        }
        check(evicted == r.disruptedPods(), "the actions evict " + evicted + " pods, the plan says " + r.disruptedPods());
        check(settings.maxDisruptedPods() == null || evicted <= settings.maxDisruptedPods(),
                evicted + " pods evicted, over --max-disrupted-pods " + settings.maxDisruptedPods());
        check(r.nodesAfter() == r.nodesBefore() - Consolidation.nodesGone(r.actions()), "the node count after does not add up");
        check(r.costAfter() == null || Math.abs(r.costBefore() - saving - r.costAfter()) < 1e-6, "the cost after does not add up");
        // Load on every node that stays or is new, pod by pod.
        Map<String, long[]> load = new HashMap<>();
        Map<String, long[]> daemons = new HashMap<>();
        List<ClusterSnapshot.Pod> onGone = new ArrayList<>();
        for (ClusterSnapshot.Pod p : snapshot.pods()) {
            if (p.nodeName() == null || !workers.containsKey(p.nodeName())) {
                check(!podTo.containsKey(p.fullName()), "the pod " + p.fullName() + " moves but runs on no worker");
                continue;
            }
            boolean withNode = p.daemonSet() || "Node".equals(p.owner());
            if (withNode) {
                add(daemons.computeIfAbsent(p.nodeName(), x -> new long[D]), p.request().toArray(), false);
            }
            String to = podTo.get(p.fullName());
            if (!gone.contains(p.nodeName())) {
                check(to == null, "the pod " + p.fullName() + " moves off " + p.nodeName() + ", a node that stays");
                add(load.computeIfAbsent(p.nodeName(), x -> new long[D]), p.request().toArray(), false);
                continue;
            }
            if (withNode || p.leaving()) {
                check(to == null, (withNode ? "the DaemonSet or static pod " : "the terminating pod ") + p.fullName() + " moves");
                continue; // goes with its node, or is going anyway
            }
            check(p.owner() != null, "the node " + p.nodeName() + " goes but runs " + p.fullName() + ", which has no controller");
            check(to != null, "the pod " + p.fullName() + " is left on " + p.nodeName() + ", which goes");
            check(!gone.contains(to), "the pod " + p.fullName() + " moves to " + to + ", which goes");
            onGone.add(p);
        }
        for (ClusterSnapshot.Pod p : onGone) {
            String to = podTo.get(p.fullName());
            ClusterSnapshot.Node node = workers.get(to);
            NewNode made = added.get(to);
            if (node != null) {
                check(!node.closedToMoves(), "the pod " + p.fullName() + " moves to " + to + ", which is cordoned, being deleted or not ready");
                String refused = node.refuses(p);
                check(refused == null, "the pod " + p.fullName() + " moves to " + to + ", which does not admit it (" + refused + ")");
            } else {
                check(made != null, "the pod " + p.fullName() + " moves to " + to + ", a node the plan does not have");
                ClusterSnapshot.Node first = workers.get(made.from().get(0));
                check(Consolidation.archOf(first).equals(made.shape().arch()), to + " is not of " + first.name() + "'s architecture");
                check(Consolidation.admitsAll(p.placement(), first, made.shape()),
                        "the pod " + p.fullName() + " moves to " + to + ", which it does not admit");
                check(io.nodesizer.model.GpuVendors.allows(p.gpuVendor(), made.shape().gpuVendor()), "the pod " + p.fullName()
                        + " moves to " + to + ", whose GPUs are another vendor's (" + made.shape().gpuVendor() + ")");
            }
            add(load.computeIfAbsent(to, x -> new long[D]), p.request().toArray(), false);
        }
        for (Map.Entry<String, NewNode> e : added.entrySet()) {
            long[] most = new long[D];
            for (String from : e.getValue().from()) {
                add(most, daemons.getOrDefault(from, new long[D]), true);
            }
            add(load.computeIfAbsent(e.getKey(), x -> new long[D]), most, false);
        }
        List<List<ClusterSnapshot.Pod>> evictable = new ArrayList<>();
        List<String> order = new ArrayList<>(gone);
        // Grouped once: a scan of every moved pod per removed node was quadratic (minutes at 5,000 nodes).
        Map<String, List<ClusterSnapshot.Pod>> byNode = new HashMap<>();
        for (ClusterSnapshot.Pod p : onGone) {
            byNode.computeIfAbsent(p.nodeName(), x -> new ArrayList<>()).add(p);
        }
        for (String node : order) {
            evictable.add(byNode.getOrDefault(node, new ArrayList<>()));
        }
        String[] blocks = Consolidation.budgetBlocks(snapshot, evictable, settings.expendablePodsPriorityCutoff());
        String[] pinned = Consolidation.doNotDisrupt(order.stream().map(workers::get).toList(), snapshot, settings);
        for (int i = 0; i < order.size(); i++) {
            check(blocks[i] == null, "the node " + order.get(i) + " goes, but " + blocks[i]);
            check(pinned[i] == null, "the node " + order.get(i) + " goes, but it " + pinned[i]);
        }
        Set<String> receiving = new HashSet<>(podTo.values());
        for (Map.Entry<String, long[]> e : load.entrySet()) {
            ClusterSnapshot.Node node = workers.get(e.getKey());
            long[] alloc = node != null ? node.allocatable().toArray() : added.get(e.getKey()).shape().allocatable().toArray();
            for (int k = 0; k < D; k++) {
                // A node that stays may have run over before (the snapshot is what it is): only moves must not make it so.
                boolean received = node == null || receiving.contains(e.getKey());
                check(!received || e.getValue()[k] <= alloc[k], e.getKey() + " is over its allocatable " + Resource.values()[k].name()
                        .toLowerCase(java.util.Locale.ROOT) + " (" + e.getValue()[k] + " > " + alloc[k] + ")");
            }
        }
    }

    private static void add(long[] into, long[] amount, boolean max) {
        for (int k = 0; k < D; k++) {
            into[k] = max ? Math.max(into[k], amount[k]) : into[k] + amount[k];
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new VerificationException("The consolidation plan breaks an invariant: " + what + ". This is a bug in nodesizer.");
        }
    }
}

package io.nodesizer.consolidate;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Resources;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The nodes a consolidation plan touches, with what their pods request before it and after it: the nodes that go, the nodes
 * that stay and receive moved pods, and the plan's new nodes (each carrying, besides the pods moved onto it, the DaemonSet
 * and static pods that come with a node, {@link Consolidation.Action#carried}). What a reader checks before draining: the
 * nodes that go held little, and no node the pods go to ends over its allocatable. Nodes the plan leaves alone are not
 * listed: at thousands of nodes they would hide the few it changes.
 */
public final class PlanFill {
    private PlanFill() {
    }

    /** What the plan does to a node. */
    public enum Role {
        REMOVED("removed"), REPLACED("replaced"), RECEIVES("receives pods"), NEW("new");

        private final String label;

        Role(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /**
     * @param before what the pods bound to the node request before the plan (DaemonSet and static pods included); null for a
     *               new node
     * @param after  the same once the plan is carried out; null for a node that goes
     */
    public record Node(String name, Role role, Resources allocatable, Resources before, Resources after) {
    }

    /** A new node of the plan: its name, what it offers and what comes with it. */
    private record Added(String name, Resources allocatable, Resources carried) {
    }

    /**
     * The touched nodes: action by action, the nodes it takes away and then the new nodes it adds (a replacement beside the
     * node it replaces); then the nodes that stay and receive pods, in the snapshot's order.
     */
    public static List<Node> of(ClusterSnapshot snapshot, Consolidation.Result r) {
        Map<String, ClusterSnapshot.Node> workers = new LinkedHashMap<>();
        for (ClusterSnapshot.Node n : snapshot.nodes()) {
            if (n.worker()) {
                workers.put(n.name(), n);
            }
        }
        Set<String> gone = new LinkedHashSet<>();
        Map<String, String> podTo = new HashMap<>();
        List<List<Added>> added = new ArrayList<>(); // per action
        for (Consolidation.Action a : r.actions()) {
            gone.add(a.node());
            a.merged().forEach(p -> gone.add(p.node()));
            podTo.putAll(a.podTo());
            List<Added> made = new ArrayList<>();
            switch (a.kind()) {
                case REMOVE -> {
                }
                case REPLACE, MERGE -> made.add(new Added(Consolidation.newName(workers.get(a.node())), a.replacement().allocatable(),
                        a.carried()));
                case REPACK -> a.newNodes().forEach(nn -> nn.names().forEach(name ->
                        made.add(new Added(name, nn.shape().allocatable(), a.carried()))));
            }
            added.add(made);
        }
        Map<String, Resources> before = new HashMap<>();
        Map<String, Resources> movedIn = new HashMap<>();
        for (ClusterSnapshot.Pod p : snapshot.pods()) {
            if (p.nodeName() == null || !workers.containsKey(p.nodeName())) {
                continue;
            }
            before.merge(p.nodeName(), p.request(), Resources::plus);
            String to = podTo.get(p.fullName());
            if (to != null) {
                movedIn.merge(to, p.request(), Resources::plus);
            }
        }
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < added.size(); i++) {
            Consolidation.Action a = r.actions().get(i);
            List<String> from = new ArrayList<>(List.of(a.node()));
            a.merged().forEach(p -> from.add(p.node()));
            for (String name : from) {
                out.add(new Node(name, a.kind() == Consolidation.Kind.REMOVE ? Role.REMOVED : Role.REPLACED, workers.get(name).allocatable(),
                        before.getOrDefault(name, Resources.ZERO), null));
            }
            for (Added made : added.get(i)) {
                out.add(new Node(made.name(), Role.NEW, made.allocatable(), null,
                        made.carried().plus(movedIn.getOrDefault(made.name(), Resources.ZERO))));
            }
        }
        for (ClusterSnapshot.Node n : workers.values()) {
            if (!gone.contains(n.name()) && movedIn.containsKey(n.name())) {
                Resources had = before.getOrDefault(n.name(), Resources.ZERO);
                out.add(new Node(n.name(), Role.RECEIVES, n.allocatable(), had, had.plus(movedIn.get(n.name()))));
            }
        }
        return out;
    }
}

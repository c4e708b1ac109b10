package io.nodesizer.fleet;

import io.nodesizer.engine.DemandTable;
import io.nodesizer.kube.PodTopologyRules;
import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.PodGroup;
import io.nodesizer.model.Placement;

import java.util.ArrayList;
import java.util.List;

/**
 * The pod rules of {@code pack --fleet} on a snapshot that keeps its running pods: every check is
 * kube-scheduler's filter against every pod the nodes run, the running ones and the ones this
 * packing placed before ({@link PodTopologyRules}, the same filters consolidation and analyze use):
 * required anti-affinity both ways, required affinity (a running pod can be the target), hard
 * topology spreads counting every selected pod (of any workload, running or new) over the
 * snapshot's nodes, on any topology key the nodes carry. {@link FleetRules} and the per-node caps
 * count only the pods the packing places, so with running pods they would both miss rules and
 * refuse placements the scheduler makes (a spread must even out the zones' totals, not the new pods').
 *
 * <p>Used only when some pod, running or new, has such a rule; otherwise nothing is checked.
 */
final class RunningPodRules {
    private final DemandTable table;
    private final RunningPods running;
    private final PodTopologyRules rules;
    /** Per snapshot node, what runs there now: the running pods, then the placed ones. */
    private final List<List<ClusterSnapshot.Pod>> onNode = new ArrayList<>();
    /** Every snapshot node counts as a spread domain (cordoned ones too, as the default nodeTaintsPolicy Ignore has it). */
    private final boolean[] open;
    /** Per new pod (global index), its snapshot pod once asked for: one object per pod, as the rules tell pods apart by identity. */
    private final ClusterSnapshot.Pod[] pods;
    /** Whether some pod, running or new, has a required anti-affinity term (then every pod is checked against it). */
    private final boolean anyAntiAffinity;

    private RunningPodRules(DemandTable table, RunningPods running, PodTopologyRules rules, boolean anyAntiAffinity) {
        this.table = table;
        this.running = running;
        this.rules = rules;
        this.anyAntiAffinity = anyAntiAffinity;
        for (List<ClusterSnapshot.Pod> l : running.onNode()) {
            onNode.add(new ArrayList<>(l));
        }
        this.open = new boolean[running.nodes().size()];
        java.util.Arrays.fill(open, true);
        this.pods = new ClusterSnapshot.Pod[table.podCount()];
        this.hardSpread = new boolean[table.groupCount()];
        this.checked = new boolean[table.groupCount()];
        for (int g = 0; g < table.groupCount(); g++) {
            Placement p = table.group(g).placement();
            hardSpread[g] = p.spread().stream().anyMatch(Placement.Spread::hard);
            checked[g] = anyAntiAffinity || hardSpread[g] || !p.affinity().isEmpty() || !p.antiAffinity().isEmpty();
        }
    }

    /** Per group, whether it has a hard spread (its checks then need the spread domains). */
    private final boolean[] hardSpread;
    /** Per group, whether any rule can bar its pods (asked once per group, not per node). */
    private final boolean[] checked;

    /** The rules over the running pods and the table's, or null when no pod has a required inter-pod term or hard spread. */
    static RunningPodRules of(DemandTable table, RunningPods running) {
        List<ClusterSnapshot.Pod> all = new ArrayList<>();
        running.onNode().forEach(all::addAll);
        boolean anti = all.stream().anyMatch(p -> !p.placement().antiAffinity().isEmpty());
        for (int g = 0; g < table.groupCount(); g++) {
            all.add(pod(table.group(g), 0));
            anti |= !table.group(g).placement().antiAffinity().isEmpty();
        }
        PodTopologyRules rules = new PodTopologyRules(all, running.nodes());
        return rules.active() ? new RunningPodRules(table, running, rules, anti) : null;
    }

    private static ClusterSnapshot.Pod pod(PodGroup group, int replica) {
        Placement p = ownRollout(group.placement(), group.name());
        return new ClusterSnapshot.Pod(p.namespace(), group.podName(replica), group.request(), null, "Pending", null, null,
                group.origin(), group.template(), null, p);
    }

    /**
     * A spread with {@code matchLabelKeys: [pod-template-hash]} counts only the pods of the pod's own
     * rollout; the running pods carry their ReplicaSets' hashes, a new rollout another. The new pods
     * get a hash of their own (in their labels and in such spreads' selectors), so such a spread
     * counts them and no running pod, as the scheduler does after a rollout.
     */
    private static Placement ownRollout(Placement p, String group) {
        if (p.spread().stream().noneMatch(Placement.Spread::perRollout)) {
            return p;
        }
        String hash = "nodesizer-new-" + Integer.toHexString(group.hashCode());
        java.util.Map<String, String> labels = new java.util.TreeMap<>(p.podLabels());
        labels.put("pod-template-hash", hash);
        List<Placement.Spread> spread = new ArrayList<>();
        for (Placement.Spread s : p.spread()) {
            if (s.perRollout()) {
                java.util.Map<String, String> match = new java.util.TreeMap<>(s.term().matchLabels());
                match.put("pod-template-hash", hash);
                Placement.PodAffinityTerm t = s.term();
                s = new Placement.Spread(s.maxSkew(), s.hard(), new Placement.PodAffinityTerm(match, t.matchExpressions(), t.namespaces(),
                        t.allNamespaces(), t.namespaceSelectorLabels(), t.topologyKey(), t.namespaceSelector()), s.minDomains(), s.honorsNodeAffinity(),
                        s.honorsNodeTaints(), false);
            }
            spread.add(s);
        }
        return new Placement(p.nodeSelector(), p.requiredTerms(), p.tolerations(), p.namespace(), labels, p.antiAffinity(), p.affinity(),
                spread, p.preferences());
    }

    private ClusterSnapshot.Pod podOf(int g, int replica) {
        int global = table.firstPod(g) + replica;
        if (pods[global] == null) {
            pods[global] = pod(table.group(g), replica);
        }
        return pods[global];
    }

    /** Whether group g has a rule of its own: then a node refused for one replica may admit the next (a spread's fewest rose, a target arrived). */
    boolean ruled(int g) {
        return hardSpread[g] || follows(g);
    }

    /**
     * Whether group g has required pod affinity (on any key): it goes after the groups that do not,
     * since its targets may be among them, and is retried while its series grows.
     */
    boolean follows(int g) {
        return !table.group(g).placement().affinity().isEmpty();
    }

    /** Whether a pod of group g can be barred by a rule: its own, or some pod's anti-affinity. */
    boolean constrains(int g) {
        return checked[g];
    }

    /**
     * The topology key of one of group g's required affinity terms or hard spreads that no node of
     * the snapshot carries, or null: kube-scheduler refuses every node without the key, so such
     * pods can run nowhere (a hand-written snapshot without zone labels, say), and the reason should
     * name the key rather than the room.
     */
    String keyNoNodeCarries(int g) {
        Placement p = table.group(g).placement();
        List<String> keys = new ArrayList<>();
        p.affinity().forEach(t -> keys.add(t.topologyKey()));
        p.spread().stream().filter(Placement.Spread::hard).forEach(s -> keys.add(s.term().topologyKey()));
        for (String key : keys) {
            boolean carried = io.nodesizer.kube.PodConflicts.HOSTNAME.equals(key); // a node's name stands in for a missing hostname label
            for (ClusterSnapshot.Node n : running.nodes()) {
                carried |= n.labels().containsKey(key);
            }
            if (!carried) {
                return key;
            }
        }
        return null;
    }

    /** Whether replica {@code replica} of group g may join fleet node k, as the scheduler's filters have it now. */
    boolean admits(int k, int g, int replica) {
        if (!checked[g]) {
            return true;
        }
        return rules.admits(podOf(g, replica), running.fleetIndex()[k], onNode, hardSpread[g] ? open : null);
    }

    /** Records replica {@code replica} of group g on fleet node k. */
    void add(int k, int g, int replica) {
        onNode.get(running.fleetIndex()[k]).add(podOf(g, replica));
        // A pod refused before may be checked again once others were placed (a retry): not against
        // what the rules gathered for it before this one joined.
        rules.listsChanged();
    }

    /**
     * The first placement the scheduler's filters would refuse when the packing's pods are bound
     * again in the order they were placed ({@code sequence}, global pod indices) onto fresh copies
     * of the running pods, or null: checks the packing's bookkeeping of what runs where.
     */
    static String violation(DemandTable table, RunningPods running, List<FleetPacking.FleetNode> nodes, int[] assignment, int[] sequence) {
        RunningPodRules r = of(table, running);
        if (r == null) {
            return null;
        }
        int[] groupOf = new int[table.podCount()];
        for (int g = 0; g < table.groupCount(); g++) {
            java.util.Arrays.fill(groupOf, table.firstPod(g), table.firstPod(g) + table.replicas(g), g);
        }
        for (int pod : sequence) {
            int g = groupOf[pod];
            int k = assignment[pod];
            int replica = pod - table.firstPod(g);
            if (k < 0 || !r.admits(k, g, replica)) {
                return "pod " + table.group(g).podName(replica) + (k < 0 ? " is in the placement order but unplaced"
                        : " on " + nodes.get(k).name() + " breaks a required pod affinity, anti-affinity or topology spread against the pods there before it");
            }
            r.add(k, g, replica);
        }
        return null;
    }
}

package io.nodesizer.kube;

import io.nodesizer.model.ClusterSnapshot;
import io.nodesizer.model.Placement;

import java.util.List;

/**
 * The scheduler's inter-pod filters on the hostname, for pods moved onto running nodes
 * (consolidation, and analyze's "if this node failed"): InterPodAffinity's required anti-affinity (a pod may not join a node that runs a
 * pod its terms match, nor one whose pods' terms match it) and PodTopologySpread's
 * {@code DoNotSchedule} constraints (the node then holds at most maxSkew more of the selected
 * pods than the eligible node with the fewest). Unlike packing onto fresh nodes, the running
 * cluster's other nodes already hold such pods, so the spread is checked against their real
 * counts, not a per-node cap. Terms on other topology keys (zones) are not checked here.
 */
public final class HostnameRules {
    private final boolean active;

    public HostnameRules(List<ClusterSnapshot.Pod> pods) {
        boolean any = false;
        for (ClusterSnapshot.Pod p : pods) {
            any |= hasRules(p.placement());
        }
        this.active = any;
    }

    private static boolean hasRules(Placement p) {
        for (Placement.PodAffinityTerm t : p.antiAffinity()) {
            if (PodConflicts.HOSTNAME.equals(t.topologyKey())) {
                return true;
            }
        }
        for (Placement.Spread s : p.spread()) {
            if (s.hard() && PodConflicts.HOSTNAME.equals(s.term().topologyKey())) {
                return true;
            }
        }
        return false;
    }

    /** Whether any pod of the snapshot has such a rule: without one every check passes and no pod lists are kept. */
    public boolean active() {
        return active;
    }

    /** Whether a and b may not share a node: a required anti-affinity term on the hostname of either matches the other. */
    public static boolean repel(ClusterSnapshot.Pod a, ClusterSnapshot.Pod b) {
        return matchesAny(a, b) || matchesAny(b, a);
    }

    private static boolean matchesAny(ClusterSnapshot.Pod from, ClusterSnapshot.Pod other) {
        for (Placement.PodAffinityTerm t : from.placement().antiAffinity()) {
            if (PodConflicts.HOSTNAME.equals(t.topologyKey()) && PodConflicts.matches(t, from.namespace(), other.placement())) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code pod} may join node {@code j}, whose pods are {@code onNode.get(j)}, with
     * {@code eligible} the nodes that count as spread domains (open, and admitting the pod's node
     * selector and affinity: the default nodeAffinityPolicy Honor).
     */
    public boolean admits(ClusterSnapshot.Pod pod, int j, List<List<ClusterSnapshot.Pod>> onNode, boolean[] eligible) {
        if (!active) {
            return true;
        }
        for (ClusterSnapshot.Pod q : onNode.get(j)) {
            if (repel(pod, q)) {
                return false;
            }
        }
        for (Placement.Spread s : pod.placement().spread()) {
            if (!s.hard() || !PodConflicts.HOSTNAME.equals(s.term().topologyKey())) {
                continue;
            }
            int self = PodConflicts.matches(s.term(), pod.namespace(), pod.placement()) ? 1 : 0;
            // Pods count only on eligible nodes, node j's own too (upstream's PreFilter counts no
            // other): a node the pod's affinity excludes scores 0 here, and NodeAffinity rejects it.
            int here = eligible[j] ? count(s, pod, onNode.get(j)) : 0;
            if (here + self - fewest(s, pod, onNode, eligible) > s.maxSkew()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code pods} may all run on one new node while the {@code eligible} other nodes keep
     * theirs: no two repel each other, and for every hard hostname spread of one of them the new
     * node holds at most maxSkew more of its selected pods than the eligible node with the fewest.
     */
    public boolean mayShare(List<ClusterSnapshot.Pod> pods, List<List<ClusterSnapshot.Pod>> onNode, boolean[] eligible) {
        if (!active) {
            return true;
        }
        for (int i = 0; i < pods.size(); i++) {
            for (int k = i + 1; k < pods.size(); k++) {
                if (repel(pods.get(i), pods.get(k))) {
                    return false;
                }
            }
        }
        for (ClusterSnapshot.Pod pod : pods) {
            for (Placement.Spread s : pod.placement().spread()) {
                if (s.hard() && PodConflicts.HOSTNAME.equals(s.term().topologyKey())
                        && count(s, pod, pods) - Math.min(count(s, pod, pods), fewest(s, pod, onNode, eligible)) > s.maxSkew()) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Pods of {@code pod}'s namespace among {@code on} that the constraint's selector selects (pods being deleted do not count). */
    private static int count(Placement.Spread s, ClusterSnapshot.Pod pod, List<ClusterSnapshot.Pod> on) {
        int n = 0;
        for (ClusterSnapshot.Pod q : on) {
            if (!q.terminating() && q.namespace().equals(pod.namespace()) && PodConflicts.matches(s.term(), pod.namespace(), q.placement())) {
                n++;
            }
        }
        return n;
    }

    /**
     * The fewest selected pods on an eligible node (0 when there is none, or when fewer nodes than
     * the constraint's minDomains are eligible: the scheduler then takes the global minimum as 0).
     */
    private static int fewest(Placement.Spread s, ClusterSnapshot.Pod pod, List<List<ClusterSnapshot.Pod>> onNode, boolean[] eligible) {
        int fewest = Integer.MAX_VALUE;
        int domains = 0;
        for (int k = 0; k < onNode.size(); k++) {
            if (eligible[k]) {
                fewest = Math.min(fewest, count(s, pod, onNode.get(k)));
                domains++;
            }
        }
        return fewest == Integer.MAX_VALUE || domains < s.minDomains() ? 0 : fewest;
    }

    /** The nodes of {@code open} whose labels admit the pod's node selector and required affinity (taints ignored: nodeTaintsPolicy Ignore). */
    public static boolean[] eligible(ClusterSnapshot.Pod pod, List<ClusterSnapshot.Node> nodes, boolean[] open) {
        boolean[] out = new boolean[nodes.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = open[k] && NodeMatching.onNode(pod.placement(), nodes.get(k).labels(), List.of(), nodes.get(k).name()) == null;
        }
        return out;
    }
}

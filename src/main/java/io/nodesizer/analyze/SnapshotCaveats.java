package io.nodesizer.analyze;

import io.nodesizer.model.ClusterSnapshot;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a snapshot may lack that changes every answer drawn from it, said before the answers: pods of other namespaces, or
 * pods on its own nodes (QA 64a F2: consolidate drained 35 of 36 nodes of such snapshots, "saving 96.8 %, gap 0.0 %").
 */
public final class SnapshotCaveats {
    private SnapshotCaveats() {
    }

    /** How the notes below begin: reports that list notes put these first ({@link #leads}). */
    static final String OTHER_CONTEXTS = "none of the snapshot's ";
    static final String ONE_NAMESPACE = "no kube-system or DaemonSet pod in the snapshot: ";

    /**
     * Why a snapshot's pods look like not the whole cluster's, or null. Every running cluster's nodes run kube-system or
     * DaemonSet pods (kube-proxy, the CNI agent, CoreDNS; an EKS Fargate-only cluster runs CoreDNS in kube-system), so a
     * snapshot with neither lists one namespace's pods ({@code kubectl get nodes,pods} without {@code -A}); one whose bound
     * pods all name nodes it does not list took nodes and pods from two contexts. A warning, not a refusal: hand-written
     * what-if snapshots of a few pods are a use too.
     */
    public static String partial(ClusterSnapshot s) {
        if (s.nodes().isEmpty()) {
            return null;
        }
        Set<String> listed = new HashSet<>();
        s.nodes().forEach(n -> listed.add(n.name()));
        List<ClusterSnapshot.Pod> bound = s.pods().stream().filter(p -> p.nodeName() != null).toList();
        if (!bound.isEmpty() && bound.stream().noneMatch(p -> listed.contains(p.nodeName()))) {
            return OTHER_CONTEXTS + bound.size() + " pods bound to a node runs on one of its " + s.nodes().size() + " nodes ("
                    + bound.get(0).fullName() + " is on " + bound.get(0).nodeName() + "): nodes and pods taken from two contexts? "
                    + "Its nodes look empty; take both in one get: kubectl get nodes,pods,pdb -A -o json";
        }
        if (s.pods().stream().noneMatch(p -> "kube-system".equals(p.namespace()) || p.daemonSet())) {
            Set<String> namespaces = new TreeSet<>();
            s.pods().forEach(p -> namespaces.add(p.namespace()));
            return ONE_NAMESPACE + "its " + s.pods().size() + (s.pods().size() == 1 ? " pod is" : " pods are") + " of namespace"
                    + (namespaces.size() == 1 ? " " : "s ") + String.join(", ", namespaces) + ", and a running cluster has kube-proxy, "
                    + "its CNI agent or CoreDNS: taken without -A? Its nodes would look emptier than they are; take it with "
                    + "kubectl get nodes,pods,pdb -A -o json";
        }
        return null;
    }

    /**
     * The pods bound to a node the snapshot does not list that a plan leaves out, or null: those that would need room again
     * (not DaemonSet or static pods, which go with their node, nor pods leaving). {@code analyze} counts them apart ("not
     * counted"); {@code consolidate} dropped them without a word (QA 78c F4), though a node that went while the snapshot was
     * taken leaves them to their controllers, which recreate them on the nodes the plan keeps; {@code pack --fleet} likewise.
     * {@code what} names the result ("plan", "packing"). When every bound pod is on such a node, {@link #partial} says it instead.
     */
    public static String onUnlistedNodes(ClusterSnapshot s, String what) {
        Set<String> listed = new HashSet<>();
        s.nodes().forEach(n -> listed.add(n.name()));
        List<ClusterSnapshot.Pod> bound = s.pods().stream().filter(p -> p.nodeName() != null).toList();
        if (bound.stream().noneMatch(p -> listed.contains(p.nodeName()))) {
            return null;
        }
        List<String> out = bound.stream().filter(p -> !listed.contains(p.nodeName()) && !p.daemonSet() && !p.staticPod() && !p.leaving())
                .map(p -> p.fullName() + " on " + p.nodeName()).toList();
        if (out.isEmpty()) {
            return null;
        }
        return out.size() + (out.size() == 1 ? " pod is" : " pods are") + " bound to a node the snapshot does not list and left out "
                + "of the " + what + " (" + io.nodesizer.model.NameLists.firstOf(out, 3) + "): a node that joined or went while the "
                + "snapshot was taken? If it went, their controllers recreate them on the snapshot's other nodes, in room the " + what
                + " does not hold for them; take the snapshot again (kubectl get nodes,pods,pdb -A -o json)";
    }

    /** Whether a report's note is one of these caveats (or another on what the snapshot lacks), to be listed first. */
    public static boolean leads(String note) {
        return note.startsWith(OTHER_CONTEXTS) || note.startsWith(ONE_NAMESPACE)
                || note.equals(io.nodesizer.consolidate.Consolidation.NO_BUDGETS_NOTE);
    }
}

package io.nodesizer.kube;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Placement;
import io.nodesizer.model.Workload;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * EKS Auto Mode's nodes carry {@code eks.amazonaws.com/compute-type=auto}, which a node group's EC2
 * instance never does ({@link NodeLabels#EKS_COMPUTE_TYPE}). A workload whose pods select it (the
 * way AWS's Auto Mode guide pins a workload there) found no aws shape at all and was reported
 * unschedulable on every one. When some pods need that label and none needs it absent or other,
 * the aws shapes stand for Auto Mode nodes and carry it; so the DaemonSets that stay off such nodes
 * (the stock {@code aws-node} and {@code kube-proxy}, {@code NotIn [fargate, hybrid, auto]}) stay
 * off them here too. Pods that need Auto Mode beside pods that refuse it would need two pools of
 * every shape: the shapes are left as node groups' and those pods say why they do not fit.
 */
public final class EksAutoMode {
    static final String AUTO = "auto";

    private EksAutoMode() {
    }

    /** Said when the aws shapes carry the label. */
    public static final String NOTE = "pods select EKS Auto Mode nodes (" + NodeLabels.EKS_COMPUTE_TYPE + "=" + AUTO + "): the aws shapes "
            + "carry that label and stand for Auto Mode nodes (DaemonSets that stay off them, as aws-node and kube-proxy do, do not run "
            + "there); their allocatable is the eks formula's, and Auto Mode's management fee per instance is not in the catalog's prices";

    /**
     * Where some of the priced nodes of a running cluster ({@code priced}: those whose cost is summed from the bundled EC2
     * prices) are EKS Auto Mode's (the label {@code eks.amazonaws.com/compute-type=auto}): how many, and that their cost
     * leaves out Auto Mode's management fee, which AWS charges per instance-hour on top of the EC2 price; null when none
     * is (QA 55b F10).
     */
    public static String feeNote(List<io.nodesizer.model.ClusterSnapshot.Node> priced) {
        long auto = priced.stream().filter(n -> AUTO.equals(n.labels().get(NodeLabels.EKS_COMPUTE_TYPE))).count();
        return auto == 0 ? null : auto + (auto == 1 ? " node is" : " nodes are") + " EKS Auto Mode's (" + NodeLabels.EKS_COMPUTE_TYPE
                + "=" + AUTO + "): their cost leaves out Auto Mode's management fee, which AWS charges per instance-hour on top of "
                + "the EC2 price";
    }

    /** Whether some pod of {@code w} needs the Auto Mode label and none needs it absent or another value. */
    public static boolean wanted(Workload w) {
        boolean needsAuto = false;
        for (io.nodesizer.model.PodGroup g : w.groups()) {
            Placement p = g.placement();
            if (p.isAny()) {
                continue;
            }
            Set<String> assumed = NodeMatching.keysNamed(p);
            if (!assumed.remove(NodeLabels.EKS_COMPUTE_TYPE)) {
                continue; // the placement does not name it
            }
            boolean onAuto = NodeMatching.whyNot(p, Map.of(NodeLabels.EKS_COMPUTE_TYPE, AUTO), List.of(), null, assumed) == null;
            boolean onGroup = NodeMatching.whyNot(p, Map.of(), List.of(), null, assumed) == null;
            if (!onAuto && onGroup) {
                return false;
            }
            needsAuto |= onAuto && !onGroup;
        }
        return needsAuto;
    }

    /** {@code shapes} with the aws ones labelled as Auto Mode nodes when {@link #wanted}, a note added to {@code notes}; else as given. */
    public static List<NodeShape> apply(List<NodeShape> shapes, Workload w, List<String> notes) {
        if (shapes.stream().noneMatch(EksAutoMode::labellable) || !wanted(w)) {
            return shapes;
        }
        List<NodeShape> out = new ArrayList<>(shapes.size());
        for (NodeShape s : shapes) {
            out.add(labellable(s) ? s.withLabelsAndTaints(Map.of(NodeLabels.EKS_COMPUTE_TYPE, AUTO), List.of()) : s);
        }
        notes.add(NOTE);
        return out;
    }

    /** An aws shape that does not set the label itself ({@code labels=}). */
    private static boolean labellable(NodeShape s) {
        return s.provider().equals("aws") && !s.labels().containsKey(NodeLabels.EKS_COMPUTE_TYPE);
    }
}

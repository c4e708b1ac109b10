package io.nodesizer.kube;

import io.nodesizer.model.Placement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The NoSchedule taints the node lifecycle controller keeps on a node for its conditions
 * (kubernetes {@code pkg/controller/nodelifecycle/node_lifecycle_controller.go}: {@code
 * doNoScheduleTaintingPass} applies {@code nodeConditionToTaintKeyStatusMap}): Ready False gives
 * {@code node.kubernetes.io/not-ready}, Ready Unknown {@code node.kubernetes.io/unreachable}, and
 * MemoryPressure, DiskPressure, PIDPressure and NetworkUnavailable True their own. kube-scheduler
 * reads no condition itself (its TaintToleration filter reads the taints), so a node a snapshot
 * shows NotReady without the taint is one the controller has not tainted yet (it does within its
 * node-monitor period, seconds): a pod moved there after the snapshot meets the taint, as
 * Cluster Autoscaler's and Karpenter's simulations then do.
 */
public final class NodeConditions {
    /** Condition type, the status that taints, and the taint's key, in the controller's map's order. */
    private static final String[][] TAINTING = {
            {"Ready", "False", "node.kubernetes.io/not-ready"},
            {"Ready", "Unknown", "node.kubernetes.io/unreachable"},
            {"MemoryPressure", "True", "node.kubernetes.io/memory-pressure"},
            {"DiskPressure", "True", "node.kubernetes.io/disk-pressure"},
            {"NetworkUnavailable", "True", "node.kubernetes.io/network-unavailable"},
            {"PIDPressure", "True", "node.kubernetes.io/pid-pressure"},
    };

    private NodeConditions() {
    }

    /** The controller's NoSchedule taints for {@code conditions} (type → status, as the node reports them); empty when healthy. */
    public static List<Placement.Taint> taints(Map<String, String> conditions) {
        if (conditions.isEmpty()) {
            return List.of();
        }
        List<Placement.Taint> out = null;
        for (String[] t : TAINTING) {
            if (t[1].equals(conditions.get(t[0]))) {
                out = out == null ? new ArrayList<>(2) : out;
                out.add(new Placement.Taint(t[2], "", "NoSchedule"));
            }
        }
        return out == null ? List.of() : List.copyOf(out);
    }

    /**
     * The tolerations the DaemonSet controller gives every pod it creates (kubernetes {@code pkg/controller/daemon/util}
     * {@code AddOrUpdateDaemonPodTolerations}), so that a DaemonSet keeps running on a node its conditions taint: not-ready and
     * unreachable for NoExecute (a NoSchedule one of theirs, as {@link #taints} gives a NotReady node, still keeps new pods
     * off), disk-, memory- and pid-pressure and unschedulable (cordoned) for NoSchedule, and network-unavailable for
     * NoSchedule when the pod uses the host's network. Both the shapes ({@link DaemonSetPlacement}) and a --fleet's nodes
     * read a DaemonSet's tolerations with these added ({@code ManifestReader}), as the controller's pods carry them (QA 67a F6:
     * the shapes' taints kept DaemonSets off that --fleet counted).
     */
    public static List<Placement.Toleration> daemonPodTolerations(List<Placement.Toleration> own, boolean hostNetwork) {
        List<Placement.Toleration> out = new ArrayList<>(own);
        for (String[] t : hostNetwork ? DAEMON_POD_HOST_NETWORK : DAEMON_POD) {
            Placement.Toleration added = new Placement.Toleration(t[0], "Exists", "", t[1]);
            // AddOrUpdateTolerationInPodSpec: one with the same key, operator, value and effect is replaced, else it is added.
            out.removeIf(o -> o.key().equals(added.key()) && o.operator().equals(added.operator()) && o.value().equals(added.value())
                    && o.effect().equals(added.effect()));
            out.add(added);
        }
        return List.copyOf(out);
    }

    /** Taint key and effect of each toleration {@link #daemonPodTolerations} adds, in the controller's order. */
    private static final String[][] DAEMON_POD = {
            {"node.kubernetes.io/not-ready", "NoExecute"},
            {"node.kubernetes.io/unreachable", "NoExecute"},
            {"node.kubernetes.io/disk-pressure", "NoSchedule"},
            {"node.kubernetes.io/memory-pressure", "NoSchedule"},
            {"node.kubernetes.io/pid-pressure", "NoSchedule"},
            {"node.kubernetes.io/unschedulable", "NoSchedule"},
    };

    /** The same, and network-unavailable for a pod on the host's network. */
    private static final String[][] DAEMON_POD_HOST_NETWORK = java.util.stream.Stream.concat(java.util.Arrays.stream(DAEMON_POD),
            java.util.stream.Stream.<String[]>of(new String[]{"node.kubernetes.io/network-unavailable", "NoSchedule"})).toArray(String[][]::new);

    /** The conditions behind {@link #taints} in words ({@code Ready condition is False}), or null when there are none. */
    public static String describe(Map<String, String> conditions) {
        List<String> out = new ArrayList<>();
        for (String[] t : TAINTING) {
            if (t[1].equals(conditions.get(t[0]))) {
                out.add(t[0] + " condition is " + t[1]);
            }
        }
        return out.isEmpty() ? null : String.join(" and ", out);
    }
}

package io.nodesizer.model;

import java.util.List;
import java.util.Map;

/**
 * A running cluster as {@code kubectl get nodes,pods -o json} shows it: its nodes and the pods
 * that count (Succeeded and Failed pods do not).
 *
 * @param nodes   every node, in input order
 * @param pods    running and pending pods, in input order
 * @param sources the files read
 */
public record ClusterSnapshot(List<Node> nodes, List<Pod> pods, List<String> sources) {
    public ClusterSnapshot {
        nodes = List.copyOf(nodes);
        pods = List.copyOf(pods);
        sources = List.copyOf(sources);
    }

    /**
     * @param labels        metadata.labels
     * @param unschedulable spec.unschedulable (cordoned)
     */
    public record Node(String name, Map<String, String> labels, Resources capacity, Resources allocatable, boolean unschedulable,
                       SourceRef origin) {
        public Node {
            labels = Map.copyOf(labels);
        }

        /** The instance type label (node.kubernetes.io/instance-type, or the older beta label), or null. */
        public String instanceType() {
            String t = labels.get("node.kubernetes.io/instance-type");
            return t != null ? t : labels.get("beta.kubernetes.io/instance-type");
        }

        /** topology.kubernetes.io/zone, or the older failure-domain label, or null. */
        public String zone() {
            String z = labels.get("topology.kubernetes.io/zone");
            return z != null ? z : labels.get("failure-domain.beta.kubernetes.io/zone");
        }

        /** The node group: EKS, GKE, AKS or Karpenter pool label, else the instance type, else "(none)". */
        public String pool() {
            for (String key : List.of("eks.amazonaws.com/nodegroup", "cloud.google.com/gke-nodepool", "kubernetes.azure.com/agentpool",
                    "karpenter.sh/nodepool", "alpha.eksctl.io/nodegroup-name")) {
                String v = labels.get(key);
                if (v != null) {
                    return v;
                }
            }
            String t = instanceType();
            return t != null ? t : "(none)";
        }

        /** A control-plane node (its role label). */
        public boolean controlPlane() {
            return labels.containsKey("node-role.kubernetes.io/control-plane") || labels.containsKey("node-role.kubernetes.io/master");
        }
    }

    /**
     * @param request  effective request (the scheduler's rules: init containers, sidecars, overhead)
     * @param nodeName spec.nodeName, or null when not bound
     * @param phase    status.phase (Running, Pending, …)
     * @param owner    the controller owner's kind (ReplicaSet, DaemonSet, …), or null
     * @param ownerName the controller owner's name, or null
     */
    public record Pod(String namespace, String name, Resources request, String nodeName, String phase, String owner, String ownerName,
                      SourceRef origin) {
        public boolean daemonSet() {
            return "DaemonSet".equals(owner);
        }

        public String fullName() {
            return namespace + "/" + name;
        }
    }
}

package io.nodesizer.kube.provider;

import io.nodesizer.model.DaemonSetSpec;
import io.nodesizer.model.NodeShape;

import java.util.List;
import java.util.Optional;

/**
 * The two host-network pods every EKS node runs, the {@code aws-node} (VPC CNI) and {@code kube-proxy} DaemonSets' pods,
 * which count against the kubelet's max pods: the ENI formula's "+ 2" is there for them (amazon-eks-ami
 * {@code eni-max-pods.txt}: "2 additional host-networking pods (AWS ENI and kube-proxy) are accounted for"). A workload's
 * CSV or manifests rarely list them, and then the packing gives their two slots to its pods (QA 71b F1: 500 tiny pods on
 * m5.large took 18 nodes at 29 pods, where 27 are free for them: 19). Said where it matters: a packing the pod slots bind.
 */
public final class EksHostNetworkPods {
    private EksHostNetworkPods() {
    }

    /**
     * A note when {@code shape} has EKS's max pods (the {@code eks} or {@code karpenter} reservation), the inputs'
     * DaemonSets include neither aws-node nor kube-proxy, and the packing's bound is the pod slots' ({@code boundMethod}).
     */
    public static Optional<String> note(NodeShape shape, List<DaemonSetSpec> daemonSets, String boundMethod) {
        String reservation = shape.reservation();
        if (!"eks".equals(reservation) && !"karpenter".equals(reservation) || boundMethod == null || !boundMethod.contains("(pods)")
                || daemonSets.stream().anyMatch(d -> named(d, "aws-node") || named(d, "kube-proxy"))) {
            return Optional.empty();
        }
        return Optional.of("the pod slots bind the packing on " + shape.name() + ", and every EKS node also runs the aws-node and kube-proxy DaemonSets' pods "
                + "(host network), which take 2 of its " + shape.allocatable().pods() + " max pods (the ENI formula adds those 2 for "
                + "them) and their own requests; the inputs give neither, so the workload's pods were given those slots: add the two "
                + "DaemonSets (kubectl get ds -n kube-system aws-node kube-proxy -o yaml) to count them");
    }

    private static boolean named(DaemonSetSpec d, String name) {
        return d.name().equals(name) || d.name().endsWith("/" + name);
    }
}

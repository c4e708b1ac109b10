package io.nodesizer.kube;

import io.nodesizer.model.NodeShape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The labels every node of a shape carries: the kubelet's well-known labels (kubernetes.io/os,
 * kubernetes.io/arch, node.kubernetes.io/instance-type, their beta aliases, kubernetes.io/hostname),
 * the provider's own (Karpenter's karpenter.k8s.aws/instance-family on AWS,
 * cloud.google.com/machine-family on GCE), then the shape's own {@code labels=}. The hostname is a
 * placeholder no requirement names: a node that does not exist yet has no name anyone could pin
 * a pod to. Zone and region vary per node of a pool and are not here ({@link NodeMatching#PER_NODE}).
 */
public final class NodeLabels {
    /** The hostname of a node not created yet: no selector value equals it. */
    public static final String NEW_NODE = "(a new node)";

    private NodeLabels() {
    }

    /**
     * The value of topology key {@code key} on the nodes of a pool whose labels are {@code labels}
     * ({@link #of}), for domains of pod rules; null when they do not carry it. Keys a managed node
     * has though the shape does not declare them count as carried: the region (one value for the
     * cluster) and the node group labels ({@link NodeMatching#POOL_LABELS}: each pool its own value,
     * named by {@code pool}).
     */
    public static String topologyValue(Map<String, String> labels, String key, String pool) {
        String value = labels.get(key);
        if (value == null && NodeMatching.PER_NODE.contains(key)) {
            return "";
        }
        if (value == null && NodeMatching.POOL_LABELS.contains(key)) {
            return "\u0000pool " + pool;
        }
        return value;
    }

    public static Map<String, String> of(NodeShape shape) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("kubernetes.io/os", "linux");
        labels.put("beta.kubernetes.io/os", "linux");
        labels.put("kubernetes.io/arch", shape.arch());
        labels.put("beta.kubernetes.io/arch", shape.arch());
        labels.put("node.kubernetes.io/instance-type", shape.name());
        labels.put("beta.kubernetes.io/instance-type", shape.name());
        labels.put("kubernetes.io/hostname", NEW_NODE);
        switch (shape.provider()) {
            case "aws" -> labels.put("karpenter.k8s.aws/instance-family", shape.family());
            case "gce" -> labels.put("cloud.google.com/machine-family", shape.family());
            default -> {
            }
        }
        labels.putAll(shape.labels());
        return labels;
    }
}

package io.nodesizer.input.manifest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A node's {@code status.conditions} as type → status ({@code Ready → False}), for
 * {@link io.nodesizer.model.ClusterSnapshot.Node#conditions}: the node lifecycle controller taints a
 * node for them ({@link io.nodesizer.kube.NodeConditions}), and a snapshot taken between a condition
 * and its taint shows the one without the other.
 */
public final class NodeStatusConditions {
    private NodeStatusConditions() {
    }

    /**
     * The conditions of the node whose {@code status} (at {@code path}) is given; empty without
     * status or conditions. A condition without a type or status says nothing and is not kept (the
     * API server refuses one without a type; the kubelet always sets both).
     */
    public static Map<String, String> of(YamlNode.Mapping status, String path) {
        YamlNode.Sequence conditions = status == null ? null : Manifests.sequence(status, "conditions", path);
        if (conditions == null) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 0; i < conditions.items().size(); i++) {
            String at = path + ".conditions[" + i + "]";
            YamlNode.Mapping c = Manifests.mapping(conditions.items().get(i), at);
            String type = Manifests.text(c, "type", at);
            String value = Manifests.text(c, "status", at);
            if (type != null && value != null) {
                out.putIfAbsent(type, value);
            }
        }
        return out;
    }
}

package io.nodesizer.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A RuntimeClass ({@code node.k8s.io/v1}): what the RuntimeClass admission plugin adds to every new
 * pod that names it in {@code spec.runtimeClassName}.
 *
 * @param name         {@code metadata.name}, what pods name (cluster-scoped: no namespace)
 * @param overhead     {@code overhead.podFixed}, the pod overhead it sets; null when it has none
 *                     (an empty {@code podFixed} is an overhead of zero, which it does set)
 * @param nodeSelector {@code scheduling.nodeSelector}, merged into the pod's
 * @param tolerations  {@code scheduling.tolerations}, added to the pod's
 */
public record RuntimeClassSpec(String name, Resources overhead, Map<String, String> nodeSelector, List<Placement.Toleration> tolerations,
                               SourceRef origin) {
    public RuntimeClassSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(origin, "origin");
        nodeSelector = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(nodeSelector));
        tolerations = List.copyOf(tolerations);
    }
}

package io.nodesizer.model;

import java.util.Map;
import java.util.Objects;

/**
 * A Namespace object of the inputs: its name and labels, with the label
 * {@code kubernetes.io/metadata.name: <name>} that the API server gives every namespace (since
 * Kubernetes 1.22), for pod affinity terms' namespaceSelectors.
 */
public record NamespaceSpec(String name, Map<String, String> labels, SourceRef origin) {
    public NamespaceSpec {
        Objects.requireNonNull(name, "name");
        java.util.TreeMap<String, String> all = new java.util.TreeMap<>(labels);
        all.put(Placement.NamespaceSelector.NAME_LABEL, name);
        labels = java.util.Collections.unmodifiableMap(all);
    }
}

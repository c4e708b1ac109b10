package io.nodesizer.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A ResourceQuota (v1) from the manifests: the most its namespace's pods may request or limit
 * together, which the API server's quota admission enforces as the controllers create the pods.
 *
 * @param hard      the checked limits of {@code spec.hard} by key ({@code pods}, {@code requests.cpu},
 *                  {@code requests.memory}, {@code limits.cpu}, {@code limits.memory},
 *                  {@code requests.ephemeral-storage}, {@code limits.ephemeral-storage}; {@code cpu},
 *                  {@code memory} and {@code ephemeral-storage} read as their {@code requests.} keys),
 *                  in millicores, bytes or pods
 * @param unchecked the other keys of {@code spec.hard} (object counts, storage, extended resources)
 * @param scopes    {@code spec.scopes} and the scope selector's scope names, which narrow the pods it
 *                  counts; empty when it counts every pod
 */
public record ResourceQuotaSpec(String namespace, String name, Map<String, Long> hard, List<String> unchecked, List<String> scopes,
                                SourceRef origin) {
    public ResourceQuotaSpec {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
        hard = Map.copyOf(hard);
        unchecked = List.copyOf(unchecked);
        scopes = List.copyOf(scopes);
        Objects.requireNonNull(origin, "origin");
    }

    public String fullName() {
        return namespace + "/" + name;
    }
}

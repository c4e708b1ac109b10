package io.nodesizer.model;

/** An input object that is not a workload we pack (a Service, a ConfigMap, …), listed so nothing is dropped silently. */
public record IgnoredObject(String kind, String name, SourceRef origin, String reason) {
}

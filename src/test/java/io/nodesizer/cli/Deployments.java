package io.nodesizer.cli;

import java.util.Map;
import java.util.stream.Collectors;

/** Deployment manifests for the CLI tests that write their own YAML. */
final class Deployments {
    private Deployments() {
    }

    /**
     * A Deployment of {@code replicas} pods labelled app: {@code name}, one container requesting
     * {@code cpu} and {@code memory}, after {@code podSpec} (pod spec fields, unindented; may be empty).
     */
    static String deployment(String name, int replicas, String podSpec, String cpu, String memory) {
        return deployment(null, name, Map.of("app", name), replicas, podSpec, "resources: {requests: {cpu: " + cpu + ", memory: " + memory + "}}");
    }

    /**
     * A Deployment in {@code namespace} (null: none given) whose {@code replicas} pods carry
     * {@code labels} (also its selector, in key order), one container {@code c} with the fields
     * {@code container} (flow style, e.g. {@code resources: {requests: {cpu: 1}}}), after
     * {@code podSpec} (pod spec fields, unindented; may be empty).
     */
    static String deployment(String namespace, String name, Map<String, String> labels, int replicas, String podSpec, String container) {
        String flow = labels.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s%2$s}
                spec:
                  replicas: %3$d
                  selector: {matchLabels: %4$s}
                  template:
                    metadata: {labels: %4$s}
                    spec:
                %5$s      containers:
                        - {name: c, %6$s}
                ---
                """.formatted(name, namespace == null ? "" : ", namespace: " + namespace, replicas, flow,
                podSpec.isEmpty() ? "" : podSpec.indent(6), container);
    }
}

package io.nodesizer.cli;

/** Deployment manifests for the CLI tests that write their own YAML. */
final class Deployments {
    private Deployments() {
    }

    /**
     * A Deployment of {@code replicas} pods labelled app: {@code name}, one container requesting
     * {@code cpu} and {@code memory}, after {@code podSpec} (pod spec fields, unindented; may be empty).
     */
    static String deployment(String name, int replicas, String podSpec, String cpu, String memory) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: %1$s}
                spec:
                  replicas: %2$d
                  selector: {matchLabels: {app: %1$s}}
                  template:
                    metadata: {labels: {app: %1$s}}
                    spec:
                %3$s      containers:
                        - {name: c, resources: {requests: {cpu: %4$s, memory: %5$s}}}
                ---
                """.formatted(name, replicas, podSpec.isEmpty() ? "" : podSpec.indent(6), cpu, memory);
    }
}

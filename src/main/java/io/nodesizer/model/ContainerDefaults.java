package io.nodesizer.model;

/**
 * A LimitRange's default requests for containers ({@code spec.limits[]} of {@code type: Container}),
 * as the API server's defaulting completes them: {@code defaultRequest}, else {@code default} (the
 * default limit), else {@code max} for the limit and {@code min} for the request
 * ({@code SetDefaults_LimitRangeItem}, kubernetes pkg/apis/core/v1/defaults.go). The LimitRanger
 * admission plugin gives them to every container of a new pod in the namespace that sets no request
 * (and no limit, since a limit alone already became the request) for that resource.
 *
 * @param cpuMillis   the CPU default request, when {@code cpu}
 * @param memoryBytes the memory default request, when {@code memory}
 */
public record ContainerDefaults(String namespace, String name, long cpuMillis, long memoryBytes, boolean cpu, boolean memory,
                                SourceRef origin) {
}

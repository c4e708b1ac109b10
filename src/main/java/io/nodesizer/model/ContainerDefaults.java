package io.nodesizer.model;

/**
 * A LimitRange's default requests for containers ({@code spec.limits[]} of {@code type: Container}),
 * as the API server's defaulting completes them: {@code defaultRequest}, else {@code default} (the
 * default limit), else {@code max} for the limit and {@code min} for the request
 * ({@code SetDefaults_LimitRangeItem}, kubernetes pkg/apis/core/v1/defaults.go). The LimitRanger
 * admission plugin gives them to every container of a new pod in the namespace that sets no request
 * (and no limit, since a limit alone already became the request) for that resource.
 *
 * Its {@code max} and {@code min} per container are enforced too: LimitRanger refuses a pod with a
 * container whose request or limit is above the max or below the min, so its controller creates none.
 *
 * @param cpuMillis   the CPU default request, when {@code cpu}
 * @param memoryBytes the memory default request, when {@code memory}
 * @param maxCpuMillis   the lowest {@code max.cpu} of its Container items, or -1 without one; likewise
 *                       {@code maxMemoryBytes}, and the highest {@code min} in {@code minCpuMillis}, {@code minMemoryBytes}
 * @param defaultLimitCpuMillis the default limit a container without a CPU limit gets ({@code default}, else
 *                       {@code max}), or -1; likewise {@code defaultLimitMemoryBytes}
 * @param ratioCpuMillis the lowest {@code maxLimitRequestRatio.cpu} of its Container items in thousandths (4 is 4000), or
 *                       -1 without one; likewise {@code ratioMemoryMillis}: LimitRanger refuses a container whose limit is
 *                       more than that many times its request, or that lacks either
 */
public record ContainerDefaults(String namespace, String name, long cpuMillis, long memoryBytes, boolean cpu, boolean memory,
                                SourceRef origin, long maxCpuMillis, long maxMemoryBytes, long minCpuMillis, long minMemoryBytes,
                                long defaultLimitCpuMillis, long defaultLimitMemoryBytes, long ratioCpuMillis, long ratioMemoryMillis) {
    /** Defaults without bounds. */
    public ContainerDefaults(String namespace, String name, long cpuMillis, long memoryBytes, boolean cpu, boolean memory, SourceRef origin) {
        this(namespace, name, cpuMillis, memoryBytes, cpu, memory, origin, -1, -1, -1, -1, -1, -1, -1, -1);
    }

    /** The ratio of {@code r} in thousandths (-1: none). */
    public long ratioMillis(Resource r) {
        return r == Resource.CPU ? ratioCpuMillis : r == Resource.MEMORY ? ratioMemoryMillis : -1;
    }
}

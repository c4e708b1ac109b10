package io.nodesizer.model;

import java.util.Map;
import java.util.TreeMap;

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
 * <p>Every map is keyed by the resource's name in Kubernetes ({@code cpu}, {@code memory}, {@code ephemeral-storage},
 * a GPU's device-plugin name such as {@code nvidia.com/gpu}: the resources nodesizer packs) and holds amounts in the
 * resource's base unit ({@link Resource}: millicores, bytes, thousandths of a GPU).
 *
 * @param defaultRequests the default request a container without one gets
 * @param defaultLimits   the default limit a container without one gets ({@code default}, else {@code max})
 * @param max             the lowest {@code max} of its Container items (each item is enforced)
 * @param min             the highest {@code min}
 * @param ratios          the lowest {@code maxLimitRequestRatio}, in thousandths (4 is 4000): LimitRanger refuses a container
 *                        whose limit is more than that many times its request, or that lacks either
 * @param unmodelled      the defaults (request, else limit) of resources nodesizer does not pack (hugepages-*, extended
 *                        resources other than whole GPUs) as written, by name: LimitRanger gives them too, and the report
 *                        names them and the containers they reach rather than drop them without a word
 */
public record ContainerDefaults(String namespace, String name, SourceRef origin, Map<String, Long> defaultRequests,
                                Map<String, Long> defaultLimits, Map<String, Long> max, Map<String, Long> min,
                                Map<String, Long> ratios, Map<String, String> unmodelled) {
    public ContainerDefaults {
        defaultRequests = sorted(defaultRequests);
        defaultLimits = sorted(defaultLimits);
        max = sorted(max);
        min = sorted(min);
        ratios = sorted(ratios);
        unmodelled = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(unmodelled));
    }

    private static Map<String, Long> sorted(Map<String, Long> m) {
        return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(m));
    }

    /** The default request of {@code resource}, or -1. */
    public long defaultRequest(String resource) {
        return defaultRequests.getOrDefault(resource, -1L);
    }

    /** The default limit of {@code resource}, or -1. */
    public long defaultLimit(String resource) {
        return defaultLimits.getOrDefault(resource, -1L);
    }

    /** The max of {@code resource} per container, or -1. */
    public long max(String resource) {
        return max.getOrDefault(resource, -1L);
    }

    /** The min of {@code resource} per container, or -1. */
    public long min(String resource) {
        return min.getOrDefault(resource, -1L);
    }

    /** The maxLimitRequestRatio of {@code resource} in thousandths, or -1. */
    public long ratioMillis(String resource) {
        return ratios.getOrDefault(resource, -1L);
    }
}

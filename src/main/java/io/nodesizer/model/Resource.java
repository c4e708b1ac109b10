package io.nodesizer.model;

/**
 * The resource dimensions the packer tracks. The ordinal is the index into every per-resource
 * primitive array in the engine, so the order is part of the hot-path layout: do not reorder.
 *
 * <p>Units are integer base units, as the scheduler compares them: CPU in millicores, memory and
 * ephemeral storage in bytes, pods as a slot count, GPUs in thousandths of a GPU (so that GPU-sharing
 * traces such as Alibaba openb keep their fractional demand; a whole-GPU request is 1000).
 */
public enum Resource {
    CPU("cpu", "cpuMillis"),
    MEMORY("memory", "memoryBytes"),
    PODS("pods", "pods"),
    GPU("gpu", "gpuMillis"),
    EPHEMERAL_STORAGE("ephemeral-storage", "ephemeralStorageBytes");

    public static final int COUNT = values().length;
    private static final Resource[] VALUES = values();

    private final String kubernetesName;
    private final String fieldName;

    Resource(String kubernetesName, String fieldName) {
        this.kubernetesName = kubernetesName;
        this.fieldName = fieldName;
    }

    /** The name Kubernetes uses in {@code resources.requests} ({@code cpu}, {@code memory}, …). */
    public String kubernetesName() {
        return kubernetesName;
    }

    /** The JSON field name, which carries the unit ({@code cpuMillis}, {@code memoryBytes}, …). */
    public String fieldName() {
        return fieldName;
    }

    public static Resource at(int index) {
        return VALUES[index];
    }
}

package io.nodesizer.kube.provider;

import io.nodesizer.model.Resources;

/**
 * How a provider turns a node's nominal capacity into allocatable:
 * capacity − kube-reserved − system-reserved − eviction threshold (− memory the OS never sees,
 * where the provider's model has it). GPUs are never reserved; pods (max pods) are unchanged.
 */
public interface ReservationPolicy {
    long MIB = 1024L * 1024;
    long GIB = 1024L * MIB;

    /** The name shown in reports ({@code eks}, {@code gke}, …). */
    String name();

    /**
     * @param capacity nominal capacity: CPU, memory, pods = the max-pods setting, GPUs, and
     *                 ephemeral storage = the root disk (0 when unknown)
     */
    Resources allocatable(Resources capacity);

    /**
     * As {@link #allocatable(Resources)} for a node whose max pods ({@code capacity.pods()}) was set by the user over
     * the provider's default of {@code defaultMaxPods} ({@link #defaultMaxPods}): a provider that sizes its reservation
     * from its own default keeps that (EKS); the others reserve for the max pods the node runs with.
     */
    default Resources allocatable(Resources capacity, int defaultMaxPods) {
        return allocatable(capacity);
    }

    /**
     * Max pods per node when the user gives none; {@code catalogMaxPods} may be null. Without a
     * provider rule: the catalog's value, else the kubelet default of 110.
     */
    default int defaultMaxPods(Integer catalogMaxPods) {
        return catalogMaxPods == null ? 110 : catalogMaxPods;
    }

    /**
     * Whether {@link #defaultMaxPods} takes a catalog's max pods where it gives one (else its own default whatever the
     * catalog says): a catalog row without one then gets the default, which the candidates line says (QA 65a F6).
     */
    default boolean readsCatalogMaxPods() {
        return true;
    }

    /**
     * Where {@link #defaultMaxPods} comes from, for the candidates line: the max pods moves allocatable (a provider that
     * reserves memory per pod) and caps the pods a node takes, so a report says which it assumed (QA 55c F2).
     */
    default String maxPodsBasis() {
        return "max pods the catalog's, else the kubelet's 110";
    }

    /**
     * The policy for nodes of CPU architecture {@code arch} ({@code amd64}, {@code arm64}): itself, unless the provider's
     * formula depends on it (Karpenter's arm64 memory).
     */
    default ReservationPolicy forArch(String arch) {
        return this;
    }

    /** The provider's default root-disk size in bytes; 0 (unknown) without a provider rule. */
    default long defaultDiskBytes() {
        return 0;
    }

    /**
     * Memory of {@code memoryBytes} nominal memory that the kubelet never sees (the OS's share: its capacity is what the kernel
     * reports), before anything is reserved; 0 where the policy has no such term. {@code --reserved} keeps the provider's.
     */
    default long osMemoryBytes(long memoryBytes) {
        return 0;
    }

    /**
     * What the kubelet reports as the node's capacity ({@code kubectl describe node}'s "Capacity") for a node of
     * {@code capacity} nominal resources: the memory less the OS's share ({@link #osMemoryBytes}), and where the
     * provider's model has it the root disk less the OS's partitions. Allocatable comes off this; a report shows it
     * beside the nominal size so that capacity − reserved − eviction = allocatable can be checked against a node.
     */
    default Resources kubeletCapacity(Resources capacity) {
        return new Resources(capacity.cpuMillis(), minus(capacity.memoryBytes(), osMemoryBytes(capacity.memoryBytes())), capacity.pods(),
                capacity.gpuMillis(), capacity.ephemeralStorageBytes());
    }

    /** Subtracts and floors at zero: a reservation larger than a tiny node leaves nothing. */
    static long minus(long value, long reserved) {
        return Math.max(0, value - reserved);
    }
}

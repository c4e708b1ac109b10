package io.nodesizer.kube.provider;

import io.nodesizer.model.Resources;

/**
 * GKE, as the Cluster Autoscaler predicts its node allocatable (kubernetes/autoscaler
 * {@code cluster-autoscaler/cloudprovider/gce/reserved.go}):
 * <ul>
 *   <li>CPU: 6 % / 1 % / 0.5 % / 0.25 % marginal brackets over 0–1, 1–2, 2–4, above 4 cores,
 *       summed as floats and truncated;</li>
 *   <li>memory: 255 MiB on nodes of at most 1000 MiB, else 25 % of the first 4000 MiB, 20 % of
 *       the next 4000, 10 % of the next 8000, 6 % up to 128000, 2 % above — the thresholds use
 *       "1 GB = 1000 MiB", an upstream quirk kept on purpose; plus eviction memory.available 100Mi;</li>
 *   <li>kernel reserve: the kubelet sees physical − (physical/64 + 16 MiB, + 64 MiB above 3 GiB)
 *       ({@code CalculateKernelReserved});</li>
 *   <li>ephemeral storage, from the boot disk D (GCE sizes disks in binary GB: the default "100 GB" is
 *       100 GiB): Container-Optimized OS's partitions take ⌈1.5635 % × D⌉ + ⌈4.148 GiB⌉ + min(100 MiB,
 *       ⌈0.1 % × D⌉) (the kubelet's capacity is the rest, {@code CalculateOSReservedEphemeralStorage}),
 *       kube-reserved min(½ D, 6 GiB + 35 % × D, 100 GiB) in whole GiB of the disk's whole GiB (GKE's
 *       cluster-autoscaler, {@code PredictKubeReservedEphemeralStorage}), and nodefs.available 10 % of the
 *       capacity. A 100 GiB disk: 43.77 GiB allocatable, where a real node reports 43.83 (GKE's "plan node
 *       sizes" example: capacity 98,831,908 Ki, allocatable 47,060,071,478 B); QA 53c F1: 10 % alone said 83.8;</li>
 *   <li>max pods 110.</li>
 * </ul>
 */
public final class GkeReservation implements ReservationPolicy {

    @Override
    public String name() {
        return "gke";
    }

    static long cpuReservedMillis(long cpuMillis) {
        double cores = cpuMillis / 1000.0;
        double[][] brackets = {{0, 1, 0.06}, {1, 2, 0.01}, {2, 4, 0.005}, {4, Double.MAX_VALUE, 0.0025}};
        double reserved = 0;
        for (double[] b : brackets) {
            reserved += Math.max(0, Math.min(cores, b[1]) - b[0]) * b[2] * 1000;
        }
        return (long) reserved;
    }

    /** kube-reserved memory in MiB for a node of {@code memoryMib} (truncated). */
    static long memoryReservedMib(long memoryMib) {
        if (memoryMib <= 1000) {
            return 255;
        }
        double[][] brackets = {{0, 4000, 0.25}, {4000, 8000, 0.20}, {8000, 16000, 0.10}, {16000, 128000, 0.06},
            {128000, Double.MAX_VALUE, 0.02}};
        double reserved = 0;
        for (double[] b : brackets) {
            reserved += Math.max(0, Math.min(memoryMib, b[1]) - b[0]) * b[2];
        }
        return (long) reserved;
    }

    /** The kernel's reserve, as the Cluster Autoscaler predicts it. */
    @Override
    public long osMemoryBytes(long memoryBytes) {
        return kernelReservedMib(memoryBytes / MIB) * MIB;
    }

    /** Memory the kernel keeps from the kubelet's capacity, in MiB. */
    static long kernelReservedMib(long memoryMib) {
        long reserved = memoryMib / 64 + 16;
        if (memoryMib > 3 * 1024) {
            reserved += 64;
        }
        return reserved;
    }

    @Override
    public Resources allocatable(Resources capacity) {
        long mib = capacity.memoryBytes() / MIB;
        long cpu = ReservationPolicy.minus(capacity.cpuMillis(), cpuReservedMillis(capacity.cpuMillis()));
        long reserved = (memoryReservedMib(mib) + 100) * MIB + osMemoryBytes(capacity.memoryBytes());
        long mem = ReservationPolicy.minus(capacity.memoryBytes(), reserved);
        return new Resources(cpu, mem, capacity.pods(), capacity.gpuMillis(), ephemeralAllocatable(capacity.ephemeralStorageBytes()));
    }

    /** The kernel's reserve off the memory and Container-Optimized OS's partitions off the boot disk. */
    @Override
    public Resources kubeletCapacity(Resources capacity) {
        Resources lessMemory = ReservationPolicy.super.kubeletCapacity(capacity);
        return new Resources(lessMemory.cpuMillis(), lessMemory.memoryBytes(), lessMemory.pods(), lessMemory.gpuMillis(),
                kubeletDisk(capacity.ephemeralStorageBytes()));
    }

    /** The ephemeral-storage capacity the kubelet reports on a boot disk of {@code disk} bytes (0 when unknown): the disk less COS's partitions. */
    static long kubeletDisk(long disk) {
        if (disk <= 0) {
            return 0;
        }
        long os = (long) Math.ceil(0.015635 * disk) + (long) Math.ceil(4.148 * GIB) + (long) Math.min(100.0 * MIB, Math.ceil(0.001 * disk));
        return ReservationPolicy.minus(disk, os);
    }

    /** Ephemeral storage allocatable on a boot disk of {@code disk} bytes (0 when unknown): see the class comment. */
    static long ephemeralAllocatable(long disk) {
        if (disk <= 0) {
            return 0;
        }
        long kubelet = kubeletDisk(disk);
        long eviction = (long) (0.1 * kubelet);
        return ReservationPolicy.minus(kubelet, kubeReservedEphemeralGib(disk / GIB) * GIB + eviction);
    }

    /** kube-reserved ephemeral storage in GiB for a boot disk of {@code diskGib} whole GiB: min(½, 6 + 35 %, 100), each truncated. */
    static long kubeReservedEphemeralGib(long diskGib) {
        long half = (long) (0.5 * diskGib);
        long basic = 6 + (long) (0.35 * diskGib);
        return Math.min(half, Math.min(basic, 100));
    }

    @Override
    public int defaultMaxPods(Integer catalogMaxPods) {
        return 110;
    }

    @Override
    public boolean readsCatalogMaxPods() {
        return false;
    }

    @Override
    public String maxPodsBasis() {
        return "max pods 110 (GKE Standard's default; --max-pods)";
    }

    @Override
    public long defaultDiskBytes() {
        return 100 * GIB; // GKE's default boot disk, "100 GB" in GCE's binary gigabytes
    }
}

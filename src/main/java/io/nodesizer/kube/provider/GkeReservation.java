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
 *   <li>ephemeral storage: nodefs.available 10 % eviction; max pods 110; default boot disk 100 GB.</li>
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
        long disk = capacity.ephemeralStorageBytes();
        long storage = disk == 0 ? 0 : ReservationPolicy.minus(disk, disk / 10);
        return new Resources(cpu, mem, capacity.pods(), capacity.gpuMillis(), storage);
    }

    @Override
    public int defaultMaxPods(Integer catalogMaxPods) {
        return 110;
    }

    @Override
    public long defaultDiskBytes() {
        return 100_000_000_000L;
    }
}

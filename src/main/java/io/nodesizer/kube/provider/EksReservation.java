package io.nodesizer.kube.provider;

import io.nodesizer.model.Resources;

/**
 * Amazon EKS (Amazon Linux 2023 nodeadm): awslabs/amazon-eks-ami
 * {@code nodeadm/internal/kubelet/config.go} ({@code getCPUMillicoresToReserve},
 * {@code getMemoryMebibytesToReserve}, default {@code evictionHard}), as summarised in
 * {@code shared/data/catalogs/allocatable.md}.
 * <ul>
 *   <li>CPU: 6 % of the first core, 1 % of the second, 0.5 % of cores 3–4, 0.25 % above, integer
 *       millicores per range;</li>
 *   <li>memory: 11 MiB × max pods + 255 MiB (the type's ENI max pods even when the user sets another: {@link
 *       #allocatable(Resources, int)}), plus the eviction threshold memory.available 100Mi, from the memory the OS
 *       leaves the kubelet ({@link OsMemory#EKS}: nodeadm's formula takes the kubelet's capacity, not the nominal size);</li>
 *   <li>ephemeral storage: 1 GiB kube-reserved plus nodefs.available 10 %;</li>
 *   <li>max pods: the ENI formula from the catalog, 110 when unknown.</li>
 * </ul>
 */
public class EksReservation implements ReservationPolicy {
    /** The kubelet's default hard eviction threshold, {@code memory.available<100Mi}, which nodeadm keeps. */
    static final long EVICTION_BYTES = 100 * MIB;

    private final OsMemory os;

    public EksReservation() {
        this(OsMemory.EKS);
    }

    /** The formula with {@code os} as the memory the OS keeps ({@code --os-memory}). */
    public EksReservation(OsMemory os) {
        this.os = os;
    }

    /** The same formula with another OS memory reserve. */
    public EksReservation withOsMemory(OsMemory reserve) {
        return new EksReservation(reserve);
    }

    @Override
    public String name() {
        return "eks";
    }

    static long cpuReservedMillis(long cpuMillis) {
        long reserved = 0;
        long[][] ranges = {{0, 1000, 600}, {1000, 2000, 100}, {2000, 4000, 50}, {4000, Long.MAX_VALUE, 25}};
        for (long[] r : ranges) {
            long in = Math.max(0, Math.min(cpuMillis, r[1]) - r[0]);
            reserved += in * r[2] / 10_000; // percent × 100 in r[2], integer division per range
        }
        return reserved;
    }

    @Override
    public long osMemoryBytes(long memoryBytes) {
        return os.bytes(memoryBytes);
    }

    @Override
    public Resources allocatable(Resources capacity) {
        return allocatable(capacity, (int) capacity.pods());
    }

    /**
     * nodeadm reserves memory for the ENI table's max pods ({@code GetClassicMaxPods}, 110 for a type it does not know)
     * and lays the user's {@code maxPods} (a NodeConfig's kubelet config, as managed node groups with prefix delegation
     * set it) over the generated config afterwards without working the reservation out again
     * ({@code GenerateKubeletConfig}, {@code withDefaultReservedResources}; the AL2 bootstrap.sh reserved from its
     * {@code $MAX_PODS} the same way): so {@code --max-pods 110} on an m5.xlarge (ENI 58) leaves its reservation at
     * 11 × 58 + 255 MiB, and 250 on an m5.24xlarge (ENI 737) at 11 × 737 + 255 (QA 50a: 572 MiB short, 5,357 MiB over).
     */
    @Override
    public Resources allocatable(Resources capacity, int defaultMaxPods) {
        long cpu = ReservationPolicy.minus(capacity.cpuMillis(), cpuReservedMillis(capacity.cpuMillis()));
        long memReserved = (11L * defaultMaxPods + 255) * MIB + EVICTION_BYTES + osMemoryBytes(capacity.memoryBytes());
        long mem = ReservationPolicy.minus(capacity.memoryBytes(), memReserved);
        long disk = capacity.ephemeralStorageBytes();
        long storage = disk == 0 ? 0 : ReservationPolicy.minus(disk, GIB + disk / 10);
        return new Resources(cpu, mem, capacity.pods(), capacity.gpuMillis(), storage);
    }

    @Override
    public int defaultMaxPods(Integer catalogMaxPods) {
        return catalogMaxPods == null ? 110 : catalogMaxPods;
    }

    @Override
    public String maxPodsBasis() {
        return "max pods each type's ENI limit (the VPC CNI's default; --max-pods prefix for prefix delegation)";
    }

    /** EKS managed node groups default to a 20 GiB root volume (CreateNodegroup diskSize). */
    @Override
    public long defaultDiskBytes() {
        return 20 * GIB;
    }
}

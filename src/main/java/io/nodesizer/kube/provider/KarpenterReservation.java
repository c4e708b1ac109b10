package io.nodesizer.kube.provider;

import io.nodesizer.model.NodeShape;
import io.nodesizer.model.Resources;

/**
 * EKS nodes launched by Karpenter: the EKS formulas plus Karpenter's VM memory overhead,
 * {@code ceil(memory MiB × VMMemoryOverheadPercent)}, default 7.5 %, because the OS sees less than
 * the nominal instance memory (aws/karpenter-provider-aws {@code pkg/providers/instancetype/types.go}).
 * Example: m5.large, 8192 MiB, 29 pods → 8192 − 615 − 574 − 100 = 6903 MiB.
 *
 * <p>kube-reserved memory is for the type's ENI-limited max pods whatever the node's {@code maxPods} (the inherited
 * {@link EksReservation#allocatable(Resources, int)}): {@code NewInstanceType} passes
 * {@code ENILimitedPods(ctx, info, 0, …)} to {@code kubeReservedResources} when the AMI family's
 * {@code FeatureFlags().UsesENILimitedMemoryOverhead} is set, as {@code amifamily/resolver.go}'s {@code DefaultFamily}
 * sets it for AL2023 and AL2 (only Bottlerocket and Windows clear it, and reserve for {@code pods()}: the kubelet's
 * {@code maxPods}). The node agrees: nodeadm's {@code withDefaultReservedResources} reserves for {@code CalcMaxPods}.
 */
public final class KarpenterReservation extends EksReservation {
    /** Graviton's contiguous memory allocator reserve, which Karpenter takes off arm64 types before the VM overhead. */
    private static final long ARM64_CMA_MIB = 64;

    private final double vmOverheadPercent;
    /** What comes off the nominal memory before the VM overhead's percentage is taken: {@link #ARM64_CMA_MIB} on arm64, else 0. */
    private final long beforeOverheadMib;

    public KarpenterReservation() {
        this(7.5);
    }

    public KarpenterReservation(double vmOverheadPercent) {
        this(vmOverheadPercent, 0);
    }

    private KarpenterReservation(double vmOverheadPercent, long beforeOverheadMib) {
        super(OsMemory.NONE);
        this.vmOverheadPercent = vmOverheadPercent;
        this.beforeOverheadMib = beforeOverheadMib;
    }

    /** Karpenter's VM overhead is its own estimate of the OS's share: --os-memory sets it (its percent; a fixed part is refused). */
    @Override
    public EksReservation withOsMemory(OsMemory reserve) {
        return new KarpenterReservation(reserve.percent(), beforeOverheadMib);
    }

    /**
     * On arm64, less the 64 MiB Gravitons keep for their CMA before the VM overhead's percentage (aws/karpenter-provider-aws
     * {@code pkg/providers/instancetype/types.go} {@code memory()}: {@code SupportedArchitectures[0] == "arm64"}).
     */
    @Override
    public ReservationPolicy forArch(String arch) {
        return new KarpenterReservation(vmOverheadPercent, "arm64".equals(arch) ? ARM64_CMA_MIB : 0);
    }

    @Override
    public String name() {
        return "karpenter";
    }

    /**
     * What Karpenter takes a node of {@code shape} to offer pods when it decides what fits on a new NodeClaim: for a shape
     * whose nodes run with the {@code eks} formula (the aws catalog's default), that formula with Karpenter's own VM
     * overhead ({@link #vmOverheadBytes}) in place of the OS's share: aws/karpenter-provider-aws
     * {@code pkg/providers/instancetype/types.go} computes the instance type's memory as the EC2 figure less that
     * overhead, and its allocatable less kube-reserved (for the ENI-limited pods, as the {@code eks} shape reserved:
     * {@link #kubeReservedMemoryBytes}) and the eviction threshold, while the node that registers reports the kubelet's
     * real allocatable. Any other shape: its allocatable (no provider estimate is modelled).
     */
    public static Resources estimatedAllocatable(NodeShape shape) {
        Resources a = shape.allocatable();
        if (!"eks".equals(shape.reservation())) {
            return a;
        }
        // An eks allocatable floored at 0 hides how much it reserved: a node whose kubelet offers nothing, nor does the estimate.
        long mem = a.memoryBytes() == 0 ? 0
                : ReservationPolicy.minus(shape.capacity().memoryBytes() - vmOverheadBytes(shape), kubeReservedMemoryBytes(shape) + EVICTION_BYTES);
        return a.with(io.nodesizer.model.Resource.MEMORY, mem);
    }

    /** Karpenter's VM overhead on a node of {@code shape} (7.5 %, after the arm64 CMA reserve on arm64). */
    public static long vmOverheadBytes(NodeShape shape) {
        return new KarpenterReservation().forArch(shape.arch()).osMemoryBytes(shape.capacity().memoryBytes());
    }

    /**
     * The kube-reserved memory of an {@code eks} shape, which Karpenter reserves too: 11 MiB × its ENI-limited max pods
     * + 255 MiB (its pods= on an inline shape), whatever --max-pods says; read off the shape as what its kubelet's capacity
     * keeps beyond allocatable and the eviction threshold.
     */
    public static long kubeReservedMemoryBytes(NodeShape shape) {
        return shape.kubeletCapacity().memoryBytes() - shape.allocatable().memoryBytes() - EVICTION_BYTES;
    }

    @Override
    public long osMemoryBytes(long memoryBytes) {
        double mib = memoryBytes / (double) MIB - beforeOverheadMib;
        return (beforeOverheadMib + (long) Math.ceil(mib * vmOverheadPercent / 100.0)) * MIB;
    }
}

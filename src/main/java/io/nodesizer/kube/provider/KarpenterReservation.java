package io.nodesizer.kube.provider;

/**
 * EKS nodes launched by Karpenter: the EKS formulas plus Karpenter's VM memory overhead,
 * {@code ceil(memory MiB × VMMemoryOverheadPercent)}, default 7.5 %, because the OS sees less than
 * the nominal instance memory (aws/karpenter-provider-aws {@code pkg/providers/instancetype/types.go}).
 * Example: m5.large, 8192 MiB, 29 pods → 8192 − 615 − 574 − 100 = 6903 MiB.
 */
public final class KarpenterReservation extends EksReservation {
    private final double vmOverheadPercent;

    public KarpenterReservation() {
        this(7.5);
    }

    public KarpenterReservation(double vmOverheadPercent) {
        super(OsMemory.NONE);
        this.vmOverheadPercent = vmOverheadPercent;
    }

    /** Karpenter's VM overhead is its own estimate of the OS's share: --os-memory sets it (its percent; a fixed part is refused). */
    @Override
    public EksReservation withOsMemory(OsMemory reserve) {
        return new KarpenterReservation(reserve.percent());
    }

    @Override
    public String name() {
        return "karpenter";
    }

    /**
     * Karpenter works kube-reserved out from the max pods its nodes run with (the EC2NodeClass kubelet's
     * {@code maxPods} when set: {@code pkg/providers/instancetype/types.go}, {@code kubeReservedResources} of
     * {@code pods}), and passes it to the node: a user's max pods is reserved for, unlike nodeadm's own default.
     */
    @Override
    public io.nodesizer.model.Resources allocatable(io.nodesizer.model.Resources capacity, int defaultMaxPods) {
        return super.allocatable(capacity, (int) capacity.pods());
    }

    /**
     * What Karpenter takes a node of {@code shape} to offer pods when it decides what fits on a new NodeClaim: for a shape
     * whose nodes run with the {@code eks} formula (the aws catalog's default), that formula with Karpenter's own VM
     * overhead (default 7.5 %, {@code VM_MEMORY_OVERHEAD_PERCENT}) in place of the OS's share: aws/karpenter-provider-aws
     * {@code pkg/providers/instancetype/types.go} computes the instance type's memory as the EC2 figure less that
     * percentage, and its allocatable less kube-reserved and the eviction threshold, while the node that registers
     * reports the kubelet's real allocatable. Any other shape: its allocatable (no provider estimate is modelled).
     */
    public static io.nodesizer.model.Resources estimatedAllocatable(io.nodesizer.model.NodeShape shape) {
        return "eks".equals(shape.reservation()) ? new KarpenterReservation().allocatable(shape.capacity(), (int) shape.capacity().pods())
                : shape.allocatable();
    }

    @Override
    public long osMemoryBytes(long memoryBytes) {
        double mib = memoryBytes / (double) MIB;
        return (long) Math.ceil(mib * vmOverheadPercent / 100.0) * MIB;
    }
}

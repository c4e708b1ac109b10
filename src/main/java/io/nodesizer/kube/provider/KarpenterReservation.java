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

    @Override
    public long osMemoryBytes(long memoryBytes) {
        double mib = memoryBytes / (double) MIB;
        return (long) Math.ceil(mib * vmOverheadPercent / 100.0) * MIB;
    }
}

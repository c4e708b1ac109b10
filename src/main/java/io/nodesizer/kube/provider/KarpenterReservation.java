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

    @Override
    public long osMemoryBytes(long memoryBytes) {
        double mib = memoryBytes / (double) MIB;
        return (long) Math.ceil(mib * vmOverheadPercent / 100.0) * MIB;
    }
}

package io.nodesizer.engine.strategy;

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/** The registry of packing strategies: user-facing name → constructor. */
public enum PackingStrategies {
    FFD("ffd", "first-fit decreasing by dominant share", FirstFitDecreasing::new),
    BFD("bfd", "best-fit decreasing: the node left with the least normalised room", BestFitDecreasing::new),
    DOT_PRODUCT("dot-product", "bin-centric dot product of demand and free capacity (Panigrahy et al.)", DotProduct::new),
    KUBE_MOST_ALLOCATED("kube-most-allocated", "online, arrival order, kube-scheduler MostAllocated scoring",
            () -> new KubeScheduler(KubeScheduler.Scoring.MOST_ALLOCATED)),
    KUBE_LEAST_ALLOCATED("kube-least-allocated", "online, arrival order, kube-scheduler LeastAllocated scoring",
            () -> new KubeScheduler(KubeScheduler.Scoring.LEAST_ALLOCATED)),
    KUBE_DEFAULT("kube-default", "online, arrival order, kube-scheduler's default profile: LeastAllocated + BalancedAllocation",
            () -> new KubeScheduler(KubeScheduler.Scoring.DEFAULT_PROFILE)),
    KUBE_BIN_PACKING("kube-bin-packing", "online, arrival order, the bin-packing profile: MostAllocated + BalancedAllocation",
            () -> new KubeScheduler(KubeScheduler.Scoring.BIN_PACKING_PROFILE));

    private final String strategyName;
    private final String description;
    private final Supplier<PackingStrategy> factory;

    PackingStrategies(String strategyName, String description, Supplier<PackingStrategy> factory) {
        this.strategyName = strategyName;
        this.description = description;
        this.factory = factory;
    }

    public String strategyName() {
        return strategyName;
    }

    public String description() {
        return description;
    }

    public PackingStrategy create() {
        return factory.get();
    }

    /** The strategy called {@code name}, or {@code null}; callers report the valid {@link #names()}. */
    public static PackingStrategies byName(String name) {
        for (PackingStrategies s : values()) {
            if (s.strategyName.equals(name)) {
                return s;
            }
        }
        return null;
    }

    public static List<String> names() {
        return Arrays.stream(values()).map(PackingStrategies::strategyName).toList();
    }
}
